"""Duty records: activities entered by their organisers (each participant
credited with a record carrying attendance) and deputies' own entries
(履职纪实) pending, verified or returned, with their timelines."""

import datetime

from renda.duties.models import (
    OWN_ENTRY_KINDS,
    Activity,
    Attendance,
    DutyKind,
    DutyRecord,
    RecordStatus,
)

from . import words
from .common import Run, Timeline, insert, pick
from .places import County

ACTIVITY_KINDS = {
    DutyKind.MEETING: 10, DutyKind.NON_VOTING: 5, DutyKind.GROUP_ACTIVITY: 25,
    DutyKind.TRAINING: 10, DutyKind.INSPECTION: 12, DutyKind.SURVEY: 12,
    DutyKind.LAW_ENFORCEMENT: 4, DutyKind.APPRAISAL: 4, DutyKind.PUBLICITY: 6,
    DutyKind.POVERTY: 6, DutyKind.OTHER: 6,
}  # fmt: skip
ATTENDANCE = {Attendance.PRESENT: 90, Attendance.LEAVE: 7, Attendance.ABSENT: 3}
OWN_STATUS = {RecordStatus.PENDING: 15, RecordStatus.VERIFIED: 77, RecordStatus.RETURNED: 8}
ACTIVITY_SHARE = 0.75  # of the records left after receptions and opinions


def _records_for(activity, participants, attendance_of, ct) -> list:
    return [
        DutyRecord(
            person=person,
            kind=activity.kind,
            occurred_on=activity.held_on,
            title=activity.title[:160],
            attendance=attendance,
            leave_reason="因公出差" if attendance == Attendance.LEAVE else "",
            status=RecordStatus.RECORDED,
            source_type_id=ct,
            source_id=activity.pk,
            place=activity.place,
            entered_by=activity.recorded_by,
        )
        for person, attendance in ((p, attendance_of()) for p in participants)
    ]


def build(run: Run, county: County, budget: int) -> int:
    """About `budget` duty records; returns rows written."""
    rng = run.rng
    if budget <= 0 or not county.persons:
        return 0
    staff = county.staff
    timeline = Timeline(run)

    activities = []  # (activity, participants)
    # Every county deputy attends the county congress's sessions.
    window = run.today - datetime.timedelta(days=720)
    for session in [s for s in county.sessions if s.opened_on >= window]:
        activity = Activity(
            region=county.region, kind=DutyKind.SESSION, held_on=session.opened_on,
            title=f"出席{county.congress.name}{session.label}", place=session.place,
            organiser_body=county.congress, recorded_by=staff,
        )  # fmt: skip
        activities.append((activity, county.county_persons))
    planned = sum(len(p) for _, p in activities)
    target = int(budget * ACTIVITY_SHARE)
    townships = [t for t in county.townships if t.persons or t.county_persons]
    while planned < target:
        kind = pick(rng, ACTIVITY_KINDS)
        if rng.random() < 0.3:
            region, pool, organiser = (
                county.region,
                county.county_persons,
                {"organiser_body": county.standing},
            )
        else:
            township = rng.choices(townships, weights=[t.weight for t in townships])[0]
            pool = township.persons + township.county_persons
            region = township.region
            organiser = (
                {"organiser_group": rng.choice(township.groups)}
                if kind == DutyKind.GROUP_ACTIVITY or rng.random() < 0.5
                else {"organiser_station": township.station}
            )
        size = min(len(pool), rng.randint(5, 40), target - planned)
        if size <= 0:
            break
        category = rng.choice(run.categories).name
        verb, obj = rng.choice(words.ISSUES[category])
        title = words.ACTIVITY_TITLES.get(kind, "{place}代表活动").format(
            body=county.region.name, group=region.name + "代表小组", object=obj,
            law=rng.choice(words.LAWS), unit=rng.choice(list(county.units)), place=region.name,
        )  # fmt: skip
        activity = Activity(
            region=region, kind=kind, title=title[:120], held_on=run.past_day(720),
            place=f"{region.name}会议室", content=f"{title}。", recorded_by=staff, **organiser,
        )  # fmt: skip
        activities.append((activity, rng.sample(pool, size)))
        planned += size
    insert(Activity, [a for a, _ in activities])
    ct = run.ct(Activity)
    records = []
    for activity, participants in activities:
        records += _records_for(activity, participants, lambda: pick(rng, ATTENDANCE), ct)
    insert(DutyRecord, records)
    written = len(records) + len(activities)

    # Own entries: this year's and last year's, a few still waiting.
    first_day = datetime.date(run.today.year - 1, 1, 1)
    by_user = {p.pk: p.user for p in county.persons if p.user_id}
    entries = []
    for _ in range(max(0, budget - len(records))):
        person = rng.choice(county.persons)
        kind = rng.choice(OWN_ENTRY_KINDS)
        place = rng.choice(county.townships).region.name
        category = rng.choice(run.categories).name
        day = run.past_day((run.today - first_day).days)
        status = pick(rng, OWN_STATUS)
        checked = min(day + datetime.timedelta(days=rng.randint(1, 20)), run.today)
        entry = DutyRecord(
            person=person, kind=kind, occurred_on=day,
            title=words.OWN_TITLES[kind].format(place=place, object=rng.choice(words.ISSUES[category])[1])[:160],
            note=words.OWN_NOTE.format(place=place), place=place, status=status,
            entered_by=by_user.get(person.pk) or staff,
            checked_by=None if status == RecordStatus.PENDING else staff,
            checked_at=None if status == RecordStatus.PENDING else run.at(checked, 17),
            check_comment="" if status != RecordStatus.RETURNED else "请补充活动照片",
        )  # fmt: skip
        entries.append(entry)
    insert(DutyRecord, entries)
    for entry in entries:
        timeline.note(
            entry,
            "submitted",
            RecordStatus.PENDING,
            at=run.at(entry.occurred_on),
            actor=entry.entered_by,
        )
        if entry.status != RecordStatus.PENDING:
            timeline.move(entry, entry.status, RecordStatus.PENDING, entry.status,
                          at=entry.checked_at, actor=staff, comment=entry.check_comment)  # fmt: skip
    return written + len(entries) + timeline.flush()
