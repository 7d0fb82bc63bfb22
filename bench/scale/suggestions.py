"""Suggestions with full timelines: each item is carried to a fate (closed,
committed, replied, re-handling, handling, assigned, accepted, submitted,
not accepted, merged) with the rows the services would have written on the
way: authorships, assignments, deadlines, a consultation, the reply,
evaluations and one StateChange per move or noted event."""

import datetime

from renda.duties.models import Attendance, DutyKind, DutyRecord, RecordStatus
from renda.suggestions.deadlines import add_months, add_working_days
from renda.suggestions.models import (
    Assignment,
    AuthorRole,
    Authorship,
    Consultation,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Evaluation,
    Kind,
    Occasion,
    Rating,
    Reply,
    Status,
    Suggestion,
    UnitRole,
)

from . import words
from .common import Run, Timeline, insert, pick
from .places import County

FATES = {
    "closed": 40, "committed": 15, "replied": 6, "rehandling": 3, "handling": 15,
    "assigned": 4, "accepted": 3, "submitted": 3, "rejected": 5, "merged": 6,
}  # fmt: skip
# Stage each fate reaches, in order; a fate whose next date is still in the
# future stops at the stage before.
STAGES = [
    "submitted",
    "reviewed",
    "assigned",
    "signed",
    "replied",
    "evaluated",
    "commitment_closed",
]
REACHES = {
    "submitted": "submitted", "rejected": "reviewed", "merged": "reviewed", "accepted": "reviewed",
    "assigned": "assigned", "handling": "signed", "replied": "replied", "rehandling": "evaluated",
    "committed": "evaluated", "closed": "evaluated",
}  # fmt: skip
REJECT_REASONS = [
    "涉及代表本人或亲属个人问题",
    "不属于本级国家机关职权范围",
    "一件建议涉及多个事项，请分别提出",
]


def _d(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _months_explanation(start, months):
    return f"自交办之日（{start:%Y年%m月%d日}）起 {months} 个月"


def _working_explanation(basis, start, days):
    return f"自{basis}（{start:%Y年%m月%d日}）起 {days} 个工作日（按法定节假日及调休计算）"


class _Item:
    """One planned item: the Suggestion and the dates of its stages."""

    def __init__(self, obj, fate, dates, authors, clerk, lead_unit, co_unit, complex_):
        self.obj, self.fate, self.dates, self.authors = obj, fate, dates, authors
        self.clerk, self.lead_unit, self.co_unit, self.complex = clerk, lead_unit, co_unit, complex_
        self.commitment_closed = False
        self.target = self.lead = self.co = self.reply = None


def _state_on(item: _Item, day: datetime.date) -> str:
    """The item's status on `day`, for an event noted on it then (a merge into it)."""
    dates, reached = item.dates, STAGES.index(REACHES[item.fate])
    state = Status.SUBMITTED
    steps = [("reviewed", Status.ACCEPTED), ("assigned", Status.ASSIGNED),
             ("signed", Status.HANDLING), ("replied", Status.REPLIED)]  # fmt: skip
    for index, (stage, after) in enumerate(steps, start=1):
        if index > reached or day < dates[stage]:
            return state
        state = after
    if reached < STAGES.index("evaluated") or day < dates["evaluated"]:
        return Status.REPLIED
    if item.commitment_closed:
        return Status.CLOSED if day >= dates["commitment_closed"] else Status.COMMITTED
    return item.obj.status


def _plan_dates(run: Run, fate, submitted, session, complex_):
    rng = run.rng
    dates = {"submitted": submitted}
    dates["reviewed"] = _d(submitted, rng.randint(2, 5))
    if session is not None:
        dates["assigned"] = max(_d(session.closed_on, rng.randint(15, 25)), dates["reviewed"])
    else:
        dates["assigned"] = _d(dates["reviewed"], rng.randint(1, 3))
    dates["signed"] = _d(dates["assigned"], rng.randint(1, 3))
    dates["replied"] = _d(
        dates["assigned"], rng.randint(60, 150) if complex_ else rng.randint(40, 85)
    )
    dates["evaluated"] = _d(dates["replied"], rng.randint(5, 20))
    dates["commitment_closed"] = _d(dates["evaluated"], rng.randint(60, 240))
    reach = STAGES.index(REACHES[fate])
    for index, stage in enumerate(STAGES[1 : reach + 1], start=1):
        if dates[stage] > run.today:
            reach = index - 1
            break
    if reach < STAGES.index(REACHES[fate]):
        fate = {0: "submitted", 1: "accepted", 2: "assigned", 3: "handling", 4: "replied"}[reach]
    return fate, dates


def build(run: Run, county: County, count: int) -> tuple[int, int]:
    """`count` items for the county's and its townships' congresses; returns
    (duty records credited to their authors, rows written)."""
    rng = run.rng
    towns = [t for t in county.townships if t.congress and t.persons]
    clerk = county.staff
    deputy_user = {p.user_id: p for p in county.persons if p.user_id}
    items, merges = [], []
    for _ in range(count):
        if towns and rng.random() < 0.15:
            township = rng.choices(towns, weights=[t.weight for t in towns])[0]
            congress, term, sessions, pool = (
                township.congress,
                township.term,
                township.sessions,
                township.persons,
            )
        else:
            congress, term, sessions, pool = (
                county.congress,
                county.term,
                county.sessions,
                county.county_persons,
            )
        recent = [s for s in sessions if s.opened_on >= _d(run.today, -700)]
        session = rng.choice(recent) if recent and rng.random() < 0.6 else None
        submitted = _d(session.opened_on, 1) if session is not None else run.past_day(660)
        complex_ = rng.random() < 0.08
        fate, dates = _plan_dates(run, pick(rng, FATES), submitted, session, complex_)
        category = rng.choices(run.categories, weights=run.category_weights)[0]
        verb, obj = rng.choice(words.ISSUES[category.name])
        place = rng.choice(county.townships).region.name
        authors = [rng.choice(pool)]
        authors += [
            p
            for p in rng.sample(pool, min(len(pool), rng.choice([0, 0, 1, 2])))
            if p not in authors
        ]
        lead_unit = county.units[words.CATEGORY_UNIT[category.name]]
        co_unit = None
        if rng.random() < 0.15:
            co_unit = rng.choice([u for u in county.units.values() if u.pk != lead_unit.pk])
        kind = Kind.MOTION if rng.random() < 0.03 else Kind.SUGGESTION
        lead = authors[0]
        suggestion = Suggestion(
            title=f"关于{verb}{place}{obj}的建议"[:120],
            body=words.BODY.format(place=place, object=obj),
            kind=kind,
            occasion=Occasion.SESSION if session else Occasion.INTERIM,
            congress=congress,
            session=session,
            region=congress.region,
            category=category,
            submitted_at=run.at(submitted),
            entered_by=lead.user if lead.user_id else clerk,
            from_paper=not lead.user_id,
            is_complex=complex_ and STAGES.index(REACHES.get(fate, "submitted")) >= 2,
        )
        suggestion.term = term
        item = _Item(suggestion, fate, dates, authors, clerk, lead_unit, co_unit, complex_)
        (merges if fate == "merged" else items).append(item)

    # Numbers in order of submission, per congress, as _next_number gives them.
    counters = {}
    for item in sorted(items + merges, key=lambda i: i.obj.submitted_at):
        s = item.obj
        prefix = (
            f"{s.term.number}-{s.session.number}-" if s.session else f"闭{s.submitted_at.year}-"
        )
        key = (s.congress.pk, prefix)
        counters[key] = counters.get(key, 0) + 1
        s.number = f"{prefix}{counters[key]:03d}"

    for item in items:
        _set_final_fields(run, item)
    insert(Suggestion, [i.obj for i in items])
    # Merged items point at an earlier accepted item of the same congress.
    targets = {}
    for item in items:
        if item.fate not in ("submitted", "rejected"):
            targets.setdefault(item.obj.congress.pk, []).append(item)
    kept_merges = []
    for item in merges:
        reviewed = item.dates["reviewed"]
        candidates = [
            c for c in targets.get(item.obj.congress.pk, []) if c.dates["submitted"] < reviewed
        ]
        if not candidates:
            item.fate = "accepted"
            _set_final_fields(run, item)
            items.append(item)
            continue
        item.target = rng.choice(candidates)
        item.obj.status, item.obj.merged_into = Status.MERGED, item.target.obj
        kept_merges.append(item)
    insert(Suggestion, [i.obj for i in kept_merges] + [i.obj for i in items if i.obj.pk is None])
    return _write_children(run, county, items, kept_merges, deputy_user)


def _set_final_fields(run: Run, item: _Item) -> None:
    rng, s, fate = run.rng, item.obj, item.fate
    s.status = {
        "submitted": Status.SUBMITTED, "rejected": Status.NOT_ACCEPTED, "accepted": Status.ACCEPTED,
        "assigned": Status.ASSIGNED, "handling": Status.HANDLING, "replied": Status.REPLIED,
        "rehandling": Status.REHANDLING, "committed": Status.COMMITTED, "closed": Status.CLOSED,
    }[fate]  # fmt: skip
    if fate == "rejected":
        s.rejection_reason = rng.choice(REJECT_REASONS)
    elif fate != "submitted":
        s.final_kind = s.kind
    if fate in ("replied", "rehandling", "committed", "closed"):
        via_commitment = fate == "closed" and rng.random() < 0.25
        if fate == "committed" or via_commitment:
            s.reply_class = rng.choice(["B", "B", "C"])
        elif fate == "closed":
            s.reply_class = "A"
        else:
            s.reply_class = rng.choices(["A", "B", "C"], weights=[55, 35, 10])[0]
        item.commitment_closed = via_commitment
    if fate == "closed":
        day = item.dates["commitment_closed"] if item.commitment_closed else item.dates["evaluated"]
        if day > run.today:  # the commitment is still being carried out
            s.status, item.fate, item.commitment_closed = Status.COMMITTED, "committed", False
            day = item.dates["evaluated"]
        s.closed_at = run.at(day) if item.fate == "closed" else None
    if item.fate in ("committed", "closed"):
        s.published = rng.random() < 0.3
        if s.published:  # the "published" note below is at this time
            s.published_at = run.at(min(_d(item.dates["evaluated"], 3), run.today), 17)
    if item.fate in ("assigned", "handling", "replied", "rehandling", "committed"):
        s.key_supervised = rng.random() < 0.03


def _write_children(run: Run, county: County, items, merges, deputy_user) -> tuple[int, int]:
    rng, today = run.rng, run.today
    timeline = Timeline(run)
    authorships, assignments, deadlines = [], [], []
    consultations, replies, evaluations = [], [], []
    rules = run.rules
    for item in items + merges:
        s = item.obj
        authorships += [
            Authorship(suggestion=s, person=p, role=AuthorRole.LEAD if n == 0 else AuthorRole.CO)
            for n, p in enumerate(item.authors)
        ]
        if s.pk and item.fate not in ("submitted", "rejected", "accepted", "merged"):
            item.lead = Assignment(
                suggestion=s,
                unit=item.lead_unit,
                role=UnitRole.LEAD,
                assigned_at=run.at(item.dates["assigned"], 16),
                assigned_by=item.clerk,
                signed_at=run.at(item.dates["signed"]) if item.fate != "assigned" else None,
            )
            assignments.append(item.lead)
            item.co = None
            if item.co_unit:
                replied = item.fate in ("replied", "rehandling", "committed", "closed")
                item.co = Assignment(
                    suggestion=s,
                    unit=item.co_unit,
                    role=UnitRole.CO,
                    assigned_at=item.lead.assigned_at,
                    assigned_by=item.clerk,
                    signed_at=item.lead.signed_at,
                    co_opinion="同意主办单位的办理方案，已配合落实" if replied else "",
                    co_opinion_at=run.at(_d(item.dates["assigned"], rng.randint(10, 38)), 15)
                    if replied
                    else None,
                )
                assignments.append(item.co)
    insert(Authorship, authorships)
    insert(Assignment, assignments)
    # Submitting credits the authors (suggestion_submit → _credit_authors).
    suggestion_ct = run.ct(Suggestion)
    credits = [
        DutyRecord(
            person_id=a.person.pk,
            kind=DutyKind.SUGGESTION if a.role == AuthorRole.LEAD else DutyKind.JOINT_SUGGESTION,
            occurred_on=a.suggestion.submitted_at.astimezone(run.tz).date(),
            title=f"{Kind(a.suggestion.kind).label}：{a.suggestion.title}"[:160],
            attendance=Attendance.PRESENT,
            status=RecordStatus.RECORDED,
            source_type_id=suggestion_ct,
            source_id=a.suggestion.pk,
            entered_by=a.suggestion.entered_by,
        )
        for a in authorships
    ]
    insert(DutyRecord, credits)

    for item in items + merges:
        s, dates, fate = item.obj, item.dates, item.fate
        submitted, reviewed = dates["submitted"], dates["reviewed"]
        timeline.move(
            s, "submitted", Status.DRAFT, Status.SUBMITTED, at=s.submitted_at, actor=s.entered_by
        )
        if s.occasion == Occasion.INTERIM:
            due = add_working_days(submitted, 5)
            state, done = DeadlineState.OPEN, None
            if fate in ("rejected", "merged"):
                state = DeadlineState.CANCELLED
            elif STAGES.index(REACHES[fate]) >= 2:
                done = dates["assigned"]
                state = DeadlineState.MET if done <= due else DeadlineState.MET_LATE
            deadlines.append(
                Deadline(
                    suggestion=s, kind=DeadlineKind.ASSIGN, start_on=submitted, due_on=due,
                    rule=rules["suggestion.interim_assign_working_days"],
                    explanation=_working_explanation("收到之日", submitted, 5),
                    state=state, done_on=done,
                )
            )  # fmt: skip
        if fate == "submitted":
            continue
        at = run.at(reviewed, 14)
        if fate == "rejected":
            timeline.move(
                s,
                "reviewed",
                Status.SUBMITTED,
                Status.NOT_ACCEPTED,
                at=at,
                actor=item.clerk,
                comment=s.rejection_reason,
            )
            continue
        if fate == "merged":
            # After its target's moves that day: review 14h, assignment and reply 16h.
            at = run.at(reviewed, 17)
            target = item.target.obj
            timeline.move(
                s,
                "merged",
                Status.SUBMITTED,
                Status.MERGED,
                at=at,
                actor=item.clerk,
                comment=f"并入 {target}",
            )
            timeline.note(
                target,
                "merged",
                _state_on(item.target, reviewed),
                at=at,
                actor=item.clerk,
                comment=f"并入 {s}",
            )
            continue
        label = Kind(s.final_kind).label
        timeline.move(
            s,
            "reviewed",
            Status.SUBMITTED,
            Status.ACCEPTED,
            at=at,
            actor=item.clerk,
            comment=f"作为{label}办理",
        )
        if fate == "accepted":
            continue
        assigned, lead, co = dates["assigned"], item.lead, item.co
        unit_user = county.unit_users[lead.unit_id]
        comment = "主办：" + lead.unit.name + (f"；协办：{co.unit.name}" if co else "")
        timeline.move(
            s,
            "assigned",
            Status.ACCEPTED,
            Status.ASSIGNED,
            at=lead.assigned_at,
            actor=item.clerk,
            comment=comment,
        )
        months = 6 if item.complex else 3
        reply_due = add_months(assigned, months)
        replied = fate in ("replied", "rehandling", "committed", "closed")
        reply_state = DeadlineState.OPEN
        if replied:
            reply_state = (
                DeadlineState.MET if dates["replied"] <= reply_due else DeadlineState.MET_LATE
            )
        deadlines.append(
            Deadline(
                suggestion=s, assignment=lead, kind=DeadlineKind.REPLY, start_on=assigned,
                due_on=reply_due, explanation=_months_explanation(assigned, months),
                rule=rules["suggestion.reply_months_complex" if item.complex else "suggestion.reply_months"],
                state=reply_state, done_on=dates["replied"] if replied else None,
            )
        )  # fmt: skip
        signed = fate != "assigned"
        return_due = add_working_days(assigned, 5)
        deadlines.append(
            Deadline(
                suggestion=s, assignment=lead, kind=DeadlineKind.RETURN, start_on=assigned,
                due_on=return_due, rule=rules["suggestion.return_working_days"],
                explanation=_working_explanation("交办之日", assigned, 5),
                state=(DeadlineState.MET if dates["signed"] <= return_due else DeadlineState.MET_LATE)
                if signed else DeadlineState.OPEN,
                done_on=dates["signed"] if signed else None,
            )
        )  # fmt: skip
        if co:
            co_due = add_months(assigned, 1)
            co_day = co.co_opinion_at.date() if co.co_opinion_at else None
            deadlines.append(
                Deadline(
                    suggestion=s, assignment=co, kind=DeadlineKind.CO_OPINION, start_on=assigned,
                    due_on=co_due, rule=rules["suggestion.co_opinion_months"],
                    explanation=_months_explanation(assigned, 1),
                    state=(DeadlineState.MET if co_day <= co_due else DeadlineState.MET_LATE)
                    if co_day else DeadlineState.OPEN,
                    done_on=co_day,
                )
            )  # fmt: skip
        if not signed:
            continue
        timeline.move(
            s,
            "signed",
            Status.ASSIGNED,
            Status.HANDLING,
            at=lead.signed_at,
            actor=unit_user,
            comment=f"{lead.unit.name}签收",
        )
        if co:
            timeline.note(
                s,
                "signed",
                Status.HANDLING,
                at=co.signed_at,
                actor=county.unit_users[co.unit_id],
                comment=f"{co.unit.name}（协办）签收",
            )
        if not replied:
            continue
        replied_on = dates["replied"]
        if co:
            timeline.note(
                s,
                "co_opinion",
                Status.HANDLING,
                at=co.co_opinion_at,
                actor=county.unit_users[co.unit_id],
                comment=f"{co.unit.name}提交协办意见",
            )
        consultations.append(
            Consultation(
                suggestion=s, unit=lead.unit, step=Consultation.Step.CONSULT,
                held_on=replied_on - datetime.timedelta(days=10), form="face",
                content="与领衔代表当面沟通办理方案", deputy_view="同意办理方案", recorded_by=unit_user,
            )
        )  # fmt: skip
        timeline.note(
            s,
            "consulted",
            Status.HANDLING,
            at=run.at(replied_on, 9),
            actor=unit_user,
            comment="与领衔代表当面沟通办理方案",
        )
        reply = Reply(
            suggestion=s, unit=lead.unit, round=1, reply_class=s.reply_class,
            text=words.REPLY.format(title=s.title), signed_by=lead.unit.head, replied_on=replied_on,
            commitment="" if s.reply_class == "A" else f"列入计划，{replied_on.year + 1}年底前完成",
            entered_by=unit_user,
        )  # fmt: skip
        if s.published:
            reply.public_text = reply.text
        item.reply = reply
        replies.append(reply)
        timeline.move(
            s,
            "replied",
            Status.HANDLING,
            Status.REPLIED,
            at=run.at(replied_on, 16),
            actor=unit_user,
            comment=f"{lead.unit.name}答复（{s.reply_class}类）",
        )
    insert(Reply, replies)

    # Authors of items merged into an item evaluate its reply too (all_authors).
    merged_authors = {}
    for merged in merges:
        merged_authors.setdefault(id(merged.target), []).extend(merged.authors)
    for item in items:
        s, fate, dates = item.obj, item.fate, item.dates
        if fate not in ("rehandling", "committed", "closed"):
            continue
        evaluated = dates["evaluated"]
        at = run.at(evaluated, 10)
        authors = list(dict.fromkeys(item.authors + merged_authors.get(id(item), [])))
        if fate == "rehandling":
            person = authors[0]
            evaluations.append(
                Evaluation(reply=item.reply, person=person, rating=Rating.DISSATISFIED,
                           comment="答复过于笼统，没有明确时间表", entered_by=item.clerk,
                           from_paper=True, evaluated_at=at)
            )  # fmt: skip
            timeline.note(
                s,
                "evaluated",
                Status.REPLIED,
                at=at,
                actor=item.clerk,
                comment=f"{person.name}：不满意，答复过于笼统，没有明确时间表",
            )
            timeline.move(
                s,
                "reopened",
                Status.REPLIED,
                Status.REHANDLING,
                at=at,
                actor=item.clerk,
                comment=f"{person.name}不满意，重新办理",
            )
            deadlines.append(
                Deadline(
                    suggestion=s, assignment=item.lead, kind=DeadlineKind.REHANDLE, start_on=evaluated,
                    due_on=add_months(evaluated, 2), rule=run.rules["suggestion.rehandle_months"],
                    explanation=f"自代表评价不满意之日（{evaluated:%Y年%m月%d日}）起 2 个月",
                )
            )  # fmt: skip
            continue
        for person in authors:
            rating = rng.choices([Rating.SATISFIED, Rating.BASICALLY], weights=[80, 20])[0]
            evaluations.append(
                Evaluation(reply=item.reply, person=person, rating=rating, entered_by=item.clerk,
                           from_paper=True, evaluated_at=at)
            )  # fmt: skip
            timeline.note(
                s,
                "evaluated",
                Status.REPLIED,
                at=at,
                actor=item.clerk,
                comment=f"{person.name}：{Rating(rating).label}",
            )
        if s.reply_class == "A":
            timeline.move(
                s,
                "closed",
                Status.REPLIED,
                Status.CLOSED,
                at=at,
                actor=item.clerk,
                comment="全部代表满意或基本满意，办结",
            )
            final = Status.CLOSED
        else:
            timeline.move(
                s,
                "committed",
                Status.REPLIED,
                Status.COMMITTED,
                at=at,
                actor=item.clerk,
                comment=f"{s.reply_class}类答复，承诺事项继续跟踪：{item.reply.commitment}",
            )
            final = Status.COMMITTED
            if item.commitment_closed:
                timeline.move(
                    s,
                    "closed",
                    Status.COMMITTED,
                    Status.CLOSED,
                    at=s.closed_at,
                    actor=item.clerk,
                    comment="承诺事项已落实，办结",
                )
                final = Status.CLOSED
        if s.published:
            day = min(_d(evaluated, 3), today)
            timeline.note(s, "published", _state_on(item, day) if final == Status.CLOSED else final,
                          at=s.published_at, actor=item.clerk)  # fmt: skip
    insert(Evaluation, evaluations)
    insert(Deadline, deadlines)
    insert(Consultation, consultations)
    # Opinions converted into suggestions link to between-session items.
    county.interim_pool = [
        i.obj for i in items if i.obj.occasion == Occasion.INTERIM and i.fate != "rejected"
    ]
    rng.shuffle(county.interim_pool)
    rows = timeline.flush()
    return len(credits), (
        rows + len(credits) + len(items) + len(merges) + len(authorships) + len(assignments) + len(deadlines)
        + len(consultations) + len(replies) + len(evaluations)
    )  # fmt: skip
