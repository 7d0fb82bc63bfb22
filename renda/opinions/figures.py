"""Figures of receptions and constituents' opinions (DOMAIN §5): receptions
held, person-times of deputies on duty, people received, opinions collected
by channel and by category, and what became of them, for the receptions and
opinions a user may see, in a place and a period, grouped by station,
township or month.

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
"""

import datetime
import io
import re
from dataclasses import dataclass

from django import forms
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from renda.core.models import Region, RegionLevel
from renda.deputies.models import Station
from renda.opinions.models import Channel, Opinion, OpinionStatus, Reception
from renda.opinions.registers import (
    DEEDS,
    PeriodQueryForm,
    day_bounds,
    in_place,
    last_of_month,
    period_label,
    scope_label,
    with_outcome,
)
from renda.suggestions.models import Category

RECEPTIONS, OPINIONS = "receptions", "opinions"

# --- what is counted -----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    source: str  # RECEPTIONS or OPINIONS
    # The records the figure takes (over `receptions_annotated` or `opinions_annotated`).
    condition: Q
    # For figures that add a number per record: the field summed.
    sums: str = ""
    unit: str = "件"


FIGURES = [
    Figure("receptions", "接待活动", RECEPTIONS, Q(), unit="次"),
    Figure("deputy_times", "代表接待人次", RECEPTIONS, Q(), "f_deputies", "人次"),
    Figure("people", "接待群众人次", RECEPTIONS, Q(), "people_received", "人次"),
    Figure("opinions", "收集意见", OPINIONS, Q()),
    Figure("solved", "当场解决", OPINIONS, Q(f_outcome=OpinionStatus.SOLVED)),
    Figure("assigned", "交办", OPINIONS, Q(f_outcome=OpinionStatus.ASSIGNED)),
    Figure("escalated", "上报", OPINIONS, Q(f_outcome=OpinionStatus.ESCALATED)),
    Figure("converted", "转为代表建议", OPINIONS, Q(f_outcome=OpinionStatus.CONVERTED)),
    Figure("declined", "不予受理", OPINIONS, Q(f_outcome=OpinionStatus.DECLINED)),
    Figure("merged", "归并", OPINIONS, Q(f_outcome=OpinionStatus.MERGED)),
    Figure("deeds", "办实事", OPINIONS, DEEDS),
    Figure("answered", "已答复群众", OPINIONS, Q(status=OpinionStatus.ANSWERED)),
    Figure("overdue", "逾期未办结", OPINIONS, Q(f_overdue=True)),
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

DIMENSIONS = [("station", "联络站"), ("township", "乡镇（街道）"), ("month", "月份")]
DIMENSION_FIELD = {"station": "station_id", "township": "f_township", "month": "f_month"}
NONE_KEY = "none"
NONE_LABEL = {"station": "未经联络站"}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


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
        return self.cleaned_data.get("dimension") or DIMENSIONS[0][0]


# --- the queries --------------------------------------------------------------------------


def _township_of(path: str = "region__code"):
    """The township (9-digit code) a record's place belongs to; a record of
    the county itself keeps the county's code."""
    return Substr(path, 1, 9)


def receptions_annotated(user, filters: dict):
    """Receptions the user may see, held in the place and period, with the
    number of deputies on duty (`f_deputies`), township and month."""
    on_duty = (
        Reception.deputies.through.objects.filter(reception=OuterRef("pk"))
        .order_by()
        .values("reception")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        in_place(Reception.objects.visible_to(user), filters)
        .filter(held_on__gte=filters["date_from"], held_on__lte=filters["date_to"])
        .order_by()
        .annotate(
            f_deputies=Coalesce(Subquery(on_duty, output_field=IntegerField()), 0),
            f_township=_township_of(),
            f_month=TruncMonth("held_on"),
        )
    )


def opinions_annotated(user, filters: dict, *, on: datetime.date | None = None):
    """Opinions the user may see, collected in the place and period, with
    their outcome, township, month and whether they are overdue on `on`."""
    on = on or timezone.localdate()
    start, end = day_bounds(filters["date_from"], filters["date_to"])
    return (
        with_outcome(in_place(Opinion.objects.visible_to(user), filters))
        .filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .annotate(
            f_township=_township_of(),
            f_month=TruncMonth("received_at"),
            f_overdue=ExpressionWrapper(
                Q(status=OpinionStatus.ASSIGNED, due_on__lt=on), output_field=BooleanField()
            ),
        )
    )


def in_group(records, source: str, dimension: str, group: str):
    """Records of one group of the dimension (`NONE_KEY`: no station); an
    empty `group` is all of them. A malformed group raises ValueError."""
    if not group:
        return records
    if dimension == "station":
        if group == NONE_KEY:
            return records.filter(station__isnull=True)
        return records.filter(station_id=int(group))
    if dimension == "township":
        if not group.isdigit():
            raise ValueError(group)
        return records.filter(f_township=group)
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

    @property
    def dimension_label(self) -> str:
        return dict(DIMENSIONS)[self.dimension]

    @property
    def title(self) -> str:
        return f"{self.scope}社情民意和代表接待情况统计"

    @property
    def period(self) -> str:
        return period_label(self.filters)


def _aggregates(source: str) -> dict:
    return {
        figure.key: Coalesce(Sum(figure.sums), 0)
        if figure.sums
        else Count("pk", filter=figure.condition)
        for figure in FIGURES
        if figure.source == source
    }


def _grouped(records, source: str, dimension: str) -> dict:
    rows = records.values(group=F(DIMENSION_FIELD[dimension])).annotate(**_aggregates(source))
    return {_group_key(dimension, row.pop("group")): row for row in rows.order_by()}


def group_labels(dimension: str, keys) -> dict:
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
    rows = Region.objects.filter(code__in=list(keys)).order_by("code")
    return {
        row.code: f"{row.name}（本级）" if row.level == RegionLevel.COUNTY else row.name
        for row in rows
    }


def figures_report(user, *, filters: dict, dimension: str, on=None) -> FiguresReport:
    """Count the figures for the user's scope in the place and period, one
    row per group of `dimension`, plus the total, and the opinions by channel
    and by category. Five queries at most whatever the number of records:
    receptions grouped, opinions grouped, by channel, by category, labels."""
    on = on or timezone.localdate()
    receptions = receptions_annotated(user, filters)
    opinions = opinions_annotated(user, filters, on=on)
    by_key: dict[str, dict] = {}
    for source, records in ((RECEPTIONS, receptions), (OPINIONS, opinions)):
        for key, counts in _grouped(records, source, dimension).items():
            by_key.setdefault(key, dict.fromkeys(COLUMNS, 0)).update(counts)
    groups = [
        Group(key, label, by_key[key]) for key, label in group_labels(dimension, by_key).items()
    ]
    total = {key: sum(group.counts[key] for group in groups) for key in COLUMNS}

    per_channel = dict(opinions.values_list("channel").annotate(n=Count("pk")).order_by())
    channels = [
        Breakdown(value, label, per_channel.get(value, 0)) for value, label in Channel.choices
    ]
    per_category = (
        opinions.values("category", "category__name", "category__order")
        .annotate(n=Count("pk"))
        .order_by(F("category__order").asc(nulls_last=True), "category__name")
    )
    categories = [
        Breakdown(
            str(row["category"]) if row["category"] else NONE_KEY,
            row["category__name"] or "未分类",
            row["n"],
        )
        for row in per_category
    ]
    return FiguresReport(
        dimension=dimension,
        filters=filters,
        scope=scope_label(user, filters),
        groups=groups,
        total=Group("", "合计", total),
        channels=channels,
        categories=categories,
        on=on,
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
        records = opinions_annotated(user, filters, on=on).select_related(
            "region", "station", "category", "unit", "collected_by", "suggestion", "merged_into"
        )
        if channel:
            if channel not in Channel.values:
                raise ValueError(channel)
            records = records.filter(channel=channel)
        if category == NONE_KEY:
            records = records.filter(category__isnull=True)
        elif category:
            records = records.filter(category_id=int(category))
    records = in_group(records, figure.source, dimension, group).filter(figure.condition)
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
            f"统计期间：{report.period}　分组：{report.dimension_label}"
            f"　统计日期：{report.on:%Y年%m月%d日}"
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
