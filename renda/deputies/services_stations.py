"""Writes to stations, their reception schedules, standards checklists and
assessments. Each service owns its transaction and records who acted:
stations keep full history (`_history_user`); schedules and checklists have
no history table, so their changes leave an audit row naming the actor."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from renda.core.services import audit_record
from renda.deputies.models import (
    Assessment,
    AssessmentResult,
    Checklist,
    ChecklistItem,
    Person,
    ReceptionSchedule,
    Station,
)
from renda.deputies.schedule import describe_schedule, schedule_errors


@transaction.atomic
def station_save(
    *,
    station: Station,
    actor,
    resident_deputies: Iterable[Person] | None = None,
    liaison_officers: Iterable | None = None,
) -> Station:
    """Create or update a station; when given, replace its resident deputies
    and liaison officers (None leaves them as they are)."""
    station.full_clean()
    station._history_user = actor
    station.save()
    if resident_deputies is not None:
        station.resident_deputies.set(resident_deputies)
    if liaison_officers is not None:
        station.liaison_officers.set(liaison_officers)
    return station


def _schedule_check(schedule: ReceptionSchedule) -> None:
    errors = schedule_errors(
        kind=schedule.kind,
        weekday=schedule.weekday,
        day_digits=schedule.day_digits,
        dates=schedule.dates,
        starts_at=schedule.starts_at,
        ends_at=schedule.ends_at,
    )
    if errors:
        raise ValidationError(errors)
    schedule.full_clean()


def _schedule_detail(schedule: ReceptionSchedule) -> dict:
    return {
        "station": schedule.station.name,
        "rule": describe_schedule(schedule),
        "hours": f"{schedule.starts_at:%H:%M}-{schedule.ends_at:%H:%M}",
        "skip_holidays": schedule.skip_holidays,
    }


@transaction.atomic
def schedule_save(*, schedule: ReceptionSchedule, actor) -> ReceptionSchedule:
    """Add or change one reception rule of a station (see renda.deputies.schedule
    for how each kind is read)."""
    _schedule_check(schedule)
    created = schedule.pk is None
    schedule.save()
    audit_record(
        actor=actor,
        action="接待安排新增" if created else "接待安排修改",
        record=schedule.station,
        detail=_schedule_detail(schedule),
    )
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: ReceptionSchedule, actor) -> None:
    """Remove a reception rule; the audit row keeps what it said."""
    audit_record(
        actor=actor,
        action="接待安排删除",
        record=schedule.station,
        detail=_schedule_detail(schedule),
    )
    schedule.delete()


@transaction.atomic
def checklist_save(*, checklist: Checklist, items: list[tuple[str, str]], actor) -> Checklist:
    """Create or update a checklist and its items, given as (title, requirement)
    in order.

    Items are matched by title, so an item keeps its identity (and the past
    assessments that point at it) when others are added, removed or moved.
    An item that an assessment has used cannot be removed or renamed: that
    would change what past assessments say.
    """
    titles = [title for title, _ in items]
    if not items:
        raise ValidationError({"items": "请至少填写一个标准项"})
    if len(set(titles)) != len(titles):
        raise ValidationError({"items": "标准项名称不能重复"})
    checklist.full_clean()
    created = checklist.pk is None
    checklist.save()

    existing = {item.title: item for item in checklist.items.all()}
    gone = [item for title, item in existing.items() if title not in titles]
    used = {
        item.title
        for item in ChecklistItem.objects.filter(
            pk__in=[item.pk for item in gone], assessmentresult__isnull=False
        ).distinct()
    }
    if used:
        raise ValidationError(
            {
                "items": "以下标准项已用于达标评估，不能删除或改名："
                + "、".join(sorted(used))
                + "。如需调整，可修改其要求说明。"
            }
        )
    ChecklistItem.objects.filter(pk__in=[item.pk for item in gone]).delete()
    # Two passes so that moving items never collides with the (checklist, order) key.
    kept = [existing[title] for title in titles if title in existing]
    ChecklistItem.objects.filter(pk__in=[item.pk for item in kept]).update(order=F("order") + 10000)
    for position, (title, description) in enumerate(items, start=1):
        item = existing.get(title) or ChecklistItem(checklist=checklist, title=title)
        item.order = position
        item.description = description
        item.full_clean(exclude=["checklist"], validate_unique=False, validate_constraints=False)
        item.save()
    audit_record(
        actor=actor,
        action="建设标准新增" if created else "建设标准修改",
        record=checklist,
        detail={"name": checklist.name, "items": titles},
    )
    return checklist


def checklists_for_station(checklists, station: Station):
    """The checklists that apply to a station: national ones and those made by
    the station's region or a region above it."""
    return checklists.filter(
        Q(region__isnull=True) | Q(region__code__in=station.region.ancestor_codes())
    )


@transaction.atomic
def assessment_record(
    *,
    station: Station,
    checklist: Checklist,
    assessed_on: datetime.date,
    results: Mapping[ChecklistItem, tuple[bool, str]],
    note: str = "",
    actor,
) -> Assessment:
    """Record a dated check of a station against a checklist: one result (met
    or not, with a note) for every item of the checklist."""
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "评估日期不能晚于今天"})
    if not checklists_for_station(Checklist.objects.filter(pk=checklist.pk), station).exists():
        raise ValidationError("该建设标准不适用于此联络站所在区划")
    items = list(checklist.items.all())
    if not items:
        raise ValidationError("该建设标准还没有标准项，无法评估")
    missing = [item.title for item in items if item not in results]
    foreign = [item for item in results if item.checklist_id != checklist.pk]
    if missing or foreign:
        raise ValidationError(
            "评估结果与建设标准的标准项不一致" + (f"：缺少{'、'.join(missing)}" if missing else "")
        )
    assessment = Assessment.objects.create(
        station=station, checklist=checklist, assessed_on=assessed_on, assessor=actor, note=note
    )
    AssessmentResult.objects.bulk_create(
        AssessmentResult(assessment=assessment, item=item, met=met, note=item_note)
        for item, (met, item_note) in results.items()
    )
    return assessment
