"""Figures of duty performance (DOMAIN §3) for the office: activities and
person-times by kind, organiser, township and month; attendance; deputies
with no record; duty reports to voters ("N of M deputies reported (x%),
satisfaction y%"); and, where a points scheme is in force, how scores fall
into its bands.

Every figure is counted in SQL (grouped aggregates), and every number has
the list behind it (`figure_items`, the drill-down), built from the same
conditions. What each figure takes:

- 活动 activities: activities held in the period in the place (by the
  activity's own region; a county activity is counted under the county).
- 参加人次 person-times: over those activities, the deputies recorded present.
- 应到、出席、请假、缺席、出勤率: over those activities, every participant
  recorded, by attendance; the rate is present over all of them.
- 履职记录 records: counted duty records (recorded by an organiser or another
  capability, or the deputy's own entry once verified) of the place's
  deputies in the period, whatever their source.
- 在任代表 serving: deputies of the place holding a mandate some time in the
  period; 无履职记录 idle: of them, those with no counted record in the period
  at which they were present (an absence from an activity is not a duty done).
- 述职 reported: serving deputies with a duty report in the period; the
  satisfaction is satisfied and basically satisfied votes over votes cast.
- 积分等次 bands: serving deputies' totals for the year of the period's end,
  banded by the scheme governing their township; shown only where a scheme
  is in force.

The place table breaks the scope down one level (areas.breakdown_length): a
province's or a city's figures by county, a county's by township, each with
the scope's own activities on a 本级 line. The organiser table has a row per
group, station and body, thousands for a province: it waits until a
province's user picks a county (`?area=`, which narrows every figure).

Above a county, for a period of whole months, the activity and record
figures are added up from cells (FigureCell: one per county, month and
kind) and, for a calendar year, the deputy figures too (DeputyCell: one per
county and year), which `cells_rebuild` recounts every few minutes
(duties.tasks); the page says when. A county's figures, the score bands and
every drill-down are counted live.
"""

import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from renda.core import cells, clock
from renda.core.areas import breakdown_length, in_place_group, place_labels
from renda.core.models import CODE_LENGTH, Region, RegionLevel
from renda.deputies.models import Person
from renda.duties import points
from renda.duties.models import (
    COUNTED_STATUSES,
    Activity,
    Attendance,
    DeputyCell,
    DutyKind,
    DutyRecord,
    DutyReport,
    FigureCell,
    PointsScheme,
)
from renda.duties.registers import (
    FROM_ACTIVITY,
    DutyQueryForm,
    activities_in,
    last_of_month,
    period_label,
    persons_in,
    rate_text,
    records_in,
    scope_label,
    serving_in,
)

DEFINITIONS = [
    ("统计口径", "活动按活动日期、履职记录按履职日期、述职按述职日期落在统计期间内计。"),
    ("活动", "统计期间内举行的履职活动；按活动所属区划计（县级组织的活动计入县本级）。"),
    ("参加人次", "各次活动登记为出席的代表人数之和（同一代表参加三次计三人次）。"),
    (
        "应到、出席、请假、缺席",
        "各次活动登记的全部参加代表，按出勤情况分别计；出勤率为出席人次除以应到人次。",
    ),
    (
        "履职记录",
        "本辖区代表计入履职的记录：活动组织者和其他工作登记的记录，以及代表本人填报并经核实的记录；待核实、已退回、抽查不实的不计。",
    ),
    ("在任代表", "统计期间内任一时间持有代表职务的本辖区代表。"),
    ("无履职记录", "在任代表中，统计期间内没有计入的履职记录（缺席、请假的活动不算）的代表。"),
    (
        "述职",
        "在任代表中，统计期间内向选民述职的人数；满意率为满意票与基本满意票之和除以投票总数。",
    ),
    (
        "积分等次",
        "按统计期间截止日期所在年度的积分，依各乡镇适用的积分办法确定等次；未实行积分制的不统计。",
    ),
]

DIMENSIONS = {
    "kind": "履职类型",
    "organiser": "组织者",
    "township": "乡镇（街道）",
    "month": "月份",
}
# The place table breaks a province or a city down by county and a county
# by township (areas.breakdown_length); its key stays "township".
PLACE_LABELS = {CODE_LENGTH[RegionLevel.COUNTY]: "县（市、区）"}
ORGANISERS_WAIT = "按组织者分组请先选择县（市、区）"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ORGANISER = re.compile(r"^(group|station|body):(\d+)$")
NONE_KEY = "none"


class FigureQueryForm(DutyQueryForm):
    """County, township and period; the period defaults to this year."""

    DEFAULT = "year"


def place_length(user, filters: dict) -> int:
    """The division-code length the place table groups by: one level below
    the narrowest of the chosen township, the chosen county and the user's
    region."""
    return breakdown_length(filters.get("region") or filters.get("area") or user.region)


def dimension_label(dimension: str, length: int) -> str:
    if dimension == "township":
        return PLACE_LABELS.get(length, DIMENSIONS["township"])
    return DIMENSIONS.get(dimension, "")


# --- the queries -------------------------------------------------------------------------


ORGANISER_FIELDS = (
    "organiser_group",
    "organiser_group__name",
    "organiser_station",
    "organiser_station__name",
    "organiser_body",
    "organiser_body__name",
)


@dataclass
class Row:
    key: str  # "" for the total
    label: str
    activities: int = 0
    person_times: int = 0
    leave: int = 0
    absent: int = 0
    records: int = 0

    @property
    def expected(self) -> int:
        return self.person_times + self.leave + self.absent

    @property
    def rate(self) -> str:
        return rate_text(self.person_times, self.expected)

    def add(self, values: dict) -> None:
        for name in ("activities", "person_times", "leave", "absent", "records"):
            setattr(self, name, getattr(self, name) + values.get(name, 0))


def _total(rows: list[Row]) -> Row:
    total = Row("", "合计")
    for row in rows:
        total.add(vars(row))
    return total


def _organiser_key(row: dict) -> tuple[str, str]:
    """The organiser as `Activity.organiser` names it: group, else station, else body."""
    for kind in ("group", "station", "body"):
        if row[f"organiser_{kind}"]:
            return f"{kind}:{row[f'organiser_{kind}']}", row[f"organiser_{kind}__name"]
    return NONE_KEY, "未注明组织者"


def _grouped(activities, *, length: int, organisers: bool) -> list[dict]:
    """The activities counted by kind, place, month (and organiser), with
    their participants by attendance: two grouped queries, one over the
    activities alone and one over their counted records, so neither counts
    DISTINCT. At most one row per activity, which the tables roll up."""
    keys = ["kind", "f_place", "f_month", *(ORGANISER_FIELDS if organisers else ())]
    activities = activities.order_by().annotate(
        f_place=Substr("region__code", 1, length), f_month=TruncMonth("held_on")
    )
    rows = {
        tuple(values[key] for key in keys): values
        for values in activities.values(*keys).annotate(activities=Count("pk"))
    }
    attended = (
        activities.filter(records__status__in=COUNTED_STATUSES)
        .values(*keys)
        .annotate(
            person_times=Count("records", filter=Q(records__attendance=Attendance.PRESENT)),
            leave=Count("records", filter=Q(records__attendance=Attendance.LEAVE)),
            absent=Count("records", filter=Q(records__attendance=Attendance.ABSENT)),
        )
    )
    for values in attended:
        rows[tuple(values[key] for key in keys)].update(values)
    return list(rows.values())


def _records_by_kind(records) -> list[dict]:
    return list(records.values("kind").annotate(records=Count("pk")).order_by())


def _by_kind(grouped: list[dict]) -> list[Row]:
    rows = {kind: Row(kind, label) for kind, label in DutyKind.choices}
    for values in grouped:
        rows[values["kind"]].add(values)
    return [row for row in rows.values() if row.activities or row.records]


def _by_organiser(grouped: list[dict]) -> list[Row]:
    rows: dict[str, Row] = {}
    for values in grouped:
        key, label = _organiser_key(values)
        rows.setdefault(key, Row(key, label)).add(values)
    return sorted(rows.values(), key=lambda row: (-row.activities, row.label))


def _by_place(grouped: list[dict], length: int) -> list[Row]:
    rows: dict[str, Row] = {}
    for values in grouped:
        code = values["f_place"]
        rows.setdefault(code, Row(code, code)).add(values)
    for code, label in place_labels(rows, length).items():
        rows[code].label = label
    return sorted(rows.values(), key=lambda row: row.key)


def _by_month(grouped: list[dict]) -> list[Row]:
    rows: dict[datetime.date, Row] = {}
    for values in grouped:
        month = values["f_month"]
        if month not in rows:
            rows[month] = Row(f"{month:%Y-%m}", f"{month.year}年{month.month}月")
        rows[month].add(values)
    return [rows[month] for month in sorted(rows)]


@dataclass
class Deputies:
    serving: int
    idle: int
    reported: int
    reports: int
    satisfied_votes: int
    votes: int

    @property
    def reported_share(self) -> str:
        return rate_text(self.reported, self.serving)

    @property
    def satisfaction(self) -> str:
        return rate_text(self.satisfied_votes, self.votes, digits=1)


def serving_deputies(user, filters: dict):
    return serving_in(persons_in(user, filters), filters["held_from"], filters["held_to"])


# The conditions below qualify deputies already read through `visible_to`:
# their own records and reports need no second scope check (which would join
# every row of the subquery back to the deputy and their region).


def _idle_condition(filters):
    records = DutyRecord.objects.filter(
        person=OuterRef("pk"),
        status__in=COUNTED_STATUSES,
        attendance=Attendance.PRESENT,
        occurred_on__gte=filters["held_from"],
        occurred_on__lte=filters["held_to"],
    )
    return ~Exists(records)


def _reported_condition(filters):
    reports = DutyReport.objects.filter(
        person=OuterRef("pk"),
        reported_on__gte=filters["held_from"],
        reported_on__lte=filters["held_to"],
    )
    return Exists(reports)


def reports_in(user, filters: dict):
    """Duty reports of serving deputies of the place in the period."""
    return DutyReport.objects.filter(
        person__in=serving_deputies(user, filters).values("pk"),
        reported_on__gte=filters["held_from"],
        reported_on__lte=filters["held_to"],
    )


def _deputy_counts(filters) -> dict:
    """Aggregates over serving deputies: 在任, 无履职记录, 已述职."""
    return {
        "serving": Count("pk"),
        "idle": Count("pk", filter=_idle_condition(filters)),
        "reported": Count("pk", filter=_reported_condition(filters)),
    }


# Aggregates over duty reports: 述职 and the votes of 满意率.
VOTE_COUNTS = {
    "reports": Count("pk"),
    "satisfied_votes": Sum(F("satisfied") + F("basically_satisfied")),
    "votes": Sum(F("satisfied") + F("basically_satisfied") + F("dissatisfied")),
}
DEPUTY_FIGURES = ("serving", "idle", "reported", "reports", "satisfied_votes", "votes")


def _deputies(user, filters) -> Deputies:
    counts = serving_deputies(user, filters).aggregate(**_deputy_counts(filters))
    counts |= reports_in(user, filters).aggregate(**VOTE_COUNTS)
    return Deputies(**{key: counts[key] or 0 for key in DEPUTY_FIGURES})


# --- score bands ------------------------------------------------------------------------------


@dataclass
class Band:
    label: str
    count: int = 0


@dataclass
class Bands:
    year: int
    bands: list[Band]
    unscored: int  # serving deputies whose township has no scheme

    @property
    def total(self) -> int:
        return sum(band.count for band in self.bands)


@dataclass
class Standing:
    """The serving deputies of the place by score band: `sql` (with
    `params`) yields (person, band) for each of them, the band "" below
    every band and NULL where no scheme governs the deputy's township."""

    year: int
    labels: list[str]  # in the schemes' order, highest first
    sql: str
    params: list

    def counts(self) -> dict:
        """{band: deputies}; None for those no scheme governs. One query."""
        with connection.cursor() as cursor:
            # Composed of querysets' own SQL and fixed text; values are parameters.
            cursor.execute(
                f"SELECT x.band, COUNT(*) FROM ({self.sql}) x GROUP BY x.band",  # noqa: S608
                self.params,
            )
            return dict(cursor.fetchall())

    def persons(self, band: str):
        """The deputies in `band`, as a queryset."""
        sql = f"SELECT x.person FROM ({self.sql}) x WHERE x.band = %s"  # noqa: S608
        return Person.objects.filter(pk__in=RawSQL(sql, [*self.params, band]))  # noqa: S611


def _scheme_in_force(place: Region | None, day: datetime.date) -> bool:
    """Whether a points scheme in force on `day` governs any part of `place`
    (one at or above it, or within it): one small query that spares reading
    every serving deputy's township where none does, as in most of a
    province."""
    schemes = PointsScheme.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )
    if place is not None:
        schemes = schemes.filter(
            Q(region__code__startswith=place.code) | Q(region__code__in=place.ancestor_codes())
        )
    return schemes.exists()


def standing(user, filters: dict, today=None) -> Standing | None:
    """How the serving deputies of the place stand on the points of the year
    of the period's end, banded by the scheme governing their township on
    that year's last day (or today): the townships' schemes are read in
    Python (points.schemes_governing, two queries), the deputies' totals
    and bands are counted in SQL. None where no scheme governs any of them."""
    today = today or timezone.localdate()
    year = filters["held_to"].year
    day = min(today, datetime.date(year, 12, 31))
    if not _scheme_in_force(filters.get("region") or filters.get("area") or user.region, day):
        return None
    serving = serving_deputies(user, filters).order_by()
    regions = Region.objects.filter(pk__in=serving.values("region_id")).order_by("code")
    governed: dict = defaultdict(list)  # scheme: region pks
    for region_pk, scheme in points.schemes_governing(regions, day).items():
        if scheme is not None:
            governed[scheme].append(region_pk)
    if not governed:
        return None
    labels: list[str] = []
    cases, params = [], []
    for scheme, region_pks in governed.items():
        bands = sorted(scheme.bands, key=lambda b: -b["min"])  # as PointsScheme.band_for
        for band in bands:
            if band["label"] not in labels:
                labels.append(band["label"])
        marks = ", ".join(["%s"] * len(region_pks))
        steps = "".join("WHEN COALESCE(t.total, 0) >= %s THEN %s " for _ in bands)
        band_of = f"CASE {steps}ELSE %s END" if bands else "%s"
        cases.append(f"WHEN p.f_region IN ({marks}) THEN {band_of}")
        params += [*region_pks, *(v for band in bands for v in (band["min"], band["label"])), ""]
    people, people_params = serving.values(
        f_person=F("pk"), f_region=F("region_id")
    ).query.sql_with_params()
    totals, totals_params = points.year_totals_sql(serving.values("pk"), year)
    # Composed of querysets' own SQL and fixed text; values are parameters.
    sql = (
        f"SELECT p.f_person AS person, CASE {' '.join(cases)} END AS band"  # noqa: S608
        f" FROM ({people}) p LEFT JOIN ({totals}) t ON t.person = p.f_person"
    )
    return Standing(year, labels, sql, [*params, *people_params, *totals_params])


def _bands(user, filters, today=None) -> Bands | None:
    found = standing(user, filters, today)
    if found is None or not found.labels:
        return None
    counts = found.counts()
    bands = [Band(label, counts.get(label, 0)) for label in found.labels]
    return Bands(found.year, bands, counts.get(None, 0))


# --- above a county: the cells ------------------------------------------------------------

# What a FigureCell counts: the activity figures, then the records.
ACTIVITY_COUNTS = ("activities", "person_times", "leave", "absent")
CELL_COUNTS = (*ACTIVITY_COUNTS, "records")
# Deputy cells are kept for this year and the ones before it, up to this
# many years; an older year's deputy figures are counted live.
DEPUTY_CELL_YEARS = 5


def _zeroed(rows) -> list[dict]:
    """Summed cells' rows, a sum over no cell (NULL) read as 0."""
    return [{key: 0 if value is None else value for key, value in row.items()} for row in rows]


def _deputy_cells(year: int, built_at) -> list[DeputyCell]:
    """One year's deputy figures per county: two grouped queries."""
    period = {"held_from": datetime.date(year, 1, 1), "held_to": datetime.date(year, 12, 31)}
    serving = serving_in(Person.objects.order_by(), period["held_from"], period["held_to"])
    counts: dict = defaultdict(lambda: dict.fromkeys(DEPUTY_FIGURES, 0))
    rows = serving.values(f_place=cells.county_code("region__code")).annotate(
        **_deputy_counts(period)
    )
    reports = (
        DutyReport.objects.filter(
            person__in=serving.values("pk"),
            reported_on__gte=period["held_from"],
            reported_on__lte=period["held_to"],
        )
        .order_by()
        .values(f_place=cells.county_code("person__region__code"))
        .annotate(**VOTE_COUNTS)
    )
    for row in _zeroed([*rows, *reports]):
        place = row.pop("f_place")
        counts[place].update(row)
    return [
        DeputyCell(place=place, year=year, counts=values, built_at=built_at)
        for place, values in counts.items()
    ]


def cells_rebuild() -> int:
    """Count every activity and counted record once per county, month and
    kind into FigureCell, and the deputy figures of the last
    DEPUTY_CELL_YEARS years once per county and year into DeputyCell,
    replacing the last build in one transaction. Returns the cells written."""
    built_at = clock.now()
    counts: dict = defaultdict(lambda: dict.fromkeys(CELL_COUNTS, 0))
    county = CODE_LENGTH[RegionLevel.COUNTY]
    for row in _grouped(Activity.objects.all(), length=county, organisers=False):
        cell = counts[row["f_place"], row["f_month"], row["kind"]]
        for key in ACTIVITY_COUNTS:
            cell[key] += row.get(key, 0)
    records = (
        DutyRecord.objects.filter(status__in=COUNTED_STATUSES)
        .order_by()
        .values("kind", f_place=cells.county_code("person__region__code"))
        .annotate(f_month=TruncMonth("occurred_on"), records=Count("pk"))
    )
    for row in records:
        counts[row["f_place"], row["f_month"], row["kind"]]["records"] += row["records"]
    figure_cells = [
        FigureCell(place=place, month=month, kind=kind, counts=values, built_at=built_at)
        for (place, month, kind), values in counts.items()
    ]
    this_year = timezone.localdate(built_at).year
    deputy_cells = [
        cell
        for year in range(this_year - DEPUTY_CELL_YEARS + 1, this_year + 1)
        for cell in _deputy_cells(year, built_at)
    ]
    with transaction.atomic():
        return cells.replace(FigureCell, figure_cells) + cells.replace(DeputyCell, deputy_cells)


def _counted_ahead(filters: dict) -> bool:
    """Whether cells can stand for the records under `filters`: no county,
    township, group or station picked, a period of whole months."""
    return not any(
        filters.get(name) for name in ("area", "region", "group", "station")
    ) and cells.whole_months(filters["held_from"], filters["held_to"])


@dataclass
class Summed:
    """The figures added up from the cells: rows as `_grouped` gives them
    (by kind, with the records; by place; by month), the deputies (None for
    a period other than one calendar year, or a year without cells), and
    when the cells were built."""

    by_kind: list[dict]
    by_place: list[dict]
    by_month: list[dict]
    deputies: Deputies | None
    built_at: datetime.datetime


def _summed(code: str, filters: dict) -> Summed | None:
    """The figures under the region `code` (`cells.scope_code`) in the
    period from the last build of the cells (four small grouped queries);
    None if the cells were never built."""
    found = FigureCell.objects.filter(
        place__startswith=code, month__gte=filters["held_from"], month__lte=filters["held_to"]
    ).order_by()
    deputy_cells = DeputyCell.objects.filter(place__startswith=code, year=filters["held_from"].year)
    activity_sums = cells.summed(ACTIVITY_COUNTS)
    by_kind = _zeroed(
        found.values("kind").annotate(built_at=Max("built_at"), **cells.summed(CELL_COUNTS))
    )
    built_at = cells.last_built(FigureCell, by_kind)
    if built_at is None:
        return None
    start, end = filters["held_from"], filters["held_to"]
    deputies = None
    if (start.month, start.day, end) == (1, 1, datetime.date(start.year, 12, 31)):
        row = deputy_cells.aggregate(n=Count("pk"), **cells.summed(DEPUTY_FIGURES))
        if row["n"]:
            deputies = Deputies(**{key: row[key] or 0 for key in DEPUTY_FIGURES})
    # The place and month tables count activities: not the cells of records alone.
    by_place = _zeroed(found.values(f_place=F("place")).annotate(**activity_sums))
    by_month = _zeroed(found.values(f_month=F("month")).annotate(**activity_sums))
    return Summed(
        by_kind=by_kind,
        by_place=[row for row in by_place if row["activities"]],
        by_month=[row for row in by_month if row["activities"]],
        deputies=deputies,
        built_at=built_at,
    )


# --- the report --------------------------------------------------------------------------------


@dataclass
class Table:
    """The activities grouped by one dimension, with their total; or, for a
    grouping that waits for a county, only `notice`."""

    key: str
    rows: list[Row]
    label: str = ""
    notice: str = ""

    def __post_init__(self):
        self.label = self.label or DIMENSIONS[self.key]

    @property
    def total(self) -> Row:
        return _total(self.rows)

    @property
    def with_records(self) -> bool:
        return self.key == "kind"

    @property
    def chart(self) -> tuple[str, str]:
        """(Row attribute, words) the table's chart shows."""
        return CHARTS[self.key]


CHARTS = {
    "kind": ("records", "履职记录（条）"),
    "organiser": ("activities", "活动（次）"),
    "township": ("person_times", "参加人次"),
    "month": ("person_times", "参加人次"),
}


@dataclass
class FiguresReport:
    filters: dict
    scope: str
    on: datetime.date
    by_kind: list[Row]
    by_organiser: list[Row]
    by_township: list[Row]
    by_month: list[Row]
    total: Row
    deputies: Deputies
    bands: Bands | None
    tables: list = field(default_factory=list)
    # When the figures were counted, if they come from the cells (not now).
    as_of: datetime.datetime | None = None

    @property
    def title(self) -> str:
        return f"{self.scope}代表履职情况统计"

    @property
    def period(self) -> str:
        return period_label(self.filters)

    @property
    def as_of_note(self) -> str:
        """How old the figures are when they come from the cells ("" when counted now)."""
        return cells.as_of_note(self.as_of, "记录")


def figures_report(
    user, *, filters: dict, organisers: bool = True, from_cells: bool = False, today=None
) -> FiguresReport:
    """Count every figure for the user's scope, place and period. Without
    `organisers` (a province's user who has not picked a county) the
    organiser table, one row per group, station and body, is left out.

    With `from_cells` (the office pages) and no organiser table, a
    province's or a city's activity, record and (for a calendar year) deputy
    figures are added up from the last build of the cells (`cells_rebuild`,
    `cells.scope_code`), and the report says when (`as_of`); the score
    bands and the drill-down are counted live."""
    today = today or timezone.localdate()
    length = place_length(user, filters)
    code = cells.scope_code(user) if from_cells and not organisers else None
    summed = None
    if code is not None and _counted_ahead(filters):
        summed = _summed(code, filters)
    if summed is None:
        grouped = _grouped(activities_in(user, filters), length=length, organisers=organisers)
        by_kind = _by_kind([*grouped, *_records_by_kind(records_in(user, filters))])
        by_place, by_month = _by_place(grouped, length), _by_month(grouped)
    else:
        grouped = []
        by_kind = _by_kind(summed.by_kind)
        by_place, by_month = _by_place(summed.by_place, length), _by_month(summed.by_month)
    report = FiguresReport(
        filters=filters,
        scope=scope_label(user, filters),
        on=today,
        by_kind=by_kind,
        by_organiser=_by_organiser(grouped) if organisers else [],
        by_township=by_place,
        by_month=by_month,
        total=_total(by_kind),
        deputies=(summed and summed.deputies) or _deputies(user, filters),
        bands=_bands(user, filters, today),
        as_of=summed and summed.built_at,
    )
    report.tables = [
        Table("kind", report.by_kind),
        Table("organiser", report.by_organiser, notice="" if organisers else ORGANISERS_WAIT),
        Table("township", report.by_township, label=dimension_label("township", length)),
        Table("month", report.by_month),
    ]
    return report


# --- the drill-down ------------------------------------------------------------------------------

ACTIVITY_FIGURES = {"activities"}
PARTICIPANT_FIGURES = {
    "person_times": Q(attendance=Attendance.PRESENT),
    "leave": Q(attendance=Attendance.LEAVE),
    "absent": Q(attendance=Attendance.ABSENT),
    "expected": Q(),
}
FIGURE_LABELS = {
    "activities": "活动",
    "person_times": "参加人次",
    "leave": "请假人次",
    "absent": "缺席人次",
    "expected": "应到人次",
    "records": "履职记录",
    "serving": "在任代表",
    "idle": "无履职记录的代表",
    "reported": "已述职的代表",
    "reports": "述职",
    "band": "积分等次",
}


def _activities_of_group(activities, dimension: str, group: str, length: int):
    """Activities of one group of a dimension; ValueError for a group that cannot exist."""
    if not group:
        return activities
    if dimension == "kind":
        if group not in DutyKind.values:
            raise ValueError(group)
        return activities.filter(kind=group)
    if dimension == "organiser":
        if group == NONE_KEY:
            return activities.filter(
                organiser_group__isnull=True,
                organiser_station__isnull=True,
                organiser_body__isnull=True,
            )
        match = ORGANISER.match(group)
        if not match:
            raise ValueError(group)
        kind, pk = match[1], int(match[2])
        if kind == "group":
            return activities.filter(organiser_group_id=pk)
        if kind == "station":
            return activities.filter(organiser_group__isnull=True, organiser_station_id=pk)
        return activities.filter(
            organiser_group__isnull=True, organiser_station__isnull=True, organiser_body_id=pk
        )
    if dimension == "township":
        return in_place_group(activities, group, length)
    match = MONTH.match(group)
    if dimension != "month" or not match:
        raise ValueError(group)
    first = datetime.date(int(match[1]), int(match[2]), 1)
    return activities.filter(held_on__gte=first, held_on__lte=last_of_month(first))


@dataclass
class Items:
    """The list behind one number: `source` is activities, records, persons
    or reports; `rows` a queryset. A band's deputies show their totals for
    `score_year` (`scores`)."""

    source: str
    label: str
    rows: object
    score_year: int | None = None

    def scores(self, persons) -> dict:
        """{person pk: the year's total} for one page of a band's deputies."""
        if self.score_year is None:
            return {}
        return points.score_totals([person.pk for person in persons], self.score_year)


def figure_items(
    user, figure: str, *, filters: dict, dimension: str = "", group: str = "", today=None
) -> Items:
    """The records behind one number. Raises KeyError or ValueError for a
    figure, dimension or group that cannot exist."""
    label = FIGURE_LABELS[figure]
    if dimension and dimension not in DIMENSIONS:
        raise ValueError(dimension)
    if figure in ACTIVITY_FIGURES or figure in PARTICIPANT_FIGURES:
        activities = _activities_of_group(
            activities_in(user, filters).order_by(),
            dimension,
            group,
            place_length(user, filters),
        )
        if figure in ACTIVITY_FIGURES:
            rows = activities.select_related(
                "region", "organiser_body", "organiser_group", "organiser_station"
            ).order_by("held_on", "pk")
            return Items("activities", label, rows)
        rows = (
            DutyRecord.objects.visible_to(user)
            .filter(FROM_ACTIVITY, PARTICIPANT_FIGURES[figure])
            .filter(status__in=COUNTED_STATUSES, source_id__in=activities.values("pk"))
            .select_related("person__region")
            .order_by("occurred_on", "source_id", "person__name_pinyin", "pk")
        )
        return Items("records", label, rows)
    if figure == "records":
        rows = records_in(user, filters)
        if dimension == "kind" and group:
            if group not in DutyKind.values:
                raise ValueError(group)
            rows = rows.filter(kind=group)
        elif dimension or group:
            raise ValueError(dimension)
        rows = rows.select_related("person__region").order_by("occurred_on", "pk")
        return Items("records", label, rows)
    if dimension or (group and figure != "band"):
        raise ValueError(dimension or group)
    persons = serving_deputies(user, filters).select_related("region")
    if figure == "serving":
        return Items("persons", label, persons.order_by("region__code", "name_pinyin", "pk"))
    if figure == "idle":
        rows = persons.filter(_idle_condition(filters))
        return Items("persons", label, rows.order_by("region__code", "name_pinyin", "pk"))
    if figure == "reported":
        rows = persons.filter(_reported_condition(filters))
        return Items("persons", label, rows.order_by("region__code", "name_pinyin", "pk"))
    if figure == "reports":
        rows = reports_in(user, filters).select_related("person__region")
        return Items("reports", label, rows.order_by("reported_on", "pk"))
    # figure == "band"
    found = standing(user, filters, today)
    if found is None or group not in found.labels:
        raise ValueError(group)
    rows = found.persons(group).select_related("region")
    rows = rows.order_by("region__code", "name_pinyin", "pk")
    return Items("persons", f"{found.year}年度积分等次：{group}", rows, score_year=found.year)


def group_label(dimension: str, group: str, length: int) -> str:
    """The words for one group of a dimension (one query at most); the group
    key itself when it names nothing."""
    if not group or not dimension:
        return ""
    if dimension == "kind":
        return dict(DutyKind.choices).get(group, group)
    if dimension == "township":
        return place_labels([group], length).get(group, group)
    if dimension == "month":
        match = MONTH.match(group)
        return f"{match[1]}年{int(match[2])}月" if match else group
    if group == NONE_KEY:
        return "未注明组织者"
    match = ORGANISER.match(group)
    if not match:
        return group
    from renda.core.models import Body
    from renda.deputies.models import Group, Station

    model = {"group": Group, "station": Station, "body": Body}[match[1]]
    found = model.objects.filter(pk=int(match[2])).first()
    return str(found) if found else group


# --- the workbook ---------------------------------------------------------------------------------


def _table(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        sheet.append(row)


def figures_workbook(report: FiguresReport) -> bytes:
    """The report as an .xlsx: the overview, one sheet per dimension, the
    score bands, then what each figure means."""
    book = Workbook()
    sheet = book.active
    sheet.title = "概况"
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"统计期间：{report.period}　"
            + (report.as_of_note or f"统计日期：{report.on:%Y年%m月%d日}")
        ]
    )
    deputies = report.deputies
    _table(
        sheet,
        ["项目", "数值"],
        [
            ["活动（次）", report.total.activities],
            ["参加人次", report.total.person_times],
            ["应到人次", report.total.expected],
            ["请假人次", report.total.leave],
            ["缺席人次", report.total.absent],
            ["出勤率", report.total.rate],
            ["履职记录（条）", report.total.records],
            ["在任代表（人）", deputies.serving],
            ["无履职记录的代表（人）", deputies.idle],
            ["已述职的代表（人）", deputies.reported],
            ["述职比例", deputies.reported_share],
            ["述职满意率", deputies.satisfaction],
        ],
    )
    sheet.append([])
    sheet.append(["口径说明"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for term, meaning in DEFINITIONS:
        sheet.append([term, meaning])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 16
    header = ["活动（次）", "参加人次", "应到人次", "请假", "缺席", "出勤率"]
    for table in report.tables:
        part = book.create_sheet(f"按{table.label}"[:31])
        if table.notice:
            part.append([table.notice])
            continue
        extra = ["履职记录（条）"] if table.with_records else []
        _table(
            part,
            [table.label, *header, *extra],
            [
                [
                    row.label,
                    row.activities,
                    row.person_times,
                    row.expected,
                    row.leave,
                    row.absent,
                    row.rate,
                    *([row.records] if extra else []),
                ]
                for row in [*table.rows, table.total]
            ],
        )
        part.column_dimensions["A"].width = 24
    if report.bands:
        part = book.create_sheet("积分等次")
        _table(
            part,
            [f"{report.bands.year}年度积分等次", "代表（人）"],
            [[band.label, band.count] for band in report.bands.bands]
            + [["未实行积分制", report.bands.unscored]],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
