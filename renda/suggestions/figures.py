"""Figures of motions and suggestions (议案建议办理统计): how many were
submitted, accepted, assigned, answered, completed and implemented, and the
rates offices report (答复率, 办结率, 落实率, 满意率, 按期答复率), for the
items a user may see, filtered and grouped by session, year, lead unit,
category or region. On a province's or a city's server a county can be
picked (renda.core.areas): the region rows break the figures down one level
(a province by county, a county by township, each with its own 本级 line),
and the rows per unit or per session wait until a county is picked.
Above a county the figures are added up from cells (FigureCell: one per
county, year and category) that `cells_rebuild` recounts every few minutes
(suggestions.tasks), and the page says when; a county's are counted live.

Every figure is a condition on one item (or, for evaluations, a number per
item), so the same definition both counts in SQL and lists the items behind
a count (the drill-down). What each figure takes:

- 提出 submitted: every item past the draft stage (withdrawn ones included).
- 立案为议案 / 立案为建议 accepted: the review gave it a final kind (motion or
  suggestion) and it was not merged into another item afterwards.
- 不予立案 not accepted; 并案 merged into another item (it is answered
  through the main item). 提出 = 议案 + 建议 + 不予立案 + 并案 + items still
  under review or withdrawn before review.
- 交办 assigned: a lead unit was assigned at some time (a later return to
  the office and reassignment counts once), unless the item was withdrawn
  or merged afterwards. The denominator of 答复率 and 办结率.
- 已答复 answered: the lead unit has given at least one formal reply.
  答复率 = 已答复 / 交办.
- 办结 completed: status 已办结 (every author satisfied or basically satisfied
  with an A-class reply, or a B/C/D commitment followed to the end).
  办结率 = 办结 / 交办.
- 承诺落实中 committed: every author accepted a B/C/D reply and the promised
  work is still being followed.
- 落实 implemented: the latest reply is A-class (the stored code of the
  "solved or adopted" class, whatever label the office's scheme gives it,
  e.g. 甲类; see renda.suggestions.reply_classes) and the item is completed or
  committed, or a B/C/D commitment has been closed. 落实率 = 落实 / (办结 +
  承诺落实中): of the items whose handling the deputies have accepted, the
  share whose matter is actually done ("satisfaction is not completion").
- 评价人次, 满意人次: each author evaluates each reply; only the evaluations
  of an item's latest reply count (a "not satisfied" that led to re-handling
  is superseded by the evaluation of the new reply; while it is the latest
  it counts as not satisfied). 满意率 = (满意 + 基本满意) / 评价人次.
- 答复期限届满 reply deadlines done, 按期答复 on time: the lead unit's reply
  deadlines (答复期限) completed, and those completed on or before their due
  date. 按期答复率 = 按期答复 / 答复期限已完成.
- 当前逾期 overdue now: items with an open assignment, reply, co-unit
  opinion or re-handling deadline whose due date has passed (a unit's
  window to return an item is not a duty and is left out).

Rates are percentages rounded half up to one decimal, or None ("—") when
the denominator is zero.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear, Substr
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from renda.core import cells, clock
from renda.core.areas import Area, breakdown_length, place_labels
from renda.core.forms import QueryForm
from renda.core.models import CODE_LENGTH, Region, RegionLevel, Session, Unit
from renda.suggestions.models import (
    Assignment,
    Category,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Evaluation,
    FigureCell,
    Kind,
    Rating,
    Reply,
    ReplyClass,
    Status,
    Suggestion,
    UnitRole,
)

OPEN_STATES = [DeadlineState.OPEN, DeadlineState.DUE_SOON, DeadlineState.OVERDUE]
DONE_STATES = [DeadlineState.MET, DeadlineState.MET_LATE]
# Deadlines whose passing is a failure to act (the return window is not).
DUTY_KINDS = [
    DeadlineKind.ASSIGN,
    DeadlineKind.REPLY,
    DeadlineKind.CO_OPINION,
    DeadlineKind.REHANDLE,
]

# --- what is counted ---------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    # The items the figure takes (over the annotated queryset of `annotated`).
    condition: Q
    # For figures that add a number per item (evaluations): that number's
    # annotation; the report counts these by a join (see `_counted`).
    sums: str = ""


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    numerator: str  # a Figure key
    denominator: str  # a Figure key


SETTLED = [Status.CLOSED, Status.COMMITTED]

FIGURES = [
    Figure("submitted", "提出", Q()),
    Figure("motions", "立案为议案", Q(final_kind=Kind.MOTION) & ~Q(status=Status.MERGED)),
    Figure("suggestions", "立案为建议", Q(final_kind=Kind.SUGGESTION) & ~Q(status=Status.MERGED)),
    Figure("not_accepted", "不予立案", Q(status=Status.NOT_ACCEPTED)),
    Figure("merged", "并案", Q(status=Status.MERGED)),
    Figure(
        "assigned",
        "交办",
        Q(f_assigned=True) & ~Q(status__in=[Status.WITHDRAWN, Status.MERGED]),
    ),
    Figure("answered", "已答复", Q(f_replied=True)),
    Figure("closed", "办结", Q(status=Status.CLOSED)),
    Figure("committed", "承诺落实中", Q(status=Status.COMMITTED)),
    Figure("settled", "办结及承诺落实中", Q(status__in=SETTLED)),
    Figure(
        "implemented",
        "落实",
        (Q(reply_class=ReplyClass.A) & Q(status__in=SETTLED))
        | (Q(status=Status.CLOSED) & Q(reply_class__in=[ReplyClass.B, ReplyClass.C, ReplyClass.D])),
    ),
    Figure("evaluations", "评价人次", Q(f_evaluated=True), "f_evaluations"),
    Figure("satisfied", "满意人次", Q(f_pleased=True), "f_satisfied"),
    Figure("deadlines_done", "答复期限已完成", Q(f_reply_done=True)),
    Figure("on_time", "按期答复", Q(f_on_time=True)),
    Figure("overdue", "当前逾期", Q(f_overdue=True)),
]
FIGURE = {figure.key: figure for figure in FIGURES}

RATES = [
    Rate("answer_rate", "答复率", "answered", "assigned"),
    Rate("close_rate", "办结率", "closed", "assigned"),
    Rate("implement_rate", "落实率", "implemented", "settled"),
    Rate("satisfaction_rate", "满意率", "satisfied", "evaluations"),
    Rate("on_time_rate", "按期答复率", "on_time", "deadlines_done"),
]
RATE = {rate.key: rate for rate in RATES}

# The table's columns in order: a figure key or a rate key.
COLUMNS = [
    "submitted",
    "motions",
    "suggestions",
    "not_accepted",
    "merged",
    "assigned",
    "answered",
    "answer_rate",
    "closed",
    "close_rate",
    "committed",
    "implemented",
    "implement_rate",
    "evaluations",
    "satisfied",
    "satisfaction_rate",
    "deadlines_done",
    "on_time",
    "on_time_rate",
    "overdue",
]

# How the page and the workbook explain each column.
DEFINITIONS = [
    ("提出", "除草稿外的全部议案建议，含已撤回的。"),
    ("立案为议案、立案为建议", "经审查确定作为议案或建议办理、且未再并入其他建议的件数。"),
    ("不予立案、并案", "审查不予立案的件数；并入其他建议、随主件一并答复的件数。"),
    ("交办", "曾交办主办单位的件数（退回后重新交办的计一次），不含交办后撤回或并案的。"),
    ("答复率", "已答复（主办单位已正式答复至少一次）÷ 交办。"),
    ("办结率", "办结（状态为已办结）÷ 交办。"),
    (
        "落实率",
        "落实 ÷（办结 + 承诺落实中）。落实：最新答复为 A 类（所提问题已解决或采纳的一类，"
        "按甲、乙、丙分类的地方为甲类）且已办结或承诺落实中，或其他类别答复的承诺事项已落实办结。"
        "即代表认可办理结果的件数中，事项确已解决的比例。",
    ),
    (
        "满意率",
        "（满意 + 基本满意）÷ 评价人次。每位署名代表分别评价；只计各件最新一次答复的评价，"
        "不满意后重新办理的，以重新答复后的评价为准。",
    ),
    ("按期答复率", "按期答复 ÷ 答复期限已完成：主办单位的答复期限中，在截止日期前完成的比例。"),
    ("当前逾期", "交办、答复、协办意见或重新办理期限未完成且已过截止日期的件数（不含退回期限）。"),
]

# --- the dimensions ------------------------------------------------------------------

DIMENSIONS = [
    ("unit", "主办单位"),
    ("session", "会议"),
    ("year", "提出年度"),
    ("category", "类别"),
    ("region", "所属人大"),
]
# The place dimension breaks the figures' region down one level (a province
# by county, a county by township: renda.core.areas.breakdown_length), so
# its groups are division codes; the others group by a field of the item.
PLACE = "region"
DIMENSION_FIELD = {
    "unit": "f_unit",
    "session": "session_id",
    "year": "f_year",
    "category": "category_id",
}
# One row per unit or session: thousands for a province, so these wait until
# a county is picked (the figures are grouped by place until then).
PER_ENTITY = ("unit", "session")
NONE_LABEL = {
    "unit": "未交办",
    "session": "闭会期间",
    "year": "未知年度",
    "category": "未分类",
    "region": "未知",
}
# How a group with no value (no session, not assigned ...) is written in URLs.
NONE_KEY = "none"

STATISTIC_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET)


def sessions_for(user):
    """Sessions of the congresses in the user's region and below."""
    return (
        Session.objects.filter(term__body__region__in=Region.objects.visible_to(user))
        .select_related("term__body")
        .order_by("-opened_on", "pk")
    )


class FigureQueryForm(QueryForm):
    """The filters and the dimension, shared by the page, the drill-down, the
    workbook and the registers. Choices are the user's scope: a value
    outside it is `out_of_scope` (the views answer 404). On a province's or a
    city's server the county picked (`area`) narrows everything, and the
    region-bound selects show its choices only (renda.core.areas)."""

    session = forms.ModelChoiceField(
        label="会议", queryset=Session.objects.none(), required=False, empty_label="全部会议"
    )
    year = forms.IntegerField(
        label="提出年度",
        required=False,
        min_value=1950,
        max_value=2100,
        error_messages={
            "invalid": "提出年度应为四位数字，如 2026",
            "min_value": "提出年度应在 1950 年至 2100 年之间",
            "max_value": "提出年度应在 1950 年至 2100 年之间",
        },
    )
    unit = forms.ModelChoiceField(
        label="主办单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    category = forms.ModelChoiceField(
        label="类别", queryset=Category.objects.none(), required=False, empty_label="全部类别"
    )
    region = forms.ModelChoiceField(
        label="所属人大", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    dimension = forms.ChoiceField(
        label="分组",
        choices=DIMENSIONS,
        required=False,
        error_messages={"invalid_choice": "“%(value)s”不是可选的分组方式"},
    )

    # A session, unit, category or region the user may not see is not found,
    # never an empty figure.
    SCOPE_FIELDS = ("session", "unit", "category", "region")

    def __init__(self, data, *, user, area: Area | None = None):
        super().__init__(data, area=area)
        self.user_region = user.region if user.region_id else None
        self.fields["session"].queryset = sessions_for(user)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("name")
        self.fields["category"].queryset = Category.objects.all()
        self.fields["region"].queryset = (
            Region.objects.visible_to(user).filter(level__in=STATISTIC_LEVELS).order_by("code")
        )
        # {field: the options its select shows} (see `Area.offer`).
        self.offered = {
            "session": self.area.offer(self.fields["session"], "term__body__region"),
            "unit": self.area.offer(self.fields["unit"]),
            "region": self.area.offer(self.fields["region"]),
            "category": self.fields["category"].queryset,
        }

    def filters(self) -> dict:
        """The filters `filtered` applies, the county picked first."""
        data = self.cleaned_data
        return {
            "area": self.area.chosen,
            **{name: data.get(name) for name in ("session", "year", "unit", "category", "region")},
        }

    def place(self) -> Region | None:
        """The region the figures cover, which the place dimension breaks
        down: the narrowest of the region chosen, the county picked and the
        user's own region (None: everywhere, for a superuser)."""
        regions = [self.cleaned_data.get("region"), self.area.chosen, self.user_region]
        return max(filter(None, regions), key=lambda region: len(region.code), default=None)

    def within_a_county(self) -> bool:
        """Whether the rows are at most one county's: a county picked, or a
        region or a session (one congress's) chosen. A register is printed
        for no more than that."""
        data = self.cleaned_data
        return not self.area.waiting or bool(data.get("region") or data.get("session"))

    def dimensions(self) -> list[tuple[str, str]]:
        """The dimensions offered: by unit or session once a county is picked."""
        if self.area.waiting:
            return [(key, label) for key, label in DIMENSIONS if key not in PER_ENTITY]
        return DIMENSIONS

    def held_back(self) -> str:
        """Why the dimension asked for is not used ("" when it is): one row
        per unit or session of a whole province is no figure to read."""
        asked = self.cleaned_data.get("dimension")
        if asked in PER_ENTITY and self.area.waiting:
            return f"按{dict(DIMENSIONS)[asked]}分组请先选择县（市、区）"
        return ""

    def chosen_dimension(self) -> str:
        if self.area.waiting:
            asked = self.cleaned_data.get("dimension") or PLACE
            return PLACE if asked in PER_ENTITY else asked
        return self.cleaned_data.get("dimension") or DIMENSIONS[0][0]


# --- the query -------------------------------------------------------------------------


SATISFIED = [Rating.SATISFIED, Rating.BASICALLY]


def _latest(reply: str = ""):
    """The condition that a reply (at `reply`, a path ending in "__" from the
    rows to it) is its item's latest: no reply of a later round. Only the
    latest reply's evaluations count."""
    later = Reply.objects.filter(
        suggestion=OuterRef(f"{reply}suggestion"), round__gt=OuterRef(f"{reply}round")
    )
    return ~Exists(later)


def latest_replies():
    return Reply.objects.filter(_latest())


def annotated(items, *, on: datetime.date | None = None):
    """`items` (past the draft stage) with the per-item facts every figure
    reads: the lead unit, the year of submission, whether it was ever
    assigned and answered, its latest-round evaluations, its reply deadlines
    and whether it is overdue on `on` (today by default). They are aliases,
    not selected: a query computes only the facts it reads (a register or a
    page of the drill-down reads none of them)."""
    on = on or timezone.localdate()
    item = OuterRef("pk")
    lead = Assignment.objects.filter(suggestion=item, role=UnitRole.LEAD)
    # Correlated by equality (reply__suggestion), so that a test of it joins.
    latest = Evaluation.objects.filter(_latest("reply__"), reply__suggestion=item)
    reply_deadlines = Deadline.objects.filter(suggestion=item, kind=DeadlineKind.REPLY)
    return (
        items.exclude(status=Status.DRAFT)
        .order_by()
        .alias(
            # The current lead unit, or the last one for an item returned or withdrawn.
            f_unit=Subquery(lead.order_by("-active", "-assigned_at", "-pk").values("unit_id")[:1]),
            f_year=ExtractYear("submitted_at"),
            f_assigned=Exists(lead),
            f_replied=Exists(Reply.objects.filter(suggestion=item)),
            f_evaluations=_evaluation_count(latest),
            f_satisfied=_evaluation_count(latest.filter(rating__in=SATISFIED)),
            # Whether it has any (a test, unlike the counts, the database can join on).
            f_evaluated=Exists(latest),
            f_pleased=Exists(latest.filter(rating__in=SATISFIED)),
            f_reply_done=Exists(reply_deadlines.filter(state__in=DONE_STATES)),
            f_on_time=Exists(reply_deadlines.filter(state=DeadlineState.MET)),
            f_overdue=Exists(
                Deadline.objects.filter(
                    suggestion=item, kind__in=DUTY_KINDS, state__in=OPEN_STATES, due_on__lt=on
                )
            ),
        )
    )


def _evaluation_count(evaluations):
    return Coalesce(
        Subquery(
            evaluations.order_by()
            .values("reply__suggestion")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def filtered(items, filters: dict):
    """Apply the page's filters to an `annotated` queryset."""
    if filters.get("area"):
        items = Area(filters["area"]).narrow(items)
    if filters.get("session"):
        items = items.filter(session=filters["session"])
    if filters.get("year"):
        items = items.filter(submitted_at__year=filters["year"])
    if filters.get("unit"):
        items = items.filter(f_unit=filters["unit"].pk)
    if filters.get("category"):
        items = items.filter(category=filters["category"])
    if filters.get("region"):
        items = items.filter(region__code__startswith=filters["region"].code)
    return items


def _group_by(dimension: str, place: Region | None):
    """An item's group: for the place dimension its region's code cut to one
    level below `place` (an item of `place`'s own congress keeps its shorter
    code: the 本级 line), else a field."""
    if dimension == PLACE:
        return Substr("region__code", 1, breakdown_length(place))
    return F(DIMENSION_FIELD[dimension])


def _within(items, place: Region | None):
    """`items` of `place` (no fewer: `place` is no narrower than the scope,
    see `FigureQueryForm.place`). The scope says the same as a region
    subquery, whose rows the planner takes for the whole table's; said on the
    items' own region it expects a county's few thousand for a county, and
    tests their facts item by item instead of reading whole tables."""
    return items if place is None else items.filter(region__code__startswith=place.code)


def in_group(items, dimension: str, group: str, *, place: Region | None = None):
    """Items of one group of the dimension (`NONE_KEY` for the items with no
    value); an empty `group` means all of them (the total row). `place` is
    the region the figures cover, as given to `figures_report`."""
    items = _within(items, place)
    if not group:
        return items
    items = items.alias(f_group=_group_by(dimension, place))
    if group == NONE_KEY:
        return items.filter(f_group__isnull=True)
    if dimension == "year" and not 1 <= int(group) <= 9999:
        return items.none()  # no such year (the database's dates end there)
    return items.filter(f_group=group if dimension == PLACE else int(group))


def figure_items(items, key: str):
    """The items behind a figure; for a rate, those of its denominator, each
    marked `counted` when the numerator takes it too."""
    if key in RATE:
        rate = RATE[key]
        numerator = FIGURE[rate.numerator].condition
        return items.filter(FIGURE[rate.denominator].condition).annotate(
            counted=ExpressionWrapper(numerator, output_field=BooleanField())
        )
    return items.filter(FIGURE[key].condition)


# --- the report ------------------------------------------------------------------------


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, one decimal, rounded half up; None of nothing."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Group:
    key: str  # "" for the total, NONE_KEY for items without a value
    label: str
    counts: dict
    rates: dict = field(default_factory=dict)

    def cells(self) -> list[dict]:
        """The row's cells in COLUMNS order: {key, value, is_rate, text}."""
        return [
            {
                "key": key,
                "value": self.rates[key],
                "is_rate": True,
                "text": format_rate(self.rates[key]),
            }
            if key in RATE
            else {"key": key, "value": self.counts[key], "is_rate": False, "text": self.counts[key]}
            for key in COLUMNS
        ]


def _with_rates(group: Group) -> Group:
    group.rates = {
        r.key: rate(group.counts[r.numerator], group.counts[r.denominator]) for r in RATES
    }
    return group


@dataclass
class FiguresReport:
    dimension: str
    filters: dict
    groups: list[Group]
    total: Group
    # When the figures were counted, if they come from the cells (not now).
    as_of: datetime.datetime | None = None

    @property
    def dimension_label(self) -> str:
        return dict(DIMENSIONS)[self.dimension]

    @property
    def as_of_note(self) -> str:
        """How old the figures are when they come from the cells ("" when
        counted now)."""
        return cells.as_of_note(self.as_of, "议案建议")

    @property
    def title(self) -> str:
        parts = [
            str(value) if name != "year" else f"{value}年"
            for name, value in self.filters.items()
            if value
        ]
        return "议案建议办理情况统计" + (f"（{'，'.join(parts)}）" if parts else "")


def evaluated_items(items):
    """`items` joined to the evaluations of their latest replies, for
    `evaluation_counts`: a join, where `f_evaluations` reads them per item."""
    return items.filter(replies__in=latest_replies())


def evaluation_counts() -> dict:
    """评价人次 and 满意人次 of `evaluated_items`, as aggregates."""
    return {
        "evaluations": Count("replies__evaluations"),
        "satisfied": Count(
            "replies__evaluations", filter=Q(replies__evaluations__rating__in=SATISFIED)
        ),
    }


def _reads_facts(figure: Figure) -> bool:
    """Whether an item's figure depends on other tables (the `f_` facts of
    `annotated`: assignments, replies, deadlines) rather than its own row."""

    def lookups(condition: Q):
        for child in condition.children:
            yield from lookups(child) if isinstance(child, Q) else [child[0]]

    return not figure.sums and any(name.startswith("f_") for name in lookups(figure.condition))


def _counted(items, groups: dict, *, many: bool) -> dict:
    """{(group values ...): {figure key: value}} of `items`
    (`filtered(annotated(...))`), grouped by `groups` {name: expression}.

    One county's few thousand items are counted in one grouped query, each
    figure an aggregate that tests each item's facts by index. The items of
    `many` counties (a province's hundreds of thousands) are counted per
    group and per combination of the facts they have (assigned, answered, on
    time ...: a few dozen combinations), so that the database reads each
    fact's table once for all items instead of once per item, and their
    evaluations are counted by a join, in a second query."""
    facts = [figure for figure in FIGURES if many and _reads_facts(figure)]
    plain = [figure for figure in FIGURES if not figure.sums and figure not in facts]
    sums = [figure for figure in FIGURES if figure.sums]
    rows = items.values(
        **groups,
        **{
            f"is_{figure.key}": ExpressionWrapper(figure.condition, output_field=BooleanField())
            for figure in facts
        },
    ).annotate(
        n=Count("pk"),
        **{figure.key: Count("pk", filter=figure.condition or None) for figure in plain},
        **({} if many else {figure.key: Coalesce(Sum(figure.sums), 0) for figure in sums}),
    )
    counts = {}

    def values_of(row) -> dict:
        key = tuple(row[name] for name in groups)
        return counts.setdefault(key, dict.fromkeys(FIGURE, 0))

    for row in rows.order_by():
        values = values_of(row)
        for figure in FIGURES:
            if figure in facts:
                values[figure.key] += row["n"] if row[f"is_{figure.key}"] else 0
            elif figure in plain or not many:
                values[figure.key] += row[figure.key]
    if many:
        evaluated = evaluated_items(items).values(**groups).annotate(**evaluation_counts())
        for row in evaluated.order_by():
            values = values_of(row)
            for figure in sums:
                values[figure.key] += row[figure.key]
    return counts


# --- above a county: the cells -----------------------------------------------------------

# The dimensions a cell keeps, and the cell's field for each; the filters
# it does not keep (a county or narrower is counted live anyway).
CELL_FIELD = {PLACE: "place", "year": "year", "category": "category_id"}
CELL_UNKEPT = ("area", "region", "session", "unit")


def cells_rebuild() -> int:
    """Count every item's figures (当前逾期 as of today) once per county, year
    and category into FigureCell, replacing the cells of the last build in
    one transaction (readers see the old cells until it commits). Returns
    the number of cells written."""
    built_at = clock.now()
    # ("category" itself would clash with the field's name in values().)
    groups = {"place": cells.county_code("region__code"), "year": F("f_year"), "cat": F("category")}
    items = annotated(Suggestion.objects.all(), on=timezone.localdate(built_at))
    counts = _counted(items, groups, many=True)
    rows = [
        FigureCell(place=place, year=year, category_id=category, counts=values, built_at=built_at)
        for (place, year, category), values in counts.items()
    ]
    return cells.replace(FigureCell, rows)


def _summed(dimension: str, filters: dict, code: str):
    """({group: {figure key: value}}, built at) added up from the cells
    under the region `code` (`cells.scope_code`) and `filters`; None when
    there are no cells (never built) or the filters or the dimension need
    the items themselves."""
    if dimension not in CELL_FIELD or any(filters.get(name) for name in CELL_UNKEPT):
        return None
    found = FigureCell.objects.filter(place__startswith=code)
    if filters.get("year"):
        found = found.filter(year=filters["year"])
    if filters.get("category"):
        found = found.filter(category=filters["category"])
    # Added up in SQL: a province has thousands of cells, a page ~100 groups.
    rows = found.values(group=F(CELL_FIELD[dimension])).annotate(
        built_at=Max("built_at"), **cells.summed(FIGURE)
    )
    rows = list(rows.order_by())
    built_at = cells.last_built(FigureCell, rows)
    if built_at is None:
        return None
    counts = {row["group"]: {key: row[key] or 0 for key in FIGURE} for row in rows}
    return counts, built_at


def group_labels(dimension: str, keys, *, place: Region | None = None) -> dict:
    """{group value: label}, read in one query, in the order groups are shown."""
    ids = [key for key in keys if key is not None]
    if dimension == "year":
        return {year: f"{year}年" for year in sorted(ids)}
    if dimension == "session":
        rows = Session.objects.filter(pk__in=ids).select_related("term__body")
        return {s.pk: str(s) for s in sorted(rows, key=lambda s: (s.opened_on, s.pk))}
    if dimension == PLACE:
        return place_labels(ids, breakdown_length(place))
    if dimension == "unit":
        rows = Unit.objects.filter(pk__in=ids).order_by("name")
    else:
        rows = Category.objects.filter(pk__in=ids).order_by("order", "name")
    return {row.pk: row.name for row in rows}


def figures_report(
    items,
    *,
    filters: dict,
    dimension: str,
    place: Region | None = None,
    on=None,
    cells_for=None,
) -> FiguresReport:
    """Count the figures of `items` (the user's scope, e.g.
    `Suggestion.objects.visible_to(user)`) under `filters`, one row per group
    of `dimension`, plus the total; `place` is the region the figures cover
    (`FigureQueryForm.place`), which the place dimension breaks down. Two
    queries whatever the number of items, one counting (`_counted`; two
    above a county) and one reading the group labels.

    With `cells_for` (the user whose scope `items` is) a province's or a
    city's figures are added up from the last build of the cells instead
    (`cells_rebuild`, `cells.scope_code`): one query, and the report's
    `as_of`."""
    many = place is None or len(place.code) < CODE_LENGTH[RegionLevel.COUNTY]
    code = cells.scope_code(cells_for) if cells_for is not None else None
    summed = _summed(dimension, filters, code) if code is not None else None
    if summed is None:
        items = _within(filtered(annotated(items, on=on), filters), place)
        counted = _counted(items, {"group": _group_by(dimension, place)}, many=many)
        by_key, as_of = {key: values for (key,), values in counted.items()}, None
    else:
        by_key, as_of = summed
    labels = group_labels(dimension, by_key, place=place)
    groups = [
        _with_rates(Group(str(key), label, by_key[key]))
        for key, label in labels.items()
        if key in by_key
    ]
    if None in by_key:
        groups.append(_with_rates(Group(NONE_KEY, NONE_LABEL[dimension], by_key[None])))
    total = {figure.key: sum(group.counts[figure.key] for group in groups) for figure in FIGURES}
    return FiguresReport(
        dimension=dimension,
        filters=filters,
        groups=groups,
        total=_with_rates(Group("", "合计", total)),
        as_of=as_of,
    )


def column_label(key: str) -> str:
    return RATE[key].label if key in RATE else FIGURE[key].label


def format_rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


# --- the workbook ----------------------------------------------------------------------


def figures_workbook(report: FiguresReport) -> bytes:
    """The report as an .xlsx: the table (rates as numbers with one decimal),
    then what each figure means."""
    book = Workbook()
    sheet = book.active
    sheet.title = "办理情况统计"
    width = len(COLUMNS) + 1
    sheet.append([report.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [
            f"分组：{report.dimension_label}　"
            + (report.as_of_note or f"统计日期：{timezone.localdate():%Y年%m月%d日}")
        ]
    )
    header = [report.dimension_label] + [
        column_label(key) + ("（%）" if key in RATE else "") for key in COLUMNS
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for group in [*report.groups, report.total]:
        sheet.append(
            [group.label]
            + [
                (None if cell["value"] is None else float(cell["value"]))
                if cell["is_rate"]
                else cell["value"]
                for cell in group.cells()
            ]
        )
        for index, key in enumerate(COLUMNS, start=2):
            if key in RATE:
                sheet.cell(sheet.max_row, index).number_format = "0.0"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["口径说明"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for term, meaning in DEFINITIONS:
        sheet.append([term, meaning])
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
