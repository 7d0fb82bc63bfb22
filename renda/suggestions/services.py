"""Every write of the suggestions workflow. Each service owns its
transaction, moves the status only through renda.core.workflow.transition
(or records a non-moving event with note_event), and keeps deadlines in step."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator

from renda.core import clock
from renda.core.models import Unit
from renda.core.services import audit_record
from renda.core.workflow import note_event, transition
from renda.deputies.models import Person
from renda.duties.models import Attendance, DutyKind
from renda.duties.records import duty_records_put, duty_records_withdraw
from renda.suggestions import deadlines
from renda.suggestions.models import (
    OPEN_DEADLINE_STATES,
    Assignment,
    AuthorRole,
    Authorship,
    Consultation,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Evaluation,
    ExtensionRequest,
    ExtensionStatus,
    JointInspection,
    Kind,
    Occasion,
    Rating,
    Reply,
    ReplyClass,
    Status,
    Suggestion,
    UnitRole,
)
from renda.suggestions.reply_classes import reply_classes


class IntakeReason:
    """Why an item is not accepted (DOMAIN §4 intake rules); staff may add detail."""

    CHOICES = [
        ("personal", "涉及代表本人或亲属个人问题"),
        ("letter", "代转人民群众来信"),
        ("outside_powers", "不属于本级国家机关职权范围"),
        ("several_issues", "一件建议涉及多个事项，请分别提出"),
        ("no_content", "没有实际内容"),
        ("other", "其他"),
    ]


# Read through the project's clock (renda.core.clock); tests patch these.
acting_on = clock.acting_on


def _today() -> datetime.date:
    return clock.today()


def _now() -> datetime.datetime:
    return clock.now()


def _add_deadline(suggestion, kind, due, assignment=None) -> Deadline:
    return Deadline.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        kind=kind,
        start_on=due.start_on,
        due_on=due.due_on,
        rule=due.rule,
        explanation=due.explanation,
    )


def _finish_deadlines(suggestion, kind, on: datetime.date, assignment=None) -> None:
    """Mark open deadlines of a kind done: met if on time, met late if not."""
    open_ones = Deadline.objects.filter(
        suggestion=suggestion, kind=kind, state__in=OPEN_DEADLINE_STATES
    )
    if assignment is not None:
        open_ones = open_ones.filter(assignment=assignment)
    for deadline in open_ones:
        deadline.state = DeadlineState.MET if on <= deadline.due_on else DeadlineState.MET_LATE
        deadline.done_on = on
        deadline.save(update_fields=["state", "done_on"])


def _cancel_deadlines(suggestion, *, assignment=None, kinds=None) -> None:
    open_ones = Deadline.objects.filter(suggestion=suggestion, state__in=OPEN_DEADLINE_STATES)
    if assignment is not None:
        open_ones = open_ones.filter(assignment=assignment)
    if kinds is not None:
        open_ones = open_ones.filter(kind__in=kinds)
    open_ones.update(state=DeadlineState.CANCELLED)


# --- submission ------------------------------------------------------------------


@transaction.atomic
def suggestion_draft(
    *,
    entered_by,
    congress,
    occasion: str,
    title: str,
    body: str,
    lead: Person,
    co_signers=(),
    kind: str = Kind.SUGGESTION,
    session=None,
    category=None,
    from_paper: bool = False,
) -> Suggestion:
    """Create a draft by a deputy (or by staff from a paper original)."""
    if occasion == Occasion.SESSION and session is None:
        raise ValidationError({"session": "大会期间提出的，请选择会议"})
    if not title.strip() or not body.strip():
        raise ValidationError({"title": "请填写案由和内容"})
    suggestion = Suggestion.objects.create(
        title=title.strip(),
        body=body.strip(),
        kind=kind,
        occasion=occasion,
        congress=congress,
        session=session if occasion == Occasion.SESSION else None,
        region=congress.region,
        category=category,
        entered_by=entered_by,
        from_paper=from_paper,
    )
    Authorship.objects.create(suggestion=suggestion, person=lead, role=AuthorRole.LEAD)
    for person in co_signers:
        if person.pk != lead.pk:
            Authorship.objects.get_or_create(
                suggestion=suggestion, person=person, defaults={"role": AuthorRole.CO}
            )
    return suggestion


def _next_number(suggestion: Suggestion) -> str:
    year = timezone.localdate().year
    prefix = (
        f"{suggestion.session.term.number}-{suggestion.session.number}-"
        if suggestion.session_id
        else f"闭{year}-"
    )
    taken = Suggestion.objects.filter(
        congress=suggestion.congress, number__startswith=prefix
    ).count()
    return f"{prefix}{taken + 1:03d}"


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor) -> Suggestion:
    """Submit a draft: it gets its number and goes to review. A
    between-session item must be assigned within the rule's working days."""
    transition(suggestion, Status.SUBMITTED, actor=actor, event="submitted", at=_now())
    suggestion.number = _next_number(suggestion)
    suggestion.submitted_at = _now()
    suggestion.save(update_fields=["number", "submitted_at"])
    _credit_authors(suggestion, actor)
    if suggestion.occasion == Occasion.INTERIM:
        due = deadlines.working_days_due(
            "suggestion.interim_assign_working_days",
            region=suggestion.region,
            start=_today(),
            basis="收到之日",
        )
        _add_deadline(suggestion, DeadlineKind.ASSIGN, due)
    return suggestion


def _credit_authors(suggestion: Suggestion, actor) -> None:
    """Each author's archive and score get the item: the lead as leading
    it, co-signers as joint signers (DOMAIN §3)."""
    authors = {AuthorRole.LEAD: {}, AuthorRole.CO: {}}
    for authorship in suggestion.authorships.select_related("person"):
        authors[authorship.role][authorship.person] = (Attendance.PRESENT, "")
    for role, kind in (
        (AuthorRole.LEAD, DutyKind.SUGGESTION),
        (AuthorRole.CO, DutyKind.JOINT_SUGGESTION),
    ):
        if authors[role]:
            duty_records_put(
                persons=authors[role],
                kind=kind,
                occurred_on=_today(),
                title=f"{suggestion.get_kind_display()}：{suggestion.title}"[:160],
                source=suggestion,
                actor=actor,
            )


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
    """Withdrawal in writing: the reason is required and kept."""
    if not reason.strip():
        raise ValidationError({"reason": "撤回须书面说明理由"})
    transition(
        suggestion,
        Status.WITHDRAWN,
        actor=actor,
        event="withdrawn",
        comment=reason.strip(),
        at=_now(),
    )
    _cancel_deadlines(suggestion)
    Assignment.objects.filter(suggestion=suggestion, active=True).update(active=False)
    duty_records_withdraw(source=suggestion)
    return suggestion


# --- review ------------------------------------------------------------------------


@transaction.atomic
def suggestion_accept(
    *, suggestion: Suggestion, actor, final_kind: str, comment: str = ""
) -> Suggestion:
    """The review committee or presidium accepts the item as a motion or a suggestion."""
    if final_kind not in Kind.values:
        raise ValidationError({"final_kind": "请选择作为议案或建议办理"})
    transition(
        suggestion,
        Status.ACCEPTED,
        actor=actor,
        event="reviewed",
        comment=comment or f"作为{Kind(final_kind).label}办理",
        at=_now(),
    )
    suggestion.final_kind = final_kind
    suggestion.save(update_fields=["final_kind"])
    return suggestion


@transaction.atomic
def suggestion_reject(
    *, suggestion: Suggestion, actor, reason_code: str, detail: str = ""
) -> Suggestion:
    """Not accepted, with a stated reason from the intake rules."""
    reasons = dict(IntakeReason.CHOICES)
    if reason_code not in reasons:
        raise ValidationError({"reason_code": "请选择不予立案的理由"})
    reason = reasons[reason_code] + (f"：{detail.strip()}" if detail.strip() else "")
    transition(
        suggestion, Status.NOT_ACCEPTED, actor=actor, event="reviewed", comment=reason, at=_now()
    )
    suggestion.rejection_reason = reason
    suggestion.save(update_fields=["rejection_reason"])
    _cancel_deadlines(suggestion)
    return suggestion


@transaction.atomic
def suggestion_merge(
    *, suggestion: Suggestion, into: Suggestion, actor, comment: str = ""
) -> Suggestion:
    """Merge by link: the item keeps its authors, who each get the main
    item's reply and give their own evaluation. Nothing is deleted."""
    if into.pk == suggestion.pk:
        raise ValidationError({"into": "不能并入自身"})
    if into.merged_into_id or into.status in (
        Status.MERGED,
        Status.NOT_ACCEPTED,
        Status.WITHDRAWN,
        Status.DRAFT,
    ):
        raise ValidationError({"into": "只能并入尚在办理的主件"})
    if into.region_id != suggestion.region_id:
        raise ValidationError({"into": "只能并入同一人大的建议"})
    transition(
        suggestion,
        Status.MERGED,
        actor=actor,
        event="merged",
        comment=comment or f"并入 {into}",
        at=_now(),
    )
    suggestion.merged_into = into
    suggestion.save(update_fields=["merged_into"])
    note_event(into, "merged", actor=actor, comment=f"并入 {suggestion}", at=_now())
    _cancel_deadlines(suggestion)
    return suggestion


# --- assignment ----------------------------------------------------------------------


@transaction.atomic
def suggestion_assign(
    *, suggestion: Suggestion, actor, lead_unit: Unit, co_units=(), is_complex: bool = False
) -> Assignment:
    """Assign to a lead unit (and co-units): the reply, return and co-unit
    opinion deadlines are computed from the rules in force today."""
    co_units = [unit for unit in co_units if unit.pk != lead_unit.pk]
    transition(
        suggestion,
        Status.ASSIGNED,
        actor=actor,
        event="assigned",
        comment="主办："
        + lead_unit.name
        + ("；协办：" + "、".join(u.name for u in co_units) if co_units else ""),
        at=_now(),
    )
    suggestion.is_complex = is_complex
    suggestion.save(update_fields=["is_complex"])
    today = _today()
    _finish_deadlines(suggestion, DeadlineKind.ASSIGN, today)
    lead = Assignment.objects.create(
        suggestion=suggestion,
        unit=lead_unit,
        role=UnitRole.LEAD,
        assigned_by=actor,
        assigned_at=_now(),
    )
    session_closed_on = suggestion.session.closed_on if suggestion.session_id else None
    _add_deadline(
        suggestion,
        DeadlineKind.REPLY,
        deadlines.reply_due(
            region=suggestion.region,
            assigned_on=today,
            is_complex=is_complex,
            session_closed_on=session_closed_on,
        ),
        lead,
    )
    _add_deadline(
        suggestion,
        DeadlineKind.RETURN,
        deadlines.working_days_due(
            "suggestion.return_working_days",
            region=suggestion.region,
            start=today,
            basis="交办之日",
        ),
        lead,
    )
    for unit in co_units:
        co = Assignment.objects.create(
            suggestion=suggestion,
            unit=unit,
            role=UnitRole.CO,
            assigned_by=actor,
            assigned_at=_now(),
        )
        _add_deadline(
            suggestion,
            DeadlineKind.CO_OPINION,
            deadlines.months_due(
                "suggestion.co_opinion_months",
                region=suggestion.region,
                start=today,
                basis="交办之日",
            ),
            co,
        )
    return lead


def lead_assignment(suggestion: Suggestion) -> Assignment | None:
    return (
        suggestion.assignments.filter(active=True, role=UnitRole.LEAD)
        .select_related("unit")
        .first()
    )


@transaction.atomic
def assignment_sign(*, assignment: Assignment, actor) -> Assignment:
    """The unit signs for the item; for the lead unit, handling begins."""
    if not assignment.active or assignment.signed_at:
        raise ValidationError("该交办已签收或已退回")
    assignment.signed_at = _now()
    assignment.save(update_fields=["signed_at"])
    suggestion = assignment.suggestion
    if assignment.role == UnitRole.LEAD:
        transition(
            suggestion,
            Status.HANDLING,
            actor=actor,
            event="signed",
            comment=f"{assignment.unit.name}签收",
            at=_now(),
        )
        _finish_deadlines(suggestion, DeadlineKind.RETURN, _today(), assignment)
    else:
        note_event(
            suggestion,
            "signed",
            actor=actor,
            comment=f"{assignment.unit.name}（协办）签收",
            at=_now(),
        )
    return assignment


@transaction.atomic
def assignment_return(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """A lead unit returns a misassigned item with its reason, within the
    rule's working days; the item goes back to be reassigned."""
    if not reason.strip():
        raise ValidationError({"reason": "请说明退回理由"})
    if assignment.role != UnitRole.LEAD or not assignment.active or assignment.signed_at:
        raise ValidationError("只有尚未签收的主办单位可以退回")
    window = assignment.deadlines.filter(kind=DeadlineKind.RETURN).first()
    if window and _today() > window.due_on:
        raise ValidationError(
            f"已超过退回期限（{window.due_on:%Y年%m月%d日}，{window.explanation}），请与交办机构联系"
        )
    suggestion = assignment.suggestion
    transition(
        suggestion,
        Status.ACCEPTED,
        actor=actor,
        event="returned",
        comment=f"{assignment.unit.name}退回：{reason.strip()}",
        at=_now(),
    )
    assignment.active = False
    assignment.returned_at = _now()
    assignment.return_reason = reason.strip()
    assignment.save(update_fields=["active", "returned_at", "return_reason"])
    _finish_deadlines(suggestion, DeadlineKind.RETURN, _today(), assignment)
    _cancel_deadlines(suggestion)
    suggestion.assignments.filter(active=True).update(active=False)
    return assignment


@transaction.atomic
def co_opinion_submit(*, assignment: Assignment, actor, opinion: str) -> Assignment:
    if assignment.role != UnitRole.CO or not assignment.active:
        raise ValidationError("只有协办单位可以提交协办意见")
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写协办意见"})
    assignment.co_opinion = opinion.strip()
    assignment.co_opinion_at = _now()
    assignment.save(update_fields=["co_opinion", "co_opinion_at"])
    _finish_deadlines(assignment.suggestion, DeadlineKind.CO_OPINION, _today(), assignment)
    note_event(
        assignment.suggestion,
        "co_opinion",
        actor=actor,
        comment=f"{assignment.unit.name}提交协办意见",
        at=_now(),
    )
    return assignment


# --- handling, reply, evaluation --------------------------------------------------------


@transaction.atomic
def consultation_record(
    *,
    suggestion: Suggestion,
    unit: Unit,
    actor,
    step: str,
    held_on,
    content: str,
    form: str = "",
    deputy_view: str = "",
) -> Consultation:
    """A step of the three-step method: plan, face-to-face consultation, progress."""
    if suggestion.status not in (Status.HANDLING, Status.REHANDLING, Status.COMMITTED):
        raise ValidationError("只有办理中的建议可以记录办理过程")
    if held_on > _today():
        raise ValidationError({"held_on": "日期不能晚于今天"})
    consultation = Consultation.objects.create(
        suggestion=suggestion,
        unit=unit,
        step=step,
        held_on=held_on,
        form=form,
        content=content,
        deputy_view=deputy_view,
        recorded_by=actor,
    )
    event = {"plan": "planned", "consult": "consulted", "progress": "progress"}[step]
    note_event(suggestion, event, actor=actor, comment=content[:200], at=_now())
    return consultation


@transaction.atomic
def reply_submit(
    *,
    suggestion: Suggestion,
    unit: Unit,
    actor,
    reply_class: str,
    text: str,
    signed_by: str,
    replied_on,
    commitment: str = "",
) -> Reply:
    """The lead unit's formal reply, signed by its head. The class must be
    one of the scheme in force for the item's region on the reply date
    (renda.suggestions.reply_classes); every class but A carries a commitment."""
    if replied_on > _today():
        raise ValidationError({"replied_on": "答复日期不能晚于今天"})
    scheme = reply_classes(suggestion.region, replied_on)
    if scheme.problem:
        raise ValidationError({"reply_class": f"{scheme.problem}，请先更正规则"})
    if not reply_class:
        raise ValidationError({"reply_class": "请选择答复类别"})
    if reply_class not in scheme.codes:
        raise ValidationError(
            {
                "reply_class": f"答复类别“{reply_class}”不在{suggestion.region.name}"
                f"{replied_on:%Y年%m月%d日}施行的答复分类（{scheme.labels_text}）之内"
            }
        )
    if not signed_by.strip():
        raise ValidationError({"signed_by": "答复须由单位负责人签发"})
    if reply_class != ReplyClass.A and not commitment.strip():
        raise ValidationError(
            {"commitment": f"{scheme.label(reply_class)}答复须写明落实承诺及时限"}
        )
    rehandling = suggestion.status == Status.REHANDLING
    transition(
        suggestion,
        Status.REPLIED,
        actor=actor,
        event="replied",
        comment=f"{unit.name}答复（{scheme.label(reply_class)}）",
        at=_now(),
    )
    round_ = (suggestion.replies.aggregate(n=Max("round"))["n"] or 0) + 1
    reply = Reply.objects.create(
        suggestion=suggestion,
        unit=unit,
        round=round_,
        reply_class=reply_class,
        text=text,
        commitment=commitment,
        signed_by=signed_by.strip(),
        replied_on=replied_on,
        entered_by=actor,
    )
    suggestion.reply_class = reply_class
    suggestion.save(update_fields=["reply_class"])
    _finish_deadlines(
        suggestion, DeadlineKind.REHANDLE if rehandling else DeadlineKind.REPLY, replied_on
    )
    return reply


def all_authors(suggestion: Suggestion) -> list[Person]:
    """The authors of an item and of every item merged into it: each gets
    the reply and evaluates it."""
    return list(
        Person.objects.filter(
            authorships__suggestion__in=[suggestion, *suggestion.merged_items.all()]
        ).distinct()
    )


@transaction.atomic
def evaluation_record(
    *, reply: Reply, person: Person, actor, rating: str, comment: str = "", from_paper: bool = False
) -> Evaluation:
    """One author's evaluation. "Not satisfied" reopens the item for
    re-handling with its own deadline; when every author is satisfied or
    basically satisfied, the item closes (A) or stays open as a commitment
    (B, C, D) followed until done."""
    suggestion = reply.suggestion
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意"})
    if (
        suggestion.status != Status.REPLIED
        or reply.round != suggestion.replies.aggregate(n=Max("round"))["n"]
    ):
        raise ValidationError("只能评价最新一次答复")
    authors = all_authors(suggestion)
    if person not in authors:
        raise ValidationError({"person": "只有提出该建议的代表可以评价"})
    if rating == Rating.DISSATISFIED and not comment.strip():
        raise ValidationError({"comment": "不满意时请写明意见，以便重新办理"})
    evaluation, created = Evaluation.objects.get_or_create(
        reply=reply,
        person=person,
        defaults={
            "rating": rating,
            "comment": comment,
            "entered_by": actor,
            "from_paper": from_paper,
        },
    )
    if not created:
        raise ValidationError("该代表已评价过本次答复")
    note_event(
        suggestion,
        "evaluated",
        actor=actor,
        comment=f"{person.name}：{evaluation.get_rating_display()}"
        + (f"，{comment}" if comment else ""),
        at=_now(),
    )
    if rating == Rating.DISSATISFIED:
        transition(
            suggestion,
            Status.REHANDLING,
            actor=actor,
            event="reopened",
            comment=f"{person.name}不满意，重新办理",
            at=_now(),
        )
        due = deadlines.months_due(
            "suggestion.rehandle_months",
            region=suggestion.region,
            start=_today(),
            basis="代表评价不满意之日",
        )
        _add_deadline(suggestion, DeadlineKind.REHANDLE, due, lead_assignment(suggestion))
    elif reply.evaluations.count() == len(authors):
        if reply.reply_class == ReplyClass.A:
            _close(suggestion, actor, "全部代表满意或基本满意，办结")
        else:
            transition(
                suggestion,
                Status.COMMITTED,
                actor=actor,
                event="committed",
                comment=f"{reply_classes(suggestion.region, reply.replied_on).label(reply.reply_class)}"
                f"答复，承诺事项继续跟踪：{reply.commitment}",
                at=_now(),
            )
    return evaluation


def _close(suggestion, actor, comment):
    transition(suggestion, Status.CLOSED, actor=actor, event="closed", comment=comment, at=_now())
    suggestion.closed_at = _now()
    suggestion.save(update_fields=["closed_at"])


@transaction.atomic
def commitment_close(*, suggestion: Suggestion, actor, note: str) -> Suggestion:
    """A B/C commitment is done (or formally closed), possibly years later."""
    if suggestion.status != Status.COMMITTED:
        raise ValidationError("只有承诺落实中的建议可以办结承诺")
    if not note.strip():
        raise ValidationError({"note": "请说明承诺落实情况"})
    _close(suggestion, actor, note.strip())
    return suggestion


# --- supervision -------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, deadline: Deadline, unit: Unit, actor, requested_until, reason: str
) -> ExtensionRequest:
    if deadline.state not in OPEN_DEADLINE_STATES:
        raise ValidationError("该期限已结束，无需延期")
    if requested_until <= deadline.due_on:
        raise ValidationError(
            {"requested_until": f"延期日期须晚于现截止日期 {deadline.due_on:%Y-%m-%d}"}
        )
    if not reason.strip():
        raise ValidationError({"reason": "请说明延期理由"})
    request = ExtensionRequest.objects.create(
        deadline=deadline,
        unit=unit,
        requested_until=requested_until,
        reason=reason.strip(),
        requested_by=actor,
    )
    note_event(
        deadline.suggestion,
        "extension_requested",
        actor=actor,
        comment=f"{unit.name}申请将{deadline.get_kind_display()}延至 {requested_until:%Y-%m-%d}：{reason.strip()}",
        at=_now(),
    )
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Extensions only with approval, and recorded: the old date is kept."""
    changed = ExtensionRequest.objects.filter(pk=request.pk, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED,
        decided_by=actor,
        decided_at=_now(),
        decision_note=note,
    )
    if changed != 1:
        raise ValidationError("该申请已处理")
    request.refresh_from_db()
    deadline = request.deadline
    if approve:
        deadline.extended_from = deadline.extended_from or deadline.due_on
        deadline.due_on = request.requested_until
        deadline.state = DeadlineState.OPEN
        deadline.save(update_fields=["extended_from", "due_on", "state"])
    note_event(
        deadline.suggestion,
        "extended" if approve else "extension_refused",
        actor=actor,
        comment=("批准延期至 " if approve else "不同意延期至 ")
        + f"{request.requested_until:%Y-%m-%d}"
        + (f"：{note}" if note else ""),
        at=_now(),
    )
    return request


@transaction.atomic
def suggestion_urge(*, suggestion: Suggestion, actor, note: str) -> None:
    """An urging notice (催办) to the handling units."""
    from renda.suggestions.models import Notification

    if suggestion.status not in (
        Status.ASSIGNED,
        Status.HANDLING,
        Status.REHANDLING,
        Status.COMMITTED,
    ):
        raise ValidationError("只有交办后尚未办结的建议可以催办")
    note_event(suggestion, "urged", actor=actor, comment=note, at=_now())
    units = suggestion.assignments.filter(active=True).values_list("unit_id", flat=True)
    from renda.core.models import User

    # The note may be long (1,000 characters); the notice shows its start.
    text = Truncator(f"催办：{suggestion.title}" + (f"（{note}）" if note else "")).chars(
        Notification._meta.get_field("text").max_length
    )
    for user in User.objects.filter(unit_id__in=units, is_active=True):
        Notification.objects.create(user=user, suggestion=suggestion, kind="urged", text=text)


@transaction.atomic
def suggestion_supervise(
    *, suggestion: Suggestion, actor, key_supervised: bool, group: str = ""
) -> Suggestion:
    suggestion.key_supervised = key_supervised
    suggestion.supervision_group = group.strip()
    suggestion._history_user = actor
    suggestion.save(update_fields=["key_supervised", "supervision_group"])
    note_event(
        suggestion,
        "supervised",
        actor=actor,
        comment=("列为重点督办" + (f"，督办组：{group}" if group else ""))
        if key_supervised
        else "取消重点督办",
        at=_now(),
    )
    return suggestion


@transaction.atomic
def suggestion_publish(*, suggestion: Suggestion, actor, published: bool) -> Suggestion:
    """The office chooses per item whether its reply is published (with
    personal data removed: the public page shows each reply's public text)."""
    if published and not suggestion.replies.exists():
        raise ValidationError("尚无答复，不能公开")
    now = _now()
    suggestion.published = published
    suggestion.published_at = now if published else None
    suggestion.save(update_fields=["published", "published_at"])
    note_event(suggestion, "published" if published else "unpublished", actor=actor, at=now)
    return suggestion


# --- joint inspection before the next session --------------------------------------------

# Items that have handling files to inspect: assigned at some time, and
# neither withdrawn nor merged since.
INSPECTABLE = [
    Status.ASSIGNED,
    Status.HANDLING,
    Status.REPLIED,
    Status.REHANDLING,
    Status.COMMITTED,
    Status.CLOSED,
]


def _item_names(items) -> str:
    return "、".join(item.number or item.title for item in items)


def _inspection_problems(*, session, held_on, deputies, inspectors, findings) -> dict:
    errors = {}
    if held_on > _today():
        errors["held_on"] = "检查日期不能晚于今天"
    elif held_on < session.opened_on:
        errors["held_on"] = f"检查日期不能早于{session}的开幕日期（{session.opened_on:%Y-%m-%d}）"
    if not deputies and not inspectors.strip():
        errors["deputies"] = "请选择参加检查的代表，或填写其他参加人员"
    if not findings.strip():
        errors["findings"] = "请填写检查情况"
    return errors


def _inspection_comment(inspection: JointInspection, deputies, units) -> str:
    parts = [f"{inspection.held_on:%Y年%m月%d日}联合检查办理情况"]
    if deputies:
        parts.append(f"{len(deputies)}名代表参加")
    if units:
        parts.append("检查" + "、".join(unit.name for unit in units))
    text = "，".join(parts) + f"。检查情况：{inspection.findings}"
    return text if len(text) <= 200 else text[:199] + "…"


@transaction.atomic
def joint_inspection_record(
    *,
    actor,
    session,
    held_on: datetime.date,
    findings: str,
    suggestions,
    deputies=(),
    inspectors: str = "",
    units=(),
    requirements: str = "",
) -> JointInspection:
    """Record a joint inspection of the handling of one session's
    suggestions (联合检查 / 集中督查, DOMAIN §4: before the next session).
    Every item covered must be of that session and assigned; each gets an
    "inspected" event on its timeline. The participating deputies are kept
    as Person rows, so their duty records can be credited from them."""
    suggestions, deputies, units = list(suggestions), list(deputies), list(units)
    errors = _inspection_problems(
        session=session,
        held_on=held_on,
        deputies=deputies,
        inspectors=inspectors,
        findings=findings,
    )
    outside = [item for item in suggestions if item.session_id != session.pk]
    unhandled = [item for item in suggestions if item.status not in INSPECTABLE]
    if not suggestions:
        errors["suggestions"] = "请选择检查的建议"
    elif outside:
        errors["suggestions"] = f"{_item_names(outside)}不是{session}提出的建议"
    elif unhandled:
        errors["suggestions"] = f"{_item_names(unhandled)}尚未交办或已撤回、并案，没有办理材料可查"
    if errors:
        raise ValidationError(errors)
    inspection = JointInspection.objects.create(
        region=session.term.body.region,
        session=session,
        held_on=held_on,
        inspectors=inspectors.strip(),
        findings=findings.strip(),
        requirements=requirements.strip(),
        recorded_by=actor,
    )
    inspection.deputies.set(deputies)
    inspection.units.set(units)
    inspection.suggestions.set(suggestions)
    _credit_inspectors(inspection, deputies, actor)
    comment = _inspection_comment(inspection, deputies, units)
    for item in suggestions:
        note_event(item, "inspected", actor=actor, comment=comment, at=_now())
    audit_record(
        actor=actor,
        action="joint_inspection_record",
        record=inspection,
        detail={
            "session": session.pk,
            "held_on": held_on.isoformat(),
            "deputies": [person.pk for person in deputies],
            "units": [unit.pk for unit in units],
            "suggestions": [item.pk for item in suggestions],
        },
    )
    return inspection


def _credit_inspectors(inspection: JointInspection, deputies, actor) -> None:
    """The deputies who took part are credited with an inspection (视察)."""
    duty_records_put(
        persons=dict.fromkeys(deputies, (Attendance.PRESENT, "")),
        kind=DutyKind.INSPECTION,
        occurred_on=inspection.held_on,
        title=f"联合检查{inspection.session.label}建议办理情况"[:160],
        source=inspection,
        actor=actor,
    )


@transaction.atomic
def joint_inspection_update(
    *,
    inspection: JointInspection,
    actor,
    held_on: datetime.date,
    findings: str,
    deputies=(),
    inspectors: str = "",
    units=(),
    requirements: str = "",
) -> JointInspection:
    """Correct a recorded inspection: its date, participants, units, findings
    and requirements. The session and the items covered stay: their
    timelines already show the inspection."""
    deputies, units = list(deputies), list(units)
    errors = _inspection_problems(
        session=inspection.session,
        held_on=held_on,
        deputies=deputies,
        inspectors=inspectors,
        findings=findings,
    )
    if errors:
        raise ValidationError(errors)
    before = {
        "held_on": inspection.held_on.isoformat(),
        "deputies": sorted(inspection.deputies.values_list("pk", flat=True)),
        "units": sorted(inspection.units.values_list("pk", flat=True)),
        "inspectors": inspection.inspectors,
        "findings": inspection.findings,
        "requirements": inspection.requirements,
    }
    inspection.held_on = held_on
    inspection.inspectors = inspectors.strip()
    inspection.findings = findings.strip()
    inspection.requirements = requirements.strip()
    inspection.save(update_fields=["held_on", "inspectors", "findings", "requirements"])
    inspection.deputies.set(deputies)
    inspection.units.set(units)
    _credit_inspectors(inspection, deputies, actor)
    after = {
        "held_on": held_on.isoformat(),
        "deputies": sorted(person.pk for person in deputies),
        "units": sorted(unit.pk for unit in units),
        "inspectors": inspection.inspectors,
        "findings": inspection.findings,
        "requirements": inspection.requirements,
    }
    audit_record(
        actor=actor,
        action="joint_inspection_update",
        record=inspection,
        detail={
            "changed": {
                name: {"from": before[name], "to": after[name]}
                for name in before
                if before[name] != after[name]
            }
        },
    )
    return inspection
