"""Every write of duty performance: activities and their participants,
deputies' own entries and their checking, spot checks, the points scheme,
awards, corrections, publication, evaluations and duty reports.

Records reach archives, registers and figures as they are written; scores
are recomputed in the same transaction (renda.duties.points)."""

import datetime
import random
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from renda.core import clock
from renda.core.models import Role
from renda.core.params import nul_problem
from renda.core.permissions import can_manage_region
from renda.core.rules import rule_value
from renda.core.services import audit_record
from renda.core.workflow import note_event, transition
from renda.deputies.models import Person
from renda.duties import points
from renda.duties.models import (
    ACTIVITY_KINDS,
    OWN_ENTRY_KINDS,
    Activity,
    ActivityAttachment,
    Attendance,
    Correction,
    CorrectionStatus,
    DutyKind,
    DutyRecord,
    DutyReport,
    EvaluationEntry,
    EvaluationRound,
    FourGoodSelection,
    ItemBasis,
    PointsAward,
    PointsCategory,
    PointsItem,
    PointsItemKind,
    PointsScheme,
    RecordStatus,
    RoundKind,
    RoundMethod,
    RoundStatus,
    ScorePublication,
    SpotCheck,
    SpotCheckItem,
    SpotCheckOutcome,
)
from renda.duties.records import duty_records_put, duty_records_withdraw


def can_record_activity(user, region) -> bool:
    """Office staff of the region, or a liaison officer of a station there."""
    if can_manage_region(user, region):
        return True
    return (
        user.is_authenticated
        and user.role == Role.LIAISON
        and user.region_id is not None
        and region is not None
        and region.is_within(user.region)
    )


def _not_in_future(day: datetime.date, field: str, label: str) -> None:
    if day > clock.today():
        raise ValidationError({field: f"{label}不能晚于今天"})


# --- activities --------------------------------------------------------------------


def _participants(participants) -> dict:
    """Normalise {person: attendance or (attendance, reason)}; a leave needs a reason."""
    normalised = {}
    for person, value in participants.items():
        attendance, reason = value if isinstance(value, tuple) else (value, "")
        if attendance not in Attendance.values:
            raise ValidationError({"participants": f"{person}的出勤情况不正确"})
        if attendance == Attendance.LEAVE and not reason.strip():
            raise ValidationError({"participants": f"{person}请假，请填写请假事由"})
        normalised[person] = (attendance, reason.strip())
    if not normalised:
        raise ValidationError({"participants": "请选择参加活动的代表"})
    return normalised


def _check_activity(*, actor, region, kind, title, held_on) -> None:
    if not can_record_activity(actor, region):
        raise ValidationError({"region": "您不能为该区划录入活动"})
    if kind not in ACTIVITY_KINDS:
        raise ValidationError({"kind": "活动类型不正确"})
    if not title.strip():
        raise ValidationError({"title": "请填写活动主题"})
    _not_in_future(held_on, "held_on", "活动日期")


def _credit(activity: Activity, participants: dict, actor) -> None:
    duty_records_put(
        persons=participants,
        kind=activity.kind,
        occurred_on=activity.held_on,
        title=activity.title,
        source=activity,
        actor=actor,
        place=activity.place,
    )


@transaction.atomic
def activity_create(
    *,
    actor,
    region,
    kind: str,
    title: str,
    held_on: datetime.date,
    participants: dict,
    place: str = "",
    content: str = "",
    organiser_body=None,
    organiser_group=None,
    organiser_station=None,
) -> Activity:
    """An activity entered once by its organiser; every participant is
    credited with a duty record carrying their attendance."""
    _check_activity(actor=actor, region=region, kind=kind, title=title, held_on=held_on)
    participants = _participants(participants)
    activity = Activity.objects.create(
        region=region,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        content=content.strip(),
        organiser_body=organiser_body,
        organiser_group=organiser_group,
        organiser_station=organiser_station,
        recorded_by=actor,
    )
    _credit(activity, participants, actor)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    actor,
    kind: str,
    title: str,
    held_on: datetime.date,
    participants: dict,
    place: str = "",
    content: str = "",
    organiser_body=None,
    organiser_group=None,
    organiser_station=None,
) -> Activity:
    """Correct an activity; participants' records follow (added, changed,
    or withdrawn from those no longer listed)."""
    _check_activity(actor=actor, region=activity.region, kind=kind, title=title, held_on=held_on)
    participants = _participants(participants)
    if kind != activity.kind:
        duty_records_withdraw(source=activity)
    activity.kind = kind
    activity.title = title.strip()
    activity.held_on = held_on
    activity.place = place.strip()
    activity.content = content.strip()
    activity.organiser_body = organiser_body
    activity.organiser_group = organiser_group
    activity.organiser_station = organiser_station
    activity.save()
    _credit(activity, participants, actor)
    return activity


@transaction.atomic
def activity_set_attendance(
    *, activity: Activity, actor, person: Person, attendance: str, leave_reason: str = ""
) -> DutyRecord:
    """Mark one participant present, on leave or absent; only their record
    (and so their score) changes."""
    if not can_record_activity(actor, activity.region):
        raise ValidationError({"region": "您不能修改该活动"})
    current = {
        r.person: (r.attendance, r.leave_reason) for r in activity.records.select_related("person")
    }
    if person not in current:
        raise ValidationError({"person": f"{person}不是该活动的参加代表"})
    current[person] = (attendance, leave_reason)
    kept, _ = duty_records_put(
        persons=_participants(current),
        kind=activity.kind,
        occurred_on=activity.held_on,
        title=activity.title,
        source=activity,
        actor=actor,
        place=activity.place,
    )
    return next(r for r in kept if r.person_id == person.pk)


@transaction.atomic
def activity_delete(*, activity: Activity, actor) -> None:
    """Remove an activity entered by mistake and the records it credited
    (its history stays in the change log)."""
    if not can_record_activity(actor, activity.region):
        raise ValidationError({"region": "您不能删除该活动"})
    duty_records_withdraw(source=activity)
    audit_record(
        actor=actor,
        action="duties.activity_delete",
        record=activity,
        detail={"title": activity.title, "held_on": activity.held_on.isoformat()},
    )
    activity.delete()


@transaction.atomic
def activity_attach(*, activity: Activity, actor, upload, content_type: str) -> ActivityAttachment:
    """Attach a checked file (photo, sign-in sheet, report) to an activity."""
    if not can_record_activity(actor, activity.region):
        raise ValidationError({"file": "您不能为该活动上传附件"})
    return ActivityAttachment.objects.create(
        activity=activity, file=upload, name=upload.name[-200:], content_type=content_type
    )


# --- deputies' own entries (履职纪实) ----------------------------------------------------


def _check_entry(*, person, kind, occurred_on, title, note, photo) -> None:
    if kind not in OWN_ENTRY_KINDS:
        raise ValidationError({"kind": "履职类型不正确"})
    if not title.strip():
        raise ValidationError({"title": "请填写事项"})
    _not_in_future(occurred_on, "occurred_on", "日期")
    # How far back a deputy may record is the office's rule (e.g. 1: this
    # year and last, while last year's archive is still open).
    years_back = rule_value("duties.own_entry_years_back", person.region, clock.today())
    if occurred_on.year < clock.today().year - int(years_back):
        first = clock.today().year - int(years_back)
        raise ValidationError({"occurred_on": f"只能补记{first}年以来的履职情况"})
    if not note.strip() and not photo:
        raise ValidationError({"note": "请填写情况说明或上传一张照片作为佐证"})


@transaction.atomic
def entry_submit(
    *,
    actor,
    person: Person,
    kind: str,
    occurred_on: datetime.date,
    title: str,
    note: str = "",
    place: str = "",
    photo=None,
) -> DutyRecord:
    """A deputy records a duty no organiser recorded (a household visit, a
    dispute resolved); it counts once the office verifies it. Staff may
    enter it for a deputy from paper."""
    if not (person.user_id == actor.pk or can_manage_region(actor, person.region)):
        raise ValidationError({"person": "只能为本人或本辖区代表补记履职情况"})
    _check_entry(
        person=person, kind=kind, occurred_on=occurred_on, title=title, note=note, photo=photo
    )
    record = DutyRecord.objects.create(
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        title=title.strip()[:160],
        note=note.strip(),
        place=place.strip(),
        photo=photo or "",
        status=RecordStatus.PENDING,
        entered_by=actor,
    )
    note_event(record, "submitted", actor=actor)
    return record


@transaction.atomic
def entry_resubmit(
    *,
    record: DutyRecord,
    actor,
    kind: str,
    occurred_on: datetime.date,
    title: str,
    note: str = "",
    place: str = "",
    photo=None,
) -> DutyRecord:
    """The deputy mends a returned entry and sends it again."""
    if record.person.user_id != actor.pk and not can_manage_region(actor, record.person.region):
        raise ValidationError({"person": "只能修改本人的履职记录"})
    _check_entry(
        person=record.person,
        kind=kind,
        occurred_on=occurred_on,
        title=title,
        note=note,
        photo=photo or record.photo,
    )
    record.kind, record.occurred_on, record.title = kind, occurred_on, title.strip()[:160]
    record.note, record.place = note.strip(), place.strip()
    if photo:
        record.photo = photo
    record.save()
    transition(record, RecordStatus.PENDING, actor=actor, event="resubmitted")
    return record


def _check(record: DutyRecord, actor) -> None:
    if not can_manage_region(actor, record.person.region):
        raise ValidationError({"record": "您不能核实该代表的履职记录"})


@transaction.atomic
def entry_verify(*, record: DutyRecord, actor, comment: str = "") -> DutyRecord:
    """The office confirms an own entry; it now counts."""
    _check(record, actor)
    transition(record, RecordStatus.VERIFIED, actor=actor, comment=comment)
    DutyRecord.objects.filter(pk=record.pk).update(
        checked_by=actor, checked_at=clock.now(), check_comment=comment[:200]
    )
    points.score_recompute_for(person_ids={record.person_id}, days={record.occurred_on})
    return record


@transaction.atomic
def entry_return(*, record: DutyRecord, actor, reason: str) -> DutyRecord:
    """The office sends an own entry back with a reason; the deputy may mend it."""
    _check(record, actor)
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回理由"})
    transition(record, RecordStatus.RETURNED, actor=actor, comment=reason.strip())
    DutyRecord.objects.filter(pk=record.pk).update(
        checked_by=actor, checked_at=clock.now(), check_comment=reason.strip()[:200]
    )
    return record


# --- spot checks (抽查) --------------------------------------------------------------


@transaction.atomic
def spot_check_draw(
    *,
    actor,
    region,
    period_from: datetime.date,
    period_to: datetime.date,
    share_percent: int,
    rng: random.Random | None = None,
) -> SpotCheck:
    """Draw a share of the deputies' own entries of a period for review
    (at least one when there are any)."""
    if not can_manage_region(actor, region):
        raise ValidationError({"region": "您不能抽查该区划"})
    if period_to < period_from:
        raise ValidationError({"period_to": "截止日期不能早于起始日期"})
    if not 1 <= share_percent <= 100:
        raise ValidationError({"share_percent": "抽查比例应在 1 到 100 之间"})
    pool = list(
        DutyRecord.objects.filter(
            source_id__isnull=True,
            status__in=[RecordStatus.PENDING, RecordStatus.VERIFIED],
            occurred_on__range=(period_from, period_to),
            person__region__code__startswith=region.code,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pool:
        raise ValidationError({"period_from": "该期间没有代表自行录入的履职记录可供抽查"})
    size = max(1, round(len(pool) * share_percent / 100))
    chosen = (rng or random.SystemRandom()).sample(pool, size)
    check = SpotCheck.objects.create(
        region=region,
        period_from=period_from,
        period_to=period_to,
        share_percent=share_percent,
        drawn_by=actor,
    )
    SpotCheckItem.objects.bulk_create(
        SpotCheckItem(spot_check=check, record_id=pk) for pk in sorted(chosen)
    )
    DutyRecord.objects.filter(pk__in=chosen).update(spot_checked=True)
    return check


@transaction.atomic
def spot_check_conclude(*, item: SpotCheckItem, actor, outcome: str, comment: str = "") -> None:
    """Record what checking one sampled entry found; an entry found untrue
    stops counting (verified → 抽查不实, pending → returned)."""
    record = item.record
    _check(record, actor)
    if outcome not in (SpotCheckOutcome.CONFIRMED, SpotCheckOutcome.NOT_CONFIRMED):
        raise ValidationError({"outcome": "请选择核查结果"})
    if item.outcome != SpotCheckOutcome.OPEN:
        raise ValidationError({"outcome": "该记录已核查"})
    if outcome == SpotCheckOutcome.NOT_CONFIRMED:
        if not comment.strip():
            raise ValidationError({"comment": "核查不属实时请写明情况"})
        target = (
            RecordStatus.REJECTED
            if record.status == RecordStatus.VERIFIED
            else RecordStatus.RETURNED
        )
        transition(record, target, actor=actor, event="spot_checked", comment=comment.strip())
        points.score_recompute_for(person_ids={record.person_id}, days={record.occurred_on})
    elif record.status == RecordStatus.PENDING:
        transition(record, RecordStatus.VERIFIED, actor=actor, event="spot_checked")
        points.score_recompute_for(person_ids={record.person_id}, days={record.occurred_on})
    item.outcome, item.comment = outcome, comment.strip()[:200]
    item.checked_by, item.checked_at = actor, clock.now()
    item.save()


# --- the points scheme -----------------------------------------------------------------


def _check_scheme_owner(actor, region) -> None:
    if not can_manage_region(actor, region):
        raise ValidationError({"region": "您不能管理该区划的积分方案"})


def _check_bands(bands, stars, scale) -> None:
    for field, rows, key in (("bands", bands, "label"), ("stars", stars, "stars")):
        for row in rows:
            if not isinstance(row, dict) or "min" not in row or key not in row:
                raise ValidationError({field: '格式应为 [{"min": 分数, ...}] '})
            if not 0 <= row["min"] <= scale:
                raise ValidationError({field: f"分数线 {row['min']} 超出 0 到 {scale} 的范围"})


def _recompute_from(scheme: PointsScheme, start: datetime.date) -> None:
    """Recompute the region's lines from the month of `start` to the
    scheme's end (or today): the period a scheme change affects."""
    end = scheme.effective_to or clock.today()
    for year in range(start.year, end.year + 1):
        first = start.month if year == start.year else 1
        last = end.month if year == end.year else 12
        if first <= last:
            points.score_recompute(year=year, region=scheme.region, months=range(first, last + 1))


@transaction.atomic
def scheme_create(
    *,
    actor,
    region,
    name: str,
    effective_from: datetime.date,
    source: str,
    scale: int = 100,
    bands=(),
    stars=(),
    copy_from: PointsScheme | None = None,
) -> PointsScheme:
    """A new version of the region's points scheme from the first of a
    month; the version in force before it ends the day before, so its
    months keep their scores. Items are copied from `copy_from` if given."""
    _check_scheme_owner(actor, region)
    if effective_from.day != 1:
        raise ValidationError({"effective_from": "积分方案应从某月1日起生效"})
    if not name.strip():
        raise ValidationError({"name": "请填写方案名称"})
    if not source.strip():
        raise ValidationError({"source": "请注明方案依据（文件名称、文号）"})
    bands, stars = list(bands), list(stars)
    _check_bands(bands, stars, scale)
    later = PointsScheme.objects.filter(region=region, effective_from__gte=effective_from)
    if later.exists():
        raise ValidationError({"effective_from": "该日期及以后已有方案版本"})
    previous = (
        PointsScheme.objects.filter(region=region, effective_from__lt=effective_from)
        .order_by("-effective_from")
        .first()
    )
    if previous is not None and (
        previous.effective_to is None or previous.effective_to >= effective_from
    ):
        previous.effective_to = effective_from - datetime.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
    scheme = PointsScheme.objects.create(
        region=region,
        name=name.strip(),
        effective_from=effective_from,
        scale=scale,
        bands=bands,
        stars=stars,
        source=source.strip(),
        created_by=actor,
    )
    if copy_from is not None:
        _copy_items(copy_from, scheme)
    _recompute_from(scheme, effective_from)
    audit_record(actor=actor, action="duties.scheme_create", record=scheme)
    return scheme


def _copy_items(source: PointsScheme, target: PointsScheme) -> None:
    categories = {}
    for category in source.categories.all():
        categories[category.pk] = PointsCategory.objects.create(
            scheme=target, name=category.name, order=category.order
        )
    for item in source.items.prefetch_related("kinds"):
        copy = PointsItem.objects.create(
            scheme=target,
            category=categories[item.category_id],
            name=item.name,
            basis=item.basis,
            points=item.points,
            cap=item.cap,
            order=item.order,
        )
        PointsItemKind.objects.bulk_create(
            PointsItemKind(scheme=target, item=copy, kind=k.kind, attendance=k.attendance)
            for k in item.kinds.all()
        )


@transaction.atomic
def scheme_category_add(*, actor, scheme: PointsScheme, name: str, order: int = 0):
    _check_scheme_owner(actor, scheme.region)
    if not name.strip():
        raise ValidationError({"name": "请填写类别名称"})
    return PointsCategory.objects.create(scheme=scheme, name=name.strip(), order=order)


def _decimal(value, field: str, label: str, *, allow_none=False) -> Decimal | None:
    if value in (None, "") and allow_none:
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label}应为数字"}) from None
    if abs(number) >= 10000:
        raise ValidationError({field: f"{label}过大"})
    return number


@transaction.atomic
def scheme_item_save(
    *,
    actor,
    category: PointsCategory,
    name: str,
    basis: str,
    points_each,
    cap=None,
    kinds=(),
    order: int = 0,
    item: PointsItem | None = None,
) -> PointsItem:
    """Add or change an item; `kinds` are (duty kind, attendance) pairs the
    item counts. The scheme's whole period is recomputed."""
    scheme = category.scheme
    _check_scheme_owner(actor, scheme.region)
    if not name.strip():
        raise ValidationError({"name": "请填写计分项目"})
    if basis not in ItemBasis.values:
        raise ValidationError({"basis": "计分方式不正确"})
    points_each = _decimal(points_each, "points", "每次分值")
    cap = _decimal(cap, "cap", "上限", allow_none=True)
    if cap is not None and cap <= 0:
        raise ValidationError({"cap": "上限应大于 0"})
    kinds = list(dict.fromkeys(kinds))
    if basis == ItemBasis.RECORDS and not kinds:
        raise ValidationError({"kinds": "按履职记录计分的项目请选择对应的履职类型"})
    taken = PointsItemKind.objects.filter(
        scheme=scheme, kind__in=[k for k, _ in kinds]
    ).select_related("item")
    for other in taken:
        if (other.kind, other.attendance) in kinds and other.item_id != getattr(item, "pk", None):
            raise ValidationError(
                {
                    "kinds": f"“{other.get_kind_display()}（{other.get_attendance_display()}）”已由“{other.item}”计分"
                }
            )
    item = item or PointsItem(scheme=scheme)
    item.category, item.name, item.basis = category, name.strip(), basis
    item.points, item.cap, item.order = points_each, cap, order
    item.save()
    item.kinds.all().delete()
    if basis == ItemBasis.RECORDS:
        PointsItemKind.objects.bulk_create(
            PointsItemKind(scheme=scheme, item=item, kind=kind, attendance=attendance)
            for kind, attendance in kinds
        )
    _recompute_from(scheme, scheme.effective_from)
    return item


@transaction.atomic
def scheme_item_delete(*, actor, item: PointsItem) -> None:
    scheme = item.scheme
    _check_scheme_owner(actor, scheme.region)
    if item.awards.exists():
        raise ValidationError({"item": "该项目已有认定加减分记录，不能删除"})
    if Correction.objects.filter(item=item).exists():
        raise ValidationError({"item": "该项目已有代表的更正申请，不能删除；可将其分值改为 0"})
    item.delete()
    _recompute_from(scheme, scheme.effective_from)


@transaction.atomic
def points_award(
    *, actor, person: Person, item: PointsItem, awarded_on: datetime.date, points_given, reason: str
) -> PointsAward:
    """Points given or taken by the office's decision, with its reason."""
    if not can_manage_region(actor, person.region):
        raise ValidationError({"person": "您不能为该代表认定积分"})
    if item.basis != ItemBasis.AWARD:
        raise ValidationError({"item": "该项目按记录自动计分，不能手工认定"})
    scheme = points.scheme_for(person.region, awarded_on)
    if scheme is None or scheme.pk != item.scheme_id:
        raise ValidationError({"awarded_on": "认定日期不在该项目所属方案的有效期内"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写事由"})
    _not_in_future(awarded_on, "awarded_on", "认定日期")
    award = PointsAward.objects.create(
        person=person,
        item=item,
        awarded_on=awarded_on,
        points=_decimal(points_given, "points", "分值"),
        reason=reason.strip(),
        awarded_by=actor,
    )
    points.score_recompute_for(person_ids={person.pk}, days={awarded_on})
    return award


# --- review and appeal ---------------------------------------------------------------------


@transaction.atomic
def correction_request(
    *,
    actor,
    person: Person,
    year: int,
    reason: str,
    item: PointsItem | None = None,
    record: DutyRecord | None = None,
) -> Correction:
    """A deputy asks for a score line or a record to be corrected."""
    if person.user_id != actor.pk:
        raise ValidationError({"person": "只能为本人的积分申请更正"})
    if not reason.strip():
        raise ValidationError({"reason": "请说明申请更正的理由"})
    if record is not None and record.person_id != person.pk:
        raise ValidationError({"record": "只能就本人的履职记录申请更正"})
    correction = Correction.objects.create(
        person=person,
        year=year,
        item=item,
        record=record,
        reason=reason.strip(),
        requested_by=actor,
    )
    note_event(correction, "requested", actor=actor, comment=reason.strip())
    return correction


@transaction.atomic
def correction_answer(
    *,
    correction: Correction,
    actor,
    accept: bool,
    answer: str,
    award_item: PointsItem | None = None,
    award_points=None,
) -> Correction:
    """The office accepts (optionally adjusting points on an award item)
    or refuses, with its reason on the record."""
    if not can_manage_region(actor, correction.person.region):
        raise ValidationError({"answer": "您不能处理该代表的更正申请"})
    if not answer.strip():
        raise ValidationError({"answer": "请填写处理意见"})
    if accept and award_item is not None:
        correction.award = points_award(
            actor=actor,
            person=correction.person,
            item=award_item,
            awarded_on=clock.today(),
            points_given=award_points,
            reason=f"更正申请：{answer.strip()}"[:200],
        )
    target = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REFUSED
    transition(correction, target, actor=actor, comment=answer.strip())
    correction.answer, correction.answered_by, correction.answered_at = (
        answer.strip(),
        actor,
        clock.now(),
    )
    correction.save(update_fields=["answer", "answered_by", "answered_at", "award"])
    return correction


# --- publication -----------------------------------------------------------------------------


@transaction.atomic
def score_publish(
    *, actor, region, year: int, title: str, as_of: datetime.date
) -> ScorePublication:
    """Publish the region's deputies' totals as they stand (每季度公示); the
    snapshot does not change when records change later."""
    if not can_manage_region(actor, region):
        raise ValidationError({"region": "您不能公示该区划的积分"})
    if not title.strip():
        raise ValidationError({"title": "请填写公示标题"})
    persons = Person.objects.serving(as_of).filter(region__code__startswith=region.code)
    persons = list(persons.select_related("region").order_by("region__code", "name_pinyin"))
    through = as_of.month if as_of.year == year else 12
    totals = points.score_totals([p.pk for p in persons], year, through_month=through)
    schemes = points.schemes_governing(
        {p.region for p in persons}, min(as_of, datetime.date(year, 12, 31))
    )
    rows = []
    for person in persons:
        total = totals.get(person.pk, Decimal("0.0"))
        scheme = schemes[person.region_id]
        band, stars = (scheme.band_for(total), scheme.stars_for(total)) if scheme else ("", 0)
        rows.append(
            {
                "person": person.pk,
                "name": person.name,
                "region": person.region.name,
                "total": str(total),
                "band": band,
                "stars": stars,
            }
        )
    rows.sort(key=lambda row: -Decimal(row["total"]))
    publication = ScorePublication.objects.create(
        region=region, year=year, title=title.strip(), as_of=as_of, totals=rows, published_by=actor
    )
    audit_record(actor=actor, action="duties.score_publish", record=publication)
    return publication


@transaction.atomic
def score_publication_withdraw(*, publication: ScorePublication, actor) -> None:
    if not can_manage_region(actor, publication.region):
        raise ValidationError({"region": "您不能撤回该公示"})
    publication.withdrawn_at = clock.now()
    publication.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action="duties.score_withdraw", record=publication)


# --- evaluations -----------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor,
    region,
    kind: str,
    method: str,
    title: str,
    period_from: datetime.date,
    period_to: datetime.date,
    station=None,
    group=None,
) -> EvaluationRound:
    """An evaluation round of a kind the office chooses."""
    if not can_manage_region(actor, region):
        raise ValidationError({"region": "您不能在该区划组织评议"})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": "评议类型不正确"})
    if method not in RoundMethod.values:
        raise ValidationError({"method": "评价方式不正确"})
    if not title.strip():
        raise ValidationError({"title": "请填写评议名称"})
    if period_to < period_from:
        raise ValidationError({"period_to": "截止日期不能早于起始日期"})
    if kind == RoundKind.PEER and station is None:
        raise ValidationError({"station": "联络站内互评请选择联络站"})
    if kind == RoundKind.GROUP and group is None:
        raise ValidationError({"group": "代表小组互评请选择代表小组"})
    if station is not None and not station.region.is_within(region):
        raise ValidationError({"station": "联络站不在评议范围内"})
    if group is not None and not group.region.is_within(region):
        raise ValidationError({"group": "代表小组不在评议范围内"})
    return EvaluationRound.objects.create(
        region=region,
        kind=kind,
        method=method,
        title=title.strip(),
        period_from=period_from,
        period_to=period_to,
        station=station,
        group=group,
        created_by=actor,
    )


def round_subjects(round: EvaluationRound):
    """The deputies a round evaluates: the station's or group's members, or
    every serving deputy of the region."""
    if round.station_id:
        return round.station.resident_deputies.all()
    if round.group_id:
        return round.group.members.all()
    return Person.objects.serving(round.period_to).filter(
        region__code__startswith=round.region.code
    )


@transaction.atomic
def evaluation_enter(
    *,
    round: EvaluationRound,
    actor,
    subject: Person,
    value,
    evaluator: Person | None = None,
    voters: int | None = None,
    comment: str = "",
) -> EvaluationEntry:
    """One evaluation: a deputy rating a peer (or themself, in self-
    assessment), or staff entering voters' tallied rating. A deputy's second
    rating of the same peer replaces the first."""
    if round.status != RoundStatus.OPEN:
        raise ValidationError({"round": "该评议已结束"})
    value = _decimal(value, "value", "评价结果")
    top = 5 if round.method == RoundMethod.STARS else 100
    bottom = 1 if round.method == RoundMethod.STARS else 0
    if not bottom <= value <= top:
        raise ValidationError({"value": f"评价结果应在 {bottom} 到 {top} 之间"})
    if problem := nul_problem("评语", comment):
        raise ValidationError({"comment": problem})
    if not round_subjects(round).filter(pk=subject.pk).exists():
        raise ValidationError({"subject": f"{subject}不在本次评议范围内"})
    by_deputy = round.kind in (RoundKind.PEER, RoundKind.GROUP, RoundKind.SELF)
    if by_deputy:
        if evaluator is None or evaluator.user_id != actor.pk:
            raise ValidationError({"evaluator": "本次评议由代表本人填写"})
        if round.kind == RoundKind.SELF and evaluator.pk != subject.pk:
            raise ValidationError({"subject": "自评只能评价本人"})
        if round.kind != RoundKind.SELF and evaluator.pk == subject.pk:
            raise ValidationError({"subject": "互评不能评价本人"})
        if not round_subjects(round).filter(pk=evaluator.pk).exists():
            raise ValidationError({"evaluator": "您不在本次评议范围内"})
        entry, _ = EvaluationEntry.objects.update_or_create(
            round=round,
            subject=subject,
            evaluator=evaluator,
            defaults={"value": value, "comment": comment.strip()[:200], "entered_by": actor},
        )
        return entry
    if not can_manage_region(actor, round.region):
        raise ValidationError({"round": "选民评议结果由人大工作人员录入"})
    if round.kind in (RoundKind.VOTER, RoundKind.DUTY_REPORT) and not voters:
        raise ValidationError({"voters": "请填写参评选民人数"})
    return EvaluationEntry.objects.create(
        round=round,
        subject=subject,
        voters=voters,
        value=value,
        comment=comment.strip()[:200],
        entered_by=actor,
    )


@transaction.atomic
def round_close(*, round: EvaluationRound, actor, publish: bool = False) -> EvaluationRound:
    """End a round; the office decides whether its results are shown (on
    the public board among them)."""
    if not can_manage_region(actor, round.region):
        raise ValidationError({"round": "您不能结束该评议"})
    transition(round, RoundStatus.CLOSED, actor=actor)
    if publish:
        EvaluationRound.objects.filter(pk=round.pk).update(published=True)
        round.published = True
    return round


@transaction.atomic
def four_good_select(*, actor, person: Person, year: int, basis: str) -> FourGoodSelection:
    """Put a deputy on the year's four-good deputy list."""
    if not can_manage_region(actor, person.region):
        raise ValidationError({"person": "您不能评选该代表"})
    if not basis.strip():
        raise ValidationError({"basis": "请填写评选依据"})
    if FourGoodSelection.objects.filter(person=person, year=year).exists():
        raise ValidationError({"person": f"{person}已在{year}年度四好人大代表名单中"})
    selection = FourGoodSelection.objects.create(
        person=person, year=year, basis=basis.strip()[:200], selected_by=actor
    )
    audit_record(actor=actor, action="duties.four_good_select", record=selection)
    return selection


@transaction.atomic
def four_good_unselect(*, actor, selection: FourGoodSelection) -> None:
    if not can_manage_region(actor, selection.person.region):
        raise ValidationError({"person": "您不能修改该名单"})
    audit_record(
        actor=actor,
        action="duties.four_good_unselect",
        detail={"person": selection.person_id, "year": selection.year},
    )
    selection.delete()


# --- duty reports to voters (述职) ----------------------------------------------------------


@transaction.atomic
def duty_report_record(
    *,
    actor,
    person: Person,
    reported_on: datetime.date,
    audience: str,
    attendees: int,
    satisfied: int,
    basically_satisfied: int = 0,
    dissatisfied: int = 0,
    place: str = "",
    summary: str = "",
) -> DutyReport:
    """A deputy reported to voters; the voters' rating is tallied, and the
    deputy is credited with the duty."""
    if not can_manage_region(actor, person.region):
        raise ValidationError({"person": "您不能为该代表登记述职"})
    _not_in_future(reported_on, "reported_on", "述职日期")
    if not audience.strip():
        raise ValidationError({"audience": "请填写述职对象"})
    if satisfied + basically_satisfied + dissatisfied > attendees:
        raise ValidationError({"attendees": "满意、基本满意、不满意票数之和不能超过参加人数"})
    report = DutyReport.objects.create(
        person=person,
        reported_on=reported_on,
        audience=audience.strip(),
        place=place.strip(),
        attendees=attendees,
        satisfied=satisfied,
        basically_satisfied=basically_satisfied,
        dissatisfied=dissatisfied,
        summary=summary.strip(),
        recorded_by=actor,
    )
    duty_records_put(
        persons={person: (Attendance.PRESENT, "")},
        kind=DutyKind.DUTY_REPORT,
        occurred_on=reported_on,
        title=f"向{report.audience}述职",
        source=report,
        actor=actor,
        place=report.place,
    )
    return report
