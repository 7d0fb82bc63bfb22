"""Every write of the opinions workflow: collect, sort and register, merge,
then one outcome (solved on the spot, assigned with a time limit, escalated,
converted into a suggestion, declined), and always an answer to the person."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.core import clock
from renda.core.workflow import note_event, transition
from renda.duties.models import Attendance, DutyKind
from renda.duties.records import duty_records_put
from renda.opinions.models import Opinion, OpinionStatus, Reception, ReceptionKind
from renda.suggestions import deadlines

# Receipt codes avoid characters people confuse (0/O, 1/I/L).
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def receipt_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def content_digest(content: str, phone: str) -> str:
    normalized = "".join(content.split()) + "|" + phone.strip()
    return hashlib.sha256(normalized.encode()).hexdigest()


def _now():
    return clock.now()


@transaction.atomic
def reception_record(
    *,
    actor,
    region,
    kind: str,
    held_on,
    deputies,
    station=None,
    place: str = "",
    people_received: int = 0,
    note: str = "",
) -> Reception:
    """A reception held: who was on duty, how many people came."""
    if held_on > clock.today():
        raise ValidationError({"held_on": "接待日期不能晚于今天"})
    deputies = list(deputies)
    if not deputies:
        raise ValidationError({"deputies": "请选择接待代表"})
    reception = Reception.objects.create(
        station=station,
        region=region,
        kind=kind,
        held_on=held_on,
        place=place,
        people_received=people_received,
        note=note,
        recorded_by=actor,
    )
    reception.deputies.set(deputies)
    # Each deputy on duty is credited once, in their archive and score.
    duty_records_put(
        persons=dict.fromkeys(deputies, (Attendance.PRESENT, "")),
        kind=DutyKind.HOUSEHOLD_VISIT if kind == ReceptionKind.HOUSEHOLD else DutyKind.RECEPTION,
        occurred_on=held_on,
        title=f"{station or place or region}{reception.get_kind_display()}"[:160],
        source=reception,
        actor=actor,
        place=place,
    )
    return reception


# No savepoint inside the public form's transaction (two round trips a submission).
@transaction.atomic(savepoint=False)
def opinion_receive(
    *,
    channel: str,
    region,
    title: str,
    content: str,
    submitter_name: str,
    submitter_phone: str,
    actor=None,
    station=None,
    reception=None,
    collected_by=None,
    category=None,
    urgency: str = "normal",
    people_concerned: int = 1,
    client_ip=None,
    duplicate_window_minutes: int = 10,
) -> tuple[Opinion, bool]:
    """Register an opinion; returns (opinion, created). The same content
    from the same phone within minutes is the same opinion (a double tap
    on the public form does not create a second one)."""
    digest = content_digest(content, submitter_phone)
    since = _now() - datetime.timedelta(minutes=duplicate_window_minutes)
    # One id, unordered: the check runs on every submission, a duplicate is rare.
    existing = (
        Opinion.objects.filter(content_digest=digest, received_at__gte=since)
        .order_by()
        .values_list("pk", flat=True)[:1]
    )
    if existing:
        return Opinion.objects.get(pk=existing[0]), False
    opinion = Opinion.objects.create(
        receipt_code=receipt_code(),
        channel=channel,
        region=region,
        station=station,
        reception=reception,
        collected_by=collected_by,
        category=category,
        title=title.strip(),
        content=content.strip(),
        urgency=urgency,
        people_concerned=people_concerned,
        submitter_name=submitter_name.strip(),
        submitter_phone=submitter_phone.strip(),
        entered_by=actor,
        content_digest=digest,
        client_ip=client_ip,
        received_at=_now(),
    )
    if collected_by is not None:
        duty_records_put(
            persons={collected_by: (Attendance.PRESENT, "")},
            kind=DutyKind.OPINION,
            occurred_on=timezone.localdate(opinion.received_at),
            title=f"收集社情民意：{opinion.title}"[:160],
            source=opinion,
            actor=actor,
        )
    note_event(
        opinion,
        "received",
        actor=actor,
        comment=f"渠道：{opinion.get_channel_display()}",
        at=_now(),
    )
    return opinion, True


def _next_number(opinion: Opinion) -> str:
    prefix = f"{clock.today():%Y%m}-"
    taken = Opinion.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def opinion_sort(
    *, opinion: Opinion, actor, category, urgency: str, title: str | None = None
) -> Opinion:
    """整理、建账: classify, set urgency and register it in the ledger with a number."""
    if category is None:
        raise ValidationError({"category": "请选择类别"})
    opinion.category = category
    opinion.urgency = urgency
    if title:
        opinion.title = title.strip()
    opinion.number = opinion.number or _next_number(opinion)
    opinion.save(update_fields=["category", "urgency", "title", "number"])
    transition(
        opinion,
        OpinionStatus.SORTED,
        actor=actor,
        event="sorted",
        comment=f"{category}，{opinion.get_urgency_display()}，登记编号 {opinion.number}",
        at=_now(),
    )
    return opinion


@transaction.atomic
def opinion_merge(*, opinion: Opinion, into: Opinion, actor) -> Opinion:
    """Merge by link: similar opinions are handled together; each person is still answered."""
    if (
        into.pk == opinion.pk
        or into.merged_into_id
        or into.status in (OpinionStatus.MERGED, OpinionStatus.ANSWERED)
    ):
        raise ValidationError({"into": "只能归并到尚在办理的意见"})
    transition(
        opinion,
        OpinionStatus.MERGED,
        actor=actor,
        event="merged",
        comment=f"归并至 {into}",
        at=_now(),
    )
    opinion.merged_into = into
    opinion.save(update_fields=["merged_into"])
    note_event(into, "merged", actor=actor, comment=f"归并 {opinion}", at=_now())
    return opinion


@transaction.atomic
def opinion_solve(*, opinion: Opinion, actor, result: str) -> Opinion:
    """Solved on the spot by the deputy or station."""
    if not result.strip():
        raise ValidationError({"result": "请说明解决情况"})
    opinion.handling_result = result.strip()
    opinion.save(update_fields=["handling_result"])
    transition(
        opinion,
        OpinionStatus.SOLVED,
        actor=actor,
        event="solved",
        comment=result.strip(),
        at=_now(),
    )
    return opinion


@transaction.atomic
def opinion_assign(*, opinion: Opinion, actor, unit) -> Opinion:
    """Assign to a handling unit with the time limit of the rule in force
    (`opinion.handle_working_days`, working days with make-up days)."""
    due = deadlines.working_days_due(
        "opinion.handle_working_days",
        region=opinion.region,
        start=clock.today(),
        basis="交办之日",
    )
    opinion.unit = unit
    opinion.due_on = due.due_on
    opinion.due_rule = due.rule
    opinion.save(update_fields=["unit", "due_on", "due_rule"])
    transition(
        opinion,
        OpinionStatus.ASSIGNED,
        actor=actor,
        event="assigned",
        comment=f"交{unit.name}办理，{due.explanation}，{due.due_on:%Y年%m月%d日}前办结",
        at=_now(),
    )
    return opinion


@transaction.atomic
def opinion_unit_return(*, opinion: Opinion, actor, reason: str) -> Opinion:
    if not reason.strip():
        raise ValidationError({"reason": "请说明退回理由"})
    transition(
        opinion,
        OpinionStatus.SORTED,
        actor=actor,
        event="returned",
        comment=f"{opinion.unit}退回：{reason.strip()}",
        at=_now(),
    )
    opinion.unit, opinion.due_on, opinion.due_rule = None, None, None
    opinion.save(update_fields=["unit", "due_on", "due_rule"])
    return opinion


@transaction.atomic
def opinion_handled(*, opinion: Opinion, actor, result: str) -> Opinion:
    """The unit (or the higher congress, or the suggestion's reply) has dealt with it."""
    if not result.strip():
        raise ValidationError({"result": "请填写办理结果"})
    opinion.handling_result = result.strip()
    opinion.save(update_fields=["handling_result"])
    transition(
        opinion,
        OpinionStatus.HANDLED,
        actor=actor,
        event="handled",
        comment=result.strip()[:200],
        at=_now(),
    )
    return opinion


@transaction.atomic
def opinion_escalate(*, opinion: Opinion, actor, to: str, note: str = "") -> Opinion:
    if not to.strip():
        raise ValidationError({"to": "请填写上报对象"})
    opinion.escalated_to = to.strip()
    opinion.save(update_fields=["escalated_to"])
    transition(
        opinion,
        OpinionStatus.ESCALATED,
        actor=actor,
        event="escalated",
        comment=f"上报{to.strip()}" + (f"：{note}" if note else ""),
        at=_now(),
    )
    return opinion


@transaction.atomic
def opinion_convert(
    *, opinion: Opinion, actor, congress, lead, title: str, body: str, category=None
):
    """Turn it into a between-session suggestion by a deputy, linked both
    ways (opinion.suggestion and suggestion.source_opinion)."""
    from renda.suggestions import services as suggestion_services

    item = suggestion_services.suggestion_draft(
        entered_by=actor,
        congress=congress,
        occasion="interim",
        title=title,
        body=body,
        lead=lead,
        category=category or opinion.category,
    )
    suggestion_services.suggestion_submit(suggestion=item, actor=actor)
    opinion.suggestion = item
    opinion.save(update_fields=["suggestion"])
    transition(
        opinion,
        OpinionStatus.CONVERTED,
        actor=actor,
        event="converted",
        comment=f"转为代表建议 {item.number}（领衔：{lead.name}）",
        at=_now(),
    )
    return item


@transaction.atomic
def opinion_decline(*, opinion: Opinion, actor, reason: str) -> Opinion:
    if not reason.strip():
        raise ValidationError({"reason": "请说明不予受理的理由"})
    opinion.decline_reason = reason.strip()
    opinion.save(update_fields=["decline_reason"])
    transition(
        opinion,
        OpinionStatus.DECLINED,
        actor=actor,
        event="declined",
        comment=reason.strip(),
        at=_now(),
    )
    return opinion


@transaction.atomic
def opinion_answer(*, opinion: Opinion, actor, answer: str, method: str) -> Opinion:
    """The person who raised it is told the result; the answer is recorded
    and shown on their tracking page."""
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容"})
    if not method.strip():
        raise ValidationError({"method": "请填写答复方式，如电话、当面、短信"})
    opinion.answer = answer.strip()
    opinion.answer_method = method.strip()
    opinion.answered_at = _now()
    opinion.save(update_fields=["answer", "answer_method", "answered_at"])
    transition(
        opinion,
        OpinionStatus.ANSWERED,
        actor=actor,
        event="answered",
        comment=f"{method.strip()}答复",
        at=_now(),
    )
    return opinion
