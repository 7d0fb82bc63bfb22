"""Scores from records (积分制): which scheme governs a place in a month, the
monthly score lines computed in SQL, and the year's scores read back.

A region follows the scheme of the nearest region at or above it that has
one in force (like rule sets). Scheme versions begin on the first of a month,
so each (region, month) has exactly one scheme. Lines are per deputy, item
and month; a scheme change from a month recomputes only that month onward,
and earlier months keep the lines the old version gave them. Caps apply to
the year's sum of an item, when scores are read.

Every function here runs a fixed number of queries for any number of
deputies: lines are written with INSERT ... SELECT, never row by row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import ExtractMonth

from renda.core.models import Region
from renda.deputies.models import Mandate, Person
from renda.duties.models import (
    COUNTED_STATUSES,
    DutyRecord,
    ItemBasis,
    PointsAward,
    PointsItem,
    PointsItemKind,
    PointsScheme,
    ScoreLine,
)

MONTHS = range(1, 13)
ZERO = Decimal("0.0")


def _schemes_for(regions, year: int) -> list[PointsScheme]:
    """Every scheme version in force some time in `year` at or above `regions`."""
    codes = {code for region in regions for code in region.ancestor_codes()}
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return list(
        PointsScheme.objects.filter(region__code__in=codes, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        .select_related("region")
    )


def _governing(schemes, region: Region, day: datetime.date) -> PointsScheme | None:
    above = set(region.ancestor_codes())
    candidates = [
        s
        for s in schemes
        if s.region.code in above
        and s.effective_from <= day
        and (s.effective_to is None or day <= s.effective_to)
    ]
    return max(candidates, key=lambda s: (len(s.region.code), s.effective_from), default=None)


def scheme_for(region: Region, day: datetime.date) -> PointsScheme | None:
    """The scheme version governing `region` on `day`, or None where the
    office has not adopted a points scheme."""
    return _governing(_schemes_for([region], day.year), region, day)


def schemes_governing(regions, day: datetime.date) -> dict[int, PointsScheme | None]:
    """{region pk: the scheme governing it on `day`} for many regions in one
    query (score lists show each deputy's band and stars)."""
    regions = list(regions)
    schemes = _schemes_for(regions, day.year)
    return {region.pk: _governing(schemes, region, day) for region in regions}


# --- computing lines -------------------------------------------------------------


@dataclass
class _Batch:
    """Regions whose lines one scheme computes for the same months."""

    scheme: PointsScheme
    months: tuple[int, ...]
    base_month: int | None
    region_ids: list[int] = field(default_factory=list)


def _batches(regions, year: int, todo: set[int], with_base: bool) -> list[_Batch]:
    schemes = _schemes_for(regions, year)
    batches: dict[tuple, _Batch] = {}
    for region in regions:
        governed: dict[int, list[int]] = defaultdict(list)
        by_pk = {}
        for month in MONTHS:
            scheme = _governing(schemes, region, datetime.date(year, month, 1))
            if scheme is not None:
                governed[scheme.pk].append(month)
                by_pk[scheme.pk] = scheme
        first = min((months[0] for months in governed.values()), default=None)
        for pk, months in governed.items():
            # Base points are credited once a year, by the scheme governing
            # the first month any scheme governs.
            base_month = months[0] if months[0] == first else None
            if base_month not in todo and not with_base:
                base_month = None
            months = tuple(m for m in months if m in todo)
            if not months and base_month is None:
                continue
            key = (pk, months, base_month)
            if key not in batches:
                batches[key] = _Batch(by_pk[pk], months, base_month)
            batches[key].region_ids.append(region.pk)
    return list(batches.values())


def _insert(queryset) -> None:
    """INSERT INTO score lines SELECT ...: `queryset` yields values for
    (person, item, year, month, count, points) in that order."""
    sql, params = queryset.query.sql_with_params()
    meta = ScoreLine._meta
    names = ["person", "item", "year", "month", "count", "points"]
    columns = ", ".join(connection.ops.quote_name(meta.get_field(n).column) for n in names)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        # Table and column names come from the model; values are parameters.
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608


def _compute(batch: _Batch, year: int, person_ids) -> None:
    scheme, months = batch.scheme, batch.months
    if not months:
        _compute_base(batch, year, person_ids)
        return
    people = Q(person__region_id__in=batch.region_ids)
    if person_ids is not None:
        people &= Q(person_id__in=person_ids)
    matching = PointsItemKind.objects.filter(
        scheme=scheme, kind=OuterRef("kind"), attendance=OuterRef("attendance")
    )
    decimal = DecimalField(max_digits=7, decimal_places=1)
    records = (
        DutyRecord.objects.filter(
            people,
            status__in=COUNTED_STATUSES,
            occurred_on__year=year,
            occurred_on__month__in=months,
        )
        .annotate(
            line_item=Subquery(matching.values("item_id")[:1]),
            line_month=ExtractMonth("occurred_on"),
        )
        .filter(line_item__isnull=False)
        .order_by()
        .values("person_id", "kind", "attendance", "line_item", "line_month")
        .annotate(
            line_year=Value(year, output_field=IntegerField()),
            n=Count("pk"),
            total=F("n") * Subquery(matching.values("item__points")[:1], output_field=decimal),
        )
        .values_list("person_id", "line_item", "line_year", "line_month", "n", "total")
    )
    _insert(records)
    awards = (
        PointsAward.objects.filter(
            people, item__scheme=scheme, awarded_on__year=year, awarded_on__month__in=months
        )
        .annotate(line_month=ExtractMonth("awarded_on"))
        .order_by()
        .values("person_id", "item_id", "line_month")
        .annotate(
            line_year=Value(year, output_field=IntegerField()),
            n=Count("pk"),
            total=Sum("points"),
        )
        .values_list("person_id", "item_id", "line_year", "line_month", "n", "total")
    )
    _insert(awards)
    _compute_base(batch, year, person_ids)


def _compute_base(batch: _Batch, year: int, person_ids) -> None:
    if batch.base_month is None:
        return
    scheme = batch.scheme
    decimal = DecimalField(max_digits=7, decimal_places=1)
    start = datetime.date(year, batch.base_month, 1)
    serving = Mandate.objects.filter(
        person=OuterRef("pk"), elected_on__lte=datetime.date(year, 12, 31)
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    persons = Person.objects.filter(Exists(serving), region_id__in=batch.region_ids)
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    for item_pk, points in PointsItem.objects.filter(
        scheme=scheme, basis=ItemBasis.BASE
    ).values_list("pk", "points"):
        _insert(
            persons.order_by()
            .annotate(
                line_item=Value(item_pk, output_field=IntegerField()),
                line_year=Value(year, output_field=IntegerField()),
                line_month=Value(batch.base_month, output_field=IntegerField()),
                n=Value(1, output_field=IntegerField()),
                total=Value(points, output_field=decimal),
            )
            .values_list("pk", "line_item", "line_year", "line_month", "n", "total")
        )


def score_recompute(
    *, year: int, region: Region | None = None, months=MONTHS, person_ids=None
) -> None:
    """Recompute the lines of `months` of `year` for the deputies of
    `region`'s subtree (all regions when None), or only for `person_ids`
    (whose base points are then recomputed too, so a deputy added to the
    roster mid-year gets them with their first record)."""
    todo = set(months)
    with_base = person_ids is not None
    persons = Person.objects.all()
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    regions = Region.objects.filter(pk__in=persons.values("region_id"))
    if region is not None:
        regions = regions.filter(code__startswith=region.code)
    regions = list(regions)
    stale = ScoreLine.objects.filter(
        year=year, month__in=todo, person__region_id__in=[r.pk for r in regions]
    )
    if with_base:
        stale = ScoreLine.objects.filter(
            Q(month__in=todo) | Q(item__basis=ItemBasis.BASE), year=year, person_id__in=person_ids
        )
    stale.delete()
    for batch in _batches(regions, year, todo, with_base):
        _compute(batch, year, person_ids)


def score_recompute_for(*, person_ids, days) -> None:
    """Recompute the months in which these deputies' records changed."""
    by_year = defaultdict(set)
    for day in days:
        by_year[day.year].add(day.month)
    for year, months in by_year.items():
        score_recompute(year=year, months=months, person_ids=set(person_ids))


# --- reading scores ---------------------------------------------------------------


def _capped(total: Decimal, cap: Decimal | None) -> Decimal:
    if cap is None:
        return total
    return max(-cap, min(cap, total))


# A deputy's total for the year: each item's sum kept within its cap (as
# `_capped`), the items' sum kept within 0 and the scheme's scale.
_ITEM_CAPPED = (
    "CASE WHEN l.f_cap IS NULL THEN l.f_sum WHEN l.f_sum > l.f_cap THEN l.f_cap"
    " WHEN l.f_sum < -l.f_cap THEN -l.f_cap ELSE l.f_sum END"
)
_KEPT_IN_SCALE = "CASE WHEN t.total < 0 THEN 0 WHEN t.total > t.scale THEN t.scale ELSE t.total END"
_TENTH = Decimal("0.1")  # ScoreLine.points has one decimal place


def year_totals_sql(persons, year: int, through_month: int = 12) -> tuple[str, list]:
    """SQL and its parameters yielding (person, total) for the `persons` (a
    queryset) with score lines in `year` up to the end of `through_month`:
    the one statement of how a year's total is made, which `score_totals`
    runs and the figures' bands count over."""
    lines, params = (
        ScoreLine.objects.filter(year=year, month__lte=through_month, person__in=persons)
        .order_by()
        .values(f_person=F("person_id"), f_item=F("item_id"))
        .annotate(f_sum=Sum("points"), f_cap=F("item__cap"), f_scale=F("item__scheme__scale"))
        .query.sql_with_params()
    )
    sums = (
        f"SELECT l.f_person, SUM({_ITEM_CAPPED}) AS total, MAX(l.f_scale) AS scale"  # noqa: S608
        f" FROM ({lines}) l GROUP BY l.f_person"
    )
    # Composed of a queryset's own SQL and fixed text; values are parameters.
    return f"SELECT t.f_person AS person, {_KEPT_IN_SCALE} AS total FROM ({sums}) t", params  # noqa: S608


def score_totals(persons, year: int, through_month: int = 12) -> dict[int, Decimal]:
    """{person pk: the year's total} (up to the end of `through_month`),
    items capped, the total kept within 0 and the scheme's scale; one query
    for any number of deputies."""
    sql, params = year_totals_sql(persons, year, through_month)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # SQLite sums decimals as floats: back to the points' one decimal place.
        return {pk: Decimal(str(total)).quantize(_TENTH) for pk, total in cursor.fetchall()}


@dataclass
class BreakdownLine:
    category: str
    item: PointsItem
    count: int
    raw: Decimal
    points: Decimal

    @property
    def capped(self) -> bool:
        return self.points != self.raw


def score_breakdown(person: Person, year: int) -> list[BreakdownLine]:
    """How each of the deputy's points was earned in `year`, item by item."""
    rows = (
        ScoreLine.objects.filter(year=year, person=person)
        .order_by()
        .values("item_id")
        .annotate(n=Sum("count"), total=Sum("points"))
    )
    sums = {row["item_id"]: row for row in rows}
    items = PointsItem.objects.filter(pk__in=sums).select_related("category", "scheme")
    lines = [
        BreakdownLine(
            category=item.category.name,
            item=item,
            count=sums[item.pk]["n"],
            raw=sums[item.pk]["total"],
            points=_capped(sums[item.pk]["total"], item.cap),
        )
        for item in items
    ]
    lines.sort(
        key=lambda line: (
            line.item.scheme.effective_from,
            line.item.category.order,
            line.item.order,
        )
    )
    return lines


def score_standing(region: Region, year: int, total: Decimal | None, today: datetime.date):
    """(band, stars) for a total under the scheme governing at the year's end
    (or today, in the current year)."""
    if total is None:
        return "", 0
    day = min(today, datetime.date(year, 12, 31))
    scheme = scheme_for(region, day)
    if scheme is None:
        return "", 0
    return scheme.band_for(total), scheme.stars_for(total)
