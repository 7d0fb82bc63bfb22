"""Figures of receptions and constituents' opinions (DOMAIN §5): receptions
held, person-times of deputies on duty, people received, opinions collected
by channel and by category, and what became of them, for the receptions and
opinions a user may see, in a place and a period, grouped by station, place
or month. The place is one level below the scope: a county's townships, a
province's counties (its own records on a line of their own, 本级); on a
province's server the station dimension waits until a county is picked.

Every figure is a condition on one record (or, for person-times, a number
per record), so the same definition counts in SQL and lists the records
behind a count (the drill-down). What each figure takes:

- 接待活动 receptions: receptions held in the period (by their date).
- 代表接待人次 deputy person-times: over those receptions, the number of
  deputies on duty at each, added up (a deputy at three receptions is three).
- 接待群众人次 people received: the people received recorded at each, added up.
- 收集意见 opinions: opinions received in the period (by the date they were
  collected), from every channel; merged ones included.
- 当场解决, 交办, 上报, 转为代表建议, 不予受理, 归并: of those opinions, the
  ones whose outcome is that (the last outcome decided: an opinion a unit
  returned and the office then solved counts as solved, not as assigned; one
  assigned, handled and answered still counts as assigned).
- 办实事 deeds done: solved on the spot, or handled with a result after being
  assigned, escalated or converted (the 为选民办实事 register, which lists
  them by the date they were done).
- 已答复群众 answered: the person who raised it has been told the result.
- 逾期未办结 overdue: assigned to a unit, not yet handled, and its time limit
  (`due_on`) is before the statistics date (today).

Above a county (a province's or a city's staff, no county, township or
station picked), by place or by month over whole months, the figures are
added up from cells (FigureCell: one per county and month; CategoryCell for
the breakdown by category) that `cells_rebuild` recounts every few minutes
(opinions.tasks), and the page says when; 逾期未办结 is then as of that
day. A county's figures, any other period or dimension, and every
drill-down are counted live.
"""

import datetime
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from renda.core import cells, clock
from renda.core.areas import breakdown_length, in_place_group, place_labels
from renda.core.models import CODE_LENGTH, RegionLevel
from renda.deputies.models import Station
from renda.opinions.models import (
    CategoryCell,
    Channel,
    FigureCell,
    Opinion,
    OpinionStatus,
    Reception,
)
from renda.opinions.registers import (
    DEED_PARTS,
    PeriodQueryForm,
    day_bounds,
    in_place,
    last_of_month,
    period_label,
    scope_label,
    scope_region,
    taking,
    with_outcome,
)
from renda.suggestions.models import Category

RECEPTIONS, OPINIONS = "receptions", "opinions"

# --- what is counted -----------------------------------------------------------------


def _meeting(condition: Q) -> tuple:
    """The parts (see `registers.taking`) of the records meeting `condition`,
    whatever their outcome."""
    return (((), condition),)


def _outcome(state: str) -> tuple:
    """The parts of the opinions whose outcome is `state`."""
    return (((state,), Q()),)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    source: str  # RECEPTIONS or OPINIONS
    # The records the figure takes (over `receptions_annotated` or `opinions_annotated`),
    # as `registers.taking` parts: (outcomes, condition). Their outcomes are disjoint, so
    # that the counts of an opinion's outcome add up to the figure.
    parts: tuple = _meeting(Q())
    # For figures that add a number per record: the field summed.
    sums: str = ""
    unit: str = "件"

    @property
    def condition(self) -> Q:
        return taking(*self.parts)


FIGURES = [
    Figure("receptions", "接待活动", RECEPTIONS, unit="次"),
    Figure("deputy_times", "代表接待人次", RECEPTIONS, sums="f_deputies", unit="人次"),
    Figure("people", "接待群众人次", RECEPTIONS, sums="people_received", unit="人次"),
    Figure("opinions", "收集意见", OPINIONS),
    Figure("solved", "当场解决", OPINIONS, _outcome(OpinionStatus.SOLVED)),
    Figure("assigned", "交办", OPINIONS, _outcome(OpinionStatus.ASSIGNED)),
    Figure("escalated", "上报", OPINIONS, _outcome(OpinionStatus.ESCALATED)),
    Figure("converted", "转为代表建议", OPINIONS, _outcome(OpinionStatus.CONVERTED)),
    Figure("declined", "不予受理", OPINIONS, _outcome(OpinionStatus.DECLINED)),
    Figure("merged", "归并", OPINIONS, _outcome(OpinionStatus.MERGED)),
    Figure("deeds", "办实事", OPINIONS, DEED_PARTS),
    Figure("answered", "已答复群众", OPINIONS, _meeting(Q(status=OpinionStatus.ANSWERED))),
    Figure("overdue", "逾期未办结", OPINIONS, _meeting(Q(f_overdue=True))),
]
FIGURE = {figure.key: figure for figure in FIGURES}
COLUMNS = [figure.key for figure in FIGURES]

DEFINITIONS = [
    ("统计口径", "接待按接待日期、意见按收集日期落在统计期间内计；去向和答复情况截至统计日期。"),
    ("代表接待人次", "每次接待活动的接待代表人数之和（同一代表接待三次计三人次）。"),
    ("接待群众人次", "每次接待活动登记的接待群众人次之和。"),
    ("收集意见", "各渠道收集的全部意见，含已归并的。"),
    (
        "当场解决、交办、上报、转为代表建议、不予受理、归并",
        "按意见最终确定的去向计：承办单位退回后另作处理的，按新的去向计；交办后已办理、已答复的仍计入交办。",
    ),
    ("办实事", "当场解决的，以及交办、上报或转为建议后已办理并有办理结果的意见。"),
    ("已答复群众", "已将办理结果答复反映人的意见。"),
    ("逾期未办结", "已交办、承办单位尚未办理完毕、且办理期限早于统计日期的意见。"),
]

# --- the dimensions ----------------------------------------------------------------------

# "township" is the place one level below the scope: a county's townships, a
# province's counties (renda.core.areas.breakdown_length).
PLACE = "township"
DIMENSIONS = [("station", "联络站"), (PLACE, "乡镇（街道）"), ("month", "月份")]
PLACE_LABELS = {
    CODE_LENGTH[RegionLevel.COUNTY]: "县（市、区）",
    CODE_LENGTH[RegionLevel.TOWNSHIP]: "乡镇（街道）",
}
# One group per station: thousands for a province, so they wait for a county.
PER_ENTITY = {"station": "按联络站分组请先选择县（市、区）"}
NONE_KEY = "none"
NONE_LABEL = {"station": "未经联络站"}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def dimension_choices(length: int) -> list[tuple[str, str]]:
    """The dimensions with the place named for `length` (counties or townships)."""
    return [(key, PLACE_LABELS[length] if key == PLACE else label) for key, label in DIMENSIONS]


class FigureQueryForm(PeriodQueryForm):
    """The place, period and dimension, shared by the page, the workbook and
    the drill-down."""

    dimension = forms.ChoiceField(
        label="分组",
        choices=DIMENSIONS,
        required=False,
        error_messages={"invalid_choice": "“%(value)s”不是可选的分组方式"},
    )

    def chosen_dimension(self) -> str:
        """The dimension asked for, else the first; while a province's user has
        not picked a county, a per-entity one gives way to the place (counties)."""
        asked = self.cleaned_data.get("dimension") or DIMENSIONS[0][0]
        return PLACE if self.area.waiting and asked in PER_ENTITY else asked

    def asked_dimension(self) -> str:
        """The dimension as asked: a drill-down lists one group, so a station's
        group opens even while a county is not picked."""
        return self.cleaned_data.get("dimension") or self.chosen_dimension()


def place_length(user, filters: dict) -> int:
    """The division-code length the place dimension groups by."""
    return breakdown_length(scope_region(user, filters))


# --- the queries --------------------------------------------------------------------------


def with_deputies(receptions):
    """Annotate each reception with the number of deputies on duty (`f_deputies`)."""
    on_duty = (
        Reception.deputies.through.objects.filter(reception=OuterRef("pk"))
        .order_by()
        .values("reception")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return receptions.order_by().annotate(
        f_deputies=Coalesce(Subquery(on_duty, output_field=IntegerField()), 0)
    )


def with_overdue(opinions, *, on: datetime.date):
    """Annotate each opinion with whether it is overdue on `on` (`f_overdue`)."""
    return opinions.order_by().annotate(
        f_overdue=ExpressionWrapper(
            Q(status=OpinionStatus.ASSIGNED, due_on__lt=on), output_field=BooleanField()
        )
    )


def receptions_annotated(user, filters: dict):
    """Receptions the user may see, held in the place and period, with the
    number of deputies on duty (`f_deputies`)."""
    return with_deputies(
        in_place(Reception.objects.visible_to(user), filters).filter(
            held_on__gte=filters["date_from"], held_on__lte=filters["date_to"]
        )
    )


def opinions_annotated(user, filters: dict, *, on: datetime.date | None = None):
    """Opinions the user may see, collected in the place and period, with
    their outcome and whether they are overdue on `on` (today by default)."""
    start, end = day_bounds(filters["date_from"], filters["date_to"])
    opinions = with_outcome(in_place(Opinion.objects.visible_to(user), filters)).filter(
        received_at__gte=start, received_at__lt=end
    )
    return with_overdue(opinions, on=on or timezone.localdate())


def _group_by(source: str, dimension: str, length: int):
    """The expression whose value is a record's group."""
    if dimension == "station":
        return F("station_id")
    if dimension == PLACE:
        # A record of the scope region itself (or of a city, for a province)
        # keeps its shorter code: the place's own line (本级).
        return Substr("region__code", 1, length)
    return TruncMonth("held_on" if source == RECEPTIONS else "received_at")


def in_group(records, source: str, dimension: str, group: str, length: int):
    """Records of one group of the dimension (`NONE_KEY`: no station); an
    empty `group` is all of them. A malformed group raises ValueError."""
    if not group:
        return records
    if dimension == "station":
        if group == NONE_KEY:
            return records.filter(station__isnull=True)
        return records.filter(station_id=int(group))
    if dimension == PLACE:
        return in_place_group(records, group, length)
    match = MONTH.match(group)
    if dimension != "month" or not match:
        raise ValueError(group)
    first = datetime.date(int(match[1]), int(match[2]), 1)
    last = last_of_month(first)
    if source == RECEPTIONS:
        return records.filter(held_on__gte=first, held_on__lte=last)
    start, end = day_bounds(first, last)
    return records.filter(received_at__gte=start, received_at__lt=end)


def _group_key(dimension: str, value) -> str:
    if value is None:
        return NONE_KEY
    if dimension == "month":
        return f"{value:%Y-%m}"
    return str(value)


# --- the report ------------------------------------------------------------------------------


@dataclass
class Group:
    key: str  # "" for the total
    label: str
    counts: dict

    def cells(self) -> list[dict]:
        return [{"key": key, "value": self.counts[key]} for key in COLUMNS]


@dataclass
class Breakdown:
    key: str  # the channel, or the category's pk ("none": no category)
    label: str
    count: int


@dataclass
class FiguresReport:
    dimension: str
    filters: dict
    scope: str
    groups: list[Group]
    total: Group
    channels: list[Breakdown]
    categories: list[Breakdown]
    on: datetime.date
    length: int  # the place dimension's division-code length
    # When the figures were counted, if they come from the cells (not now).
    as_of: datetime.datetime | None = None

    @property
    def dimension_label(self) -> str:
        return dict(dimension_choices(self.length))[self.dimension]

    @property
    def title(self) -> str:
        return f"{self.scope}社情民意和代表接待情况统计"

    @property
    def period(self) -> str:
        return period_label(self.filters)

    @property
    def as_of_note(self) -> str:
        """How old the figures are when they come from the cells ("" when
        counted now)."""
        return cells.as_of_note(self.as_of, "接待活动和意见")


def _reception_counts(receptions, groups: dict) -> dict:
    """{(group values ...): counts} of the reception figures, grouped by
    `groups` {name: expression}."""
    aggregates = {
        figure.key: Coalesce(Sum(figure.sums), 0)
        if figure.sums
        else Count("pk", filter=figure.condition)
        for figure in FIGURES
        if figure.source == RECEPTIONS
    }
    rows = receptions.values(**groups).annotate(**aggregates)
    return {tuple(row.pop(name) for name in groups): row for row in rows}


def _opinion_counts(opinions, groups: dict, also: dict | None = None) -> dict:
    """{(group values ...): counts} of the opinion figures, grouped by
    `groups` {name: expression}, in one query that reads each opinion's
    outcome once: grouped by the groups and the outcome, with a count per
    condition of the figures' parts, added up here by outcome. `also`
    {key: aggregate} adds numbers that do not depend on the outcome."""
    figures = [figure for figure in FIGURES if figure.source == OPINIONS]
    also = also or {}
    # One column per distinct condition (Q objects are hashable).
    column = {}
    for figure in figures:
        for _, condition in figure.parts:
            column.setdefault(condition, f"c{len(column)}")
    rows = opinions.values(**groups, outcome=F("f_outcome")).annotate(
        **{name: Count("pk", filter=condition) for condition, name in column.items()}, **also
    )
    keys = [figure.key for figure in figures] + list(also)
    counts: dict = defaultdict(lambda: dict.fromkeys(keys, 0))
    for row in rows:
        of_group = counts[tuple(row[name] for name in groups)]
        for figure in figures:
            of_group[figure.key] += sum(
                row[column[condition]]
                for outcomes, condition in figure.parts
                if not outcomes or row["outcome"] in outcomes
            )
        for key in also:
            of_group[key] += row[key]
    return counts


def group_labels(dimension: str, keys, length: int) -> dict:
    """{group key: label} in the order groups are shown; one query at most."""
    if dimension == "month":
        return {key: f"{key[:4]}年{int(key[5:])}月" for key in sorted(keys)}
    if dimension == "station":
        ids = [int(key) for key in keys if key != NONE_KEY]
        rows = Station.objects.filter(pk__in=ids).order_by("region__code", "name")
        labels = {str(row.pk): row.name for row in rows}
        if NONE_KEY in keys:
            labels[NONE_KEY] = NONE_LABEL["station"]
        return labels
    return place_labels(keys, length)


@dataclass
class Counted:
    """What a report shows before its labels: {group key: counts}, opinions
    per channel {channel: n} and per category {key: Breakdown} (in the
    categories' order), and when, if they come from the cells."""

    by_key: dict = field(default_factory=dict)
    channels: Counter = field(default_factory=Counter)
    categories: dict = field(default_factory=dict)
    as_of: datetime.datetime | None = None

    def group(self, dimension: str, value) -> dict:
        """The counts of the group whose value is `value`, zeros at first."""
        return self.by_key.setdefault(_group_key(dimension, value), dict.fromkeys(COLUMNS, 0))

    def add_category(self, category: int | None, name: str | None, n: int) -> None:
        key = str(category) if category else NONE_KEY
        self.categories.setdefault(key, Breakdown(key, name or "未分类", 0)).count += n


# Categories in the order the office set, then by name; none last.
CATEGORY_ORDER = (F("category__order").asc(nulls_last=True), "category__name", "category")


def _live(user, filters: dict, dimension: str, length: int, on: datetime.date) -> Counted:
    """The figures counted from the records: receptions grouped, opinions
    grouped, and opinions by channel and category."""
    receptions = receptions_annotated(user, filters)
    opinions = opinions_annotated(user, filters, on=on)
    counted = Counted()
    for counts_of in (
        _reception_counts(receptions, {"group": _group_by(RECEPTIONS, dimension, length)}),
        _opinion_counts(opinions, {"group": _group_by(OPINIONS, dimension, length)}),
    ):
        for (value,), counts in counts_of.items():
            counted.group(dimension, value).update(counts)
    # By channel and by category from one grouped query: one reading of the
    # opinions, not two. Rows come in the categories' order.
    by_kind = (
        opinions.values("channel", "category", "category__name")
        .annotate(n=Count("pk"))
        .order_by(*CATEGORY_ORDER)
    )
    for row in by_kind:
        counted.channels[row["channel"]] += row["n"]
        counted.add_category(row["category"], row["category__name"], row["n"])
    return counted


# --- above a county: the cells -----------------------------------------------------------------

# A cell's counts: the figures, and the opinions of each channel.
CHANNEL_KEYS = {value: f"channel_{value}" for value in Channel.values}
CELL_KEYS = [*COLUMNS, *CHANNEL_KEYS.values()]
# The dimensions cells can add up, and the filters they do not keep (a
# county, a township or a station is counted live anyway).
CELL_DIMENSIONS = (PLACE, "month")
CELL_UNKEPT = ("area", "township", "station")


def cells_rebuild() -> int:
    """Count every reception's and opinion's figures (逾期未办结 as of today)
    once per county and month into FigureCell, and the opinions per county,
    month and category into CategoryCell, replacing the cells of the last
    build in one transaction (readers see the old cells until it commits).
    Grouped queries, as the live figures count: receptions, opinions by
    outcome, opinions by category. Returns the number of cells written."""
    built_at = clock.now()
    county = cells.county_code("region__code")
    # The month of a moment in the current time zone, as the live figures'
    # days are (`day_bounds`); the month of a date is that date's.
    received = TruncMonth("received_at")
    receptions = _reception_counts(
        with_deputies(Reception.objects.all()), {"county": county, "month": TruncMonth("held_on")}
    )
    opinions = _opinion_counts(
        with_overdue(with_outcome(Opinion.objects.all()), on=timezone.localdate(built_at)),
        {"county": county, "month": received},
        also={key: Count("pk", filter=Q(channel=value)) for value, key in CHANNEL_KEYS.items()},
    )
    counts: dict = defaultdict(lambda: dict.fromkeys(CELL_KEYS, 0))
    for (place, month), values in receptions.items():
        counts[place, month].update(values)
    for (place, month), values in opinions.items():
        counts[place, month.date()].update(values)
    by_category = (
        Opinion.objects.values(county=county, month=received, cat=F("category"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    with transaction.atomic():
        written = cells.replace(
            FigureCell,
            [
                FigureCell(place=place, month=month, counts=values, built_at=built_at)
                for (place, month), values in counts.items()
            ],
        )
        written += cells.replace(
            CategoryCell,
            [
                CategoryCell(
                    place=row["county"],
                    month=row["month"].date(),
                    category_id=row["cat"],
                    opinions=row["n"],
                )
                for row in by_category
            ],
        )
    return written


def _cells_serve(filters: dict, dimension: str) -> bool:
    """Whether cells can stand for the records under `filters`: grouped by
    county or by month, over whole months, with no county, township or
    station picked."""
    return (
        dimension in CELL_DIMENSIONS
        and not any(filters.get(name) for name in CELL_UNKEPT)
        and cells.whole_months(filters["date_from"], filters["date_to"])
    )


def _summed(code: str, filters: dict, dimension: str, length: int) -> Counted | None:
    """The figures added up from the cells under the region `code`
    (`cells.scope_code`) in the period: one query for the figures, one for
    the categories; None when there are no cells (never built)."""
    within = Q(
        place__startswith=code, month__gte=filters["date_from"], month__lte=filters["date_to"]
    )
    group = Substr("place", 1, length) if dimension == PLACE else F("month")
    # Added up in SQL: a province's year is ~1,200 cells, a page ~100 groups.
    rows = list(
        FigureCell.objects.filter(within)
        .values(group=group)
        .annotate(built_at=Max("built_at"), **cells.summed(CELL_KEYS))
        .order_by()
    )
    built_at = cells.last_built(FigureCell, rows)
    if built_at is None:
        return None
    counted = Counted(as_of=built_at)
    for row in rows:
        counts = counted.group(dimension, row["group"])
        for key in COLUMNS:
            counts[key] += row[key] or 0
        for value, key in CHANNEL_KEYS.items():
            counted.channels[value] += row[key] or 0
    if rows:  # (no opinion, no category cell)
        by_category = (
            CategoryCell.objects.filter(within)
            .values("category", "category__name")
            .annotate(n=Sum("opinions"))
            .order_by(*CATEGORY_ORDER)
        )
        for row in by_category:
            counted.add_category(row["category"], row["category__name"], row["n"])
    return counted


def figures_report(
    user, *, filters: dict, dimension: str, on=None, from_cells: bool = False
) -> FiguresReport:
    """Count the figures for the user's scope in the place and period, one
    row per group of `dimension`, plus the total, and the opinions by channel
    and by category. Four queries at most whatever the number of records:
    receptions grouped, opinions grouped, by channel and category, labels.

    With `from_cells` (the office pages; `cells.scope_code`) a province's
    or a city's figures by county or month over whole months are added up
    from the last build of the cells instead (`cells_rebuild`): three
    queries (the figures' cells, the categories' cells, the labels), and
    the report's `as_of`, whose day is the statistics date."""
    length = place_length(user, filters)
    counted = None
    code = cells.scope_code(user) if from_cells else None
    if code is not None and _cells_serve(filters, dimension):
        counted = _summed(code, filters, dimension, length)
    if counted is None:
        on = on or timezone.localdate()
        counted = _live(user, filters, dimension, length, on)
    else:
        on = timezone.localdate(counted.as_of)
    by_key = counted.by_key
    groups = [
        Group(key, label, by_key[key])
        for key, label in group_labels(dimension, by_key, length).items()
    ]
    total = {key: sum(group.counts[key] for group in groups) for key in COLUMNS}
    channels = [
        Breakdown(value, label, counted.channels[value]) for value, label in Channel.choices
    ]
    return FiguresReport(
        dimension=dimension,
        filters=filters,
        scope=scope_label(user, filters),
        groups=groups,
        total=Group("", "合计", total),
        channels=channels,
        categories=list(counted.categories.values()),
        on=on,
        length=length,
        as_of=counted.as_of,
    )


def figure_items(
    user,
    key: str,
    *,
    filters: dict,
    dimension: str,
    group: str = "",
    channel: str = "",
    category: str = "",
    on=None,
):
    """The records behind one number: (source, queryset). `key` is a figure
    key; `group` a group of `dimension` ("" for the total); `channel` and
    `category` narrow opinions to one of the breakdowns. Raises KeyError or
    ValueError for a figure, group, channel or category that cannot exist."""
    figure = FIGURE[key]
    if figure.source == RECEPTIONS:
        if channel or category:
            raise ValueError("接待活动不分渠道和类别")
        records = receptions_annotated(user, filters).select_related("station", "region")
    else:
        # The places by a query of their own: filtered on the outcome, the rows
        # are estimated at a handful and PostgreSQL joined every region to each
        # (a province's deeds of a month: 2.6 million comparisons, 390 ms).
        records = (
            opinions_annotated(user, filters, on=on)
            .select_related(
                "station", "category", "unit", "collected_by", "suggestion", "merged_into"
            )
            .prefetch_related("region")
        )
        if channel:
            if channel not in Channel.values:
                raise ValueError(channel)
            records = records.filter(channel=channel)
        if category == NONE_KEY:
            records = records.filter(category__isnull=True)
        elif category:
            records = records.filter(category_id=int(category))
    length = place_length(user, filters)
    records = in_group(records, figure.source, dimension, group, length).filter(figure.condition)
    if figure.source == RECEPTIONS:
        return figure.source, records.prefetch_related("deputies").order_by("held_on", "pk")
    return figure.source, records.order_by("received_at", "pk")


def items_sum(records, key: str) -> int | None:
    """For a figure that adds a number per record, the total over `records`
    (equal to the figure); None for a figure that counts records."""
    figure = FIGURE[key]
    if not figure.sums:
        return None
    return records.aggregate(n=Coalesce(Sum(figure.sums), 0))["n"]


def breakdown_label(*, channel: str = "", category: str = "") -> str:
    """The words for a drill-down by channel or category (one query for a category)."""
    if channel:
        return f"渠道：{Channel(channel).label}"
    if category == NONE_KEY:
        return "类别：未分类"
    if category:
        found = Category.objects.filter(pk=int(category)).first()
        return f"类别：{found.name}" if found else ""
    return ""


# --- the workbook ----------------------------------------------------------------------------


def _table(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        sheet.append(row)


def figures_workbook(report: FiguresReport) -> bytes:
    """The report as an .xlsx: the table by group with the total, opinions by
    channel and by category, then what each figure means."""
    book = Workbook()
    sheet = book.active
    sheet.title = "统计"
    sheet.append([report.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS) + 1)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [
            f"统计期间：{report.period}　分组：{report.dimension_label}　"
            + (report.as_of_note or f"统计日期：{report.on:%Y年%m月%d日}")
        ]
    )
    _table(
        sheet,
        [report.dimension_label] + [FIGURE[key].label for key in COLUMNS],
        [
            [group.label] + [cell["value"] for cell in group.cells()]
            for group in [*report.groups, report.total]
        ],
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    _table(
        sheet,
        ["渠道", "收集意见（件）"],
        [[row.label, row.count] for row in report.channels]
        + [["合计", sum(row.count for row in report.channels)]],
    )
    sheet.append([])
    _table(sheet, ["类别", "收集意见（件）"], [[row.label, row.count] for row in report.categories])
    sheet.append([])
    sheet.append(["口径说明"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for term, meaning in DEFINITIONS:
        sheet.append([term, meaning])
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
