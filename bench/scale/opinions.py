"""Receptions at the stations and opinions from every channel, each carried
to an outcome with its timeline; the deputies on duty and the deputy who
collected an opinion are credited with duty records, as the services do."""

import datetime

from renda.duties.models import Attendance, DutyKind, DutyRecord, RecordStatus
from renda.opinions.models import (
    Channel,
    Opinion,
    OpinionStatus,
    Reception,
    ReceptionKind,
    Urgency,
)
from renda.suggestions.deadlines import add_working_days

from . import words
from .common import Run, Timeline, digest, insert, pick
from .places import County

CHANNELS = {
    Channel.RECEPTION: 30, Channel.STATION: 12, Channel.HOUSEHOLD: 14, Channel.GROUP_CHAT: 10,
    Channel.MAILBOX: 6, Channel.HOTLINE: 10, Channel.LETTER: 5, Channel.VISIT: 6, Channel.WEB: 7,
}  # fmt: skip
COLLECTED = (Channel.RECEPTION, Channel.STATION, Channel.HOUSEHOLD)
RECEPTION_KINDS = {
    ReceptionKind.SCHEDULED: 60, ReceptionKind.MARKET_DAY: 15,
    ReceptionKind.HOUSEHOLD: 15, ReceptionKind.AD_HOC: 10,
}  # fmt: skip
OUTCOMES = {"solved": 35, "assigned": 45, "escalated": 4, "converted": 8, "declined": 8}
URGENCIES = {Urgency.URGENT: 10, Urgency.IMPORTANT: 30, Urgency.NORMAL: 60}
DECLINE = "属于司法程序处理事项，已告知当事人通过诉讼途径解决"


def _record(run, person, kind, day, title, source_ct, source_pk, actor):
    return DutyRecord(
        person=person,
        kind=kind,
        occurred_on=day,
        title=title[:160],
        attendance=Attendance.PRESENT,
        status=RecordStatus.RECORDED,
        source_type_id=source_ct,
        source_id=source_pk,
        entered_by=actor,
    )


def build(run: Run, county: County, count: int) -> tuple[int, int]:
    """`count` opinions and their receptions; returns (rows, duty records) written."""
    rng = run.rng
    staff = county.staff
    townships = [t for t in county.townships if t.residents]
    weights = [t.weight for t in townships]
    timeline = Timeline(run)

    receptions, attendance = [], []
    for _ in range(max(1, round(count * 0.12))):
        township = rng.choices(townships, weights=weights)[0]
        reception = Reception(
            station=township.station,
            region=township.region,
            kind=pick(rng, RECEPTION_KINDS),
            held_on=run.past_day(720),
            people_received=rng.randint(3, 25),
            recorded_by=county.liaison if township.region.pk == county.liaison.region_id else staff,
        )
        reception.on_duty = rng.sample(
            township.residents, min(len(township.residents), rng.randint(1, 3))
        )
        reception.township = township
        receptions.append(reception)
    insert(Reception, receptions)
    through = Reception.deputies.through
    reception_ct, opinion_ct = run.ct(Reception), run.ct(Opinion)
    records = []
    for reception in receptions:
        attendance += [
            through(reception_id=reception.pk, person_id=p.pk) for p in reception.on_duty
        ]
        kind = (
            DutyKind.HOUSEHOLD_VISIT
            if reception.kind == ReceptionKind.HOUSEHOLD
            else DutyKind.RECEPTION
        )
        title = f"{reception.station}{ReceptionKind(reception.kind).label}"
        records += [
            _record(
                run,
                p,
                kind,
                reception.held_on,
                title,
                reception_ct,
                reception.pk,
                reception.recorded_by,
            )
            for p in reception.on_duty
        ]
    insert(through, attendance)

    opinions, merges = [], []
    for _ in range(count):
        channel = pick(rng, CHANNELS)
        reception = None
        if channel == Channel.RECEPTION:
            reception = rng.choice(receptions)
            township, day = reception.township, reception.held_on
            collected_by = rng.choice(reception.on_duty)
        else:
            township = rng.choices(townships, weights=weights)[0]
            day = run.past_day(720)
            collected_by = rng.choice(township.residents) if channel in COLLECTED else None
        place = (
            rng.choice(township.villages)
            if township.villages and rng.random() < 0.6
            else township.region
        )
        category = rng.choices(run.categories, weights=run.category_weights)[0]
        verb, obj = rng.choice(words.ISSUES[category.name])
        phone = f"1{rng.choice([3, 5, 8])}{rng.randint(0, 999999999):09d}"
        content = words.OPINION_BODY.format(place=place.name, object=obj, verb=verb)
        opinion = Opinion(
            receipt_code=run.receipt_code(),
            channel=channel,
            reception=reception,
            station=township.station if channel in COLLECTED else None,
            region=place,
            title=f"{place.name}{obj}问题"[:120],
            content=content,
            people_concerned=rng.choice([1, 1, 2, 5, 10, 30]),
            submitter_name=rng.choice(words.SURNAMES)
            + rng.choice(["先生", "女士", "大爷", "大妈", "师傅"]),
            submitter_phone=phone,
            collected_by=collected_by,
            entered_by=None if channel == Channel.WEB else staff,
            received_at=run.at(day),
            content_digest=digest(content, phone),
        )
        opinion.day, opinion.wanted_category = day, category
        if day >= run.today - datetime.timedelta(days=10) and rng.random() < 0.5:
            opinion.fate = "received"
        elif rng.random() < 0.03:
            opinion.fate = "merged"
        else:
            opinion.fate = pick(rng, OUTCOMES)
        (merges if opinion.fate == "merged" else opinions).append(opinion)

    pool = list(county.interim_pool)
    for opinion in opinions:
        _outcome(run, county, opinion, pool)
    insert(Opinion, opinions)
    targets = [
        o for o in opinions if o.status not in (OpinionStatus.RECEIVED, OpinionStatus.ANSWERED)
    ]
    for opinion in merges:
        opinion.status = OpinionStatus.MERGED
        opinion.target = rng.choice(targets) if targets else None
        opinion.merged_into = opinion.target
        if opinion.target is None:
            opinion.status = OpinionStatus.RECEIVED
    insert(Opinion, merges)

    for opinion in opinions + merges:
        _timeline(run, timeline, county, opinion)
        if opinion.collected_by is not None:
            records.append(
                _record(run, opinion.collected_by, DutyKind.OPINION, opinion.day,
                        f"收集社情民意：{opinion.title}", opinion_ct, opinion.pk, opinion.entered_by)
            )  # fmt: skip
    insert(DutyRecord, records)
    rows = (
        timeline.flush()
        + len(receptions)
        + len(attendance)
        + len(opinions)
        + len(merges)
        + len(records)
    )
    return rows, len(records)


def _outcome(run: Run, county: County, opinion: Opinion, pool: list) -> None:
    """Set the fields the sorting and the outcome write; dates on the opinion."""
    rng, fate = run.rng, opinion.fate
    opinion.status = OpinionStatus.RECEIVED
    if fate == "received":
        return
    sorted_on = min(opinion.day + datetime.timedelta(days=rng.randint(1, 5)), run.today)
    opinion.sorted_on = sorted_on
    opinion.category = opinion.wanted_category
    opinion.urgency = pick(rng, URGENCIES)
    opinion.number = run.opinion_number(sorted_on)
    if fate == "converted" and not pool:
        fate = opinion.fate = "escalated"
    if fate == "solved":
        opinion.handling_result = "代表现场协调，当场解决"
        opinion.status = OpinionStatus.SOLVED
    elif fate == "assigned":
        opinion.unit = county.units[words.CATEGORY_UNIT[opinion.category.name]]
        opinion.due_on = add_working_days(sorted_on, 15)
        opinion.due_rule = run.rules["opinion.handle_working_days"]
        opinion.status = OpinionStatus.ASSIGNED
    elif fate == "escalated":
        opinion.escalated_to = "上级人大常委会"
        opinion.status = OpinionStatus.ESCALATED
    elif fate == "converted":
        opinion.suggestion = pool.pop()
        opinion.status = OpinionStatus.CONVERTED
    else:
        opinion.decline_reason = DECLINE
        opinion.status = OpinionStatus.DECLINED
    opinion.handled_on = opinion.answered_on = None
    if fate in ("assigned", "escalated", "converted"):
        handled = sorted_on + datetime.timedelta(days=rng.randint(5, 40))
        if handled > run.today or rng.random() < 0.12:
            return  # still in hand; some of them overdue
        opinion.handled_on = handled
        opinion.handling_result = "经实地核查，已安排整改，问题已解决。"
        opinion.status = OpinionStatus.HANDLED
    answered = max(sorted_on, opinion.handled_on or sorted_on) + datetime.timedelta(
        days=rng.randint(1, 20)
    )
    if answered > run.today:
        return
    opinion.answered_on = answered
    opinion.answer = "您反映的问题已办理，感谢您的关心和监督。"
    opinion.answer_method = rng.choice(["电话", "当面", "短信"])
    opinion.answered_at = run.at(answered, 16)
    opinion.status = OpinionStatus.ANSWERED


def _state_on(opinion: Opinion, day: datetime.date) -> str:
    """The opinion's status on `day`, for an event noted on it then (a merge into it)."""
    if opinion.fate == "received" or day < opinion.sorted_on:
        return OpinionStatus.RECEIVED
    if opinion.answered_on and day >= opinion.answered_on:
        return OpinionStatus.ANSWERED
    if opinion.handled_on and day >= opinion.handled_on:
        return OpinionStatus.HANDLED
    return {
        "solved": OpinionStatus.SOLVED, "assigned": OpinionStatus.ASSIGNED,
        "escalated": OpinionStatus.ESCALATED, "converted": OpinionStatus.CONVERTED,
        "declined": OpinionStatus.DECLINED,
    }[opinion.fate]  # fmt: skip


def _timeline(run: Run, timeline: Timeline, county: County, opinion: Opinion) -> None:
    staff = county.staff
    timeline.note(opinion, "received", OpinionStatus.RECEIVED, at=opinion.received_at,
                  actor=opinion.entered_by, comment=f"渠道：{Channel(opinion.channel).label}")  # fmt: skip
    if opinion.status == OpinionStatus.MERGED:
        day = min(opinion.day + datetime.timedelta(days=2), run.today)
        # After the target's moves of that day (sorted 14h, handled 15h,
        # answered 16h), so the state _state_on gives is the one it is in.
        at = run.at(day, 17)
        timeline.move(opinion, "merged", OpinionStatus.RECEIVED, OpinionStatus.MERGED, at=at,
                      actor=staff, comment=f"归并至 {opinion.target.number} {opinion.target.title}")  # fmt: skip
        timeline.note(opinion.target, "merged", _state_on(opinion.target, day), at=at, actor=staff,
                      comment=f"归并 {opinion.receipt_code} {opinion.title}")  # fmt: skip
        return
    if opinion.fate == "received" or opinion.status == OpinionStatus.RECEIVED:
        return
    at = run.at(opinion.sorted_on, 14)
    urgency = Urgency(opinion.urgency).label
    timeline.move(opinion, "sorted", OpinionStatus.RECEIVED, OpinionStatus.SORTED, at=at, actor=staff,
                  comment=f"{opinion.category}，{urgency}，登记编号 {opinion.number}")  # fmt: skip
    fate = opinion.fate
    outcome = {
        "solved": (OpinionStatus.SOLVED, "代表现场协调，当场解决"),
        "assigned": (OpinionStatus.ASSIGNED, f"交{opinion.unit}办理，{opinion.due_on:%Y年%m月%d日}前办结" if opinion.unit_id else ""),
        "escalated": (OpinionStatus.ESCALATED, "上报上级人大常委会"),
        "converted": (OpinionStatus.CONVERTED, f"转为代表建议 {opinion.suggestion.number}" if opinion.suggestion_id else ""),
        "declined": (OpinionStatus.DECLINED, DECLINE),
    }[fate]  # fmt: skip
    timeline.move(
        opinion, fate, OpinionStatus.SORTED, outcome[0], at=at, actor=staff, comment=outcome[1]
    )
    state = outcome[0]
    if opinion.handled_on:
        actor = county.unit_users[opinion.unit_id] if opinion.unit_id else staff
        timeline.move(opinion, "handled", state, OpinionStatus.HANDLED, at=run.at(opinion.handled_on, 15),
                      actor=actor, comment=opinion.handling_result)  # fmt: skip
        state = OpinionStatus.HANDLED
    if opinion.answered_on:
        timeline.move(opinion, "answered", state, OpinionStatus.ANSWERED, at=opinion.answered_at,
                      actor=staff, comment=f"{opinion.answer_method}答复")  # fmt: skip
