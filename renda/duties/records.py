"""The one small interface every capability uses to credit a deputy with a
duty: suggestions credit their authors, receptions the deputies on duty,
opinions the deputy who collected them, activities their participants.

A record is keyed by (person, source, kind): putting the same fact again
updates the row instead of adding a second one, so callers need not know
whether they credited it before. Scores follow in the same transaction.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from renda.duties.models import Attendance, DutyRecord, RecordStatus
from renda.duties.points import score_recompute_for


@transaction.atomic
def duty_record_put(
    *,
    person,
    kind: str,
    occurred_on: datetime.date,
    title: str,
    source,
    actor,
    attendance: str = Attendance.PRESENT,
    leave_reason: str = "",
    place: str = "",
) -> DutyRecord:
    """Credit `person` with `kind` of duty, with `source` as its evidence."""
    record, _ = duty_records_put(
        persons={person: (attendance, leave_reason)},
        kind=kind,
        occurred_on=occurred_on,
        title=title,
        source=source,
        actor=actor,
        place=place,
    )
    return record[0]


@transaction.atomic
def duty_records_put(
    *,
    persons: dict,
    kind: str,
    occurred_on: datetime.date,
    title: str,
    source,
    actor,
    place: str = "",
) -> tuple[list[DutyRecord], list[DutyRecord]]:
    """Credit many deputies with the same duty at once and withdraw it from
    anyone `source` credited before who is no longer listed.

    `persons` maps each Person to (attendance, leave reason). Returns
    (records kept or added, records withdrawn). A constant number of
    queries however many deputies take part.
    """
    source_type = ContentType.objects.get_for_model(type(source))
    existing = {
        r.person_id: r
        for r in DutyRecord.objects.filter(source_type=source_type, source_id=source.pk, kind=kind)
    }
    old_days = {r.occurred_on for r in existing.values()}
    wanted = {person.pk: value for person, value in persons.items()}
    gone = [r for pid, r in existing.items() if pid not in wanted]
    kept, added = [], []
    for person_id, (attendance, leave_reason) in wanted.items():
        fields = {
            "occurred_on": occurred_on,
            "title": title[:160],
            "attendance": attendance,
            "leave_reason": leave_reason if attendance == Attendance.LEAVE else "",
            "place": place,
        }
        record = existing.get(person_id)
        if record is None:
            added.append(
                DutyRecord(
                    person_id=person_id,
                    kind=kind,
                    source_type=source_type,
                    source_id=source.pk,
                    status=RecordStatus.RECORDED,
                    entered_by=actor,
                    **fields,
                )
            )
        else:
            for name, value in fields.items():
                setattr(record, name, value)
            kept.append(record)
    if gone:
        _delete(DutyRecord.objects.filter(pk__in=[r.pk for r in gone]))
    if kept:
        DutyRecord.objects.bulk_update(
            kept, ["occurred_on", "title", "attendance", "leave_reason", "place"]
        )
    DutyRecord.objects.bulk_create(added)
    score_recompute_for(
        person_ids=set(wanted) | {r.person_id for r in gone},
        days=old_days | {occurred_on},
    )
    return kept + added, gone


@transaction.atomic
def duty_records_withdraw(*, source, kind: str | None = None) -> int:
    """Withdraw every record `source` credited (an activity deleted, a
    suggestion withdrawn); returns how many."""
    source_type = ContentType.objects.get_for_model(type(source))
    records = DutyRecord.objects.filter(source_type=source_type, source_id=source.pk)
    if kind:
        records = records.filter(kind=kind)
    affected = list(records.values_list("person_id", "occurred_on"))
    count = _delete(records)
    if affected:
        score_recompute_for(
            person_ids={pid for pid, _ in affected}, days={day for _, day in affected}
        )
    return count


def _delete(records) -> int:
    """Delete records, unless a spot check or a correction request cites
    one: those stay on the record, so the change is refused."""
    if records.filter(Q(spot_checks__isnull=False) | Q(correction__isnull=False)).exists():
        raise ValidationError(
            "有履职记录已被抽查或代表的更正申请引用，不能撤销；请改为修改出勤或内容"
        )
    return records.delete()[0]
