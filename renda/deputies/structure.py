"""Structure statistics (结构比例): the deputies of a region, level and term
on a date, counted by age band, party, occupation, gender, education,
ethnicity and re-election, and checked against the office's guidelines.

`structure_report` computes the figures; the page, the Excel export and the
`structure_report` command all read them from it. The guideline thresholds
are rule rows (`renda.core.models.Rule`), never literals here.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from renda.core.forms import QueryForm
from renda.core.models import Region, RegionLevel
from renda.core.rules import rule_in_force
from renda.core.text import TERM_NUMBERS, term_label
from renda.deputies.models import (
    PARTY_MEMBERS,
    Education,
    Gender,
    Level,
    Mandate,
    Occupation,
    Party,
)
from renda.deputies.selectors import term_labels

# Statistics are asked for a county or a township (street) and everything in it.
STATISTIC_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET)

# The age bands of the election reports: 35 and under, 36 to 55, 56 and over.
YOUNG_MAX_AGE = 35
OLD_MIN_AGE = 56

HAN = "汉族"
MIN, MAX = "min", "max"


def born_by(on: datetime.date, years: int) -> datetime.date:
    """The latest birth date of someone aged `years` or more on `on`, counted
    as `Person.age_on` counts (a 29 February birthday comes on 1 March in
    other years)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # `on` is 29 February and that year had none
        return datetime.date(on.year - years, 2, 28)


# --- the query ------------------------------------------------------------------


class StructureQueryForm(QueryForm):
    """What to count. Shared by the page and the command so both refuse the
    same bad input with the same Chinese message."""

    region = forms.CharField(label="区划", error_messages={"required": "请选择区划"})
    level = forms.ChoiceField(
        label="代表层级",
        choices=Level.choices,
        error_messages={
            "required": "请选择代表层级",
            "invalid_choice": "“%(value)s”不是可选的代表层级",
        },
    )
    term = forms.IntegerField(
        label="届次",
        required=False,
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": "届次应为 1 至 99 之间的整数，如 18",
            "min_value": "届次应为 1 至 99 之间的整数，如 18",
            "max_value": "届次应为 1 至 99 之间的整数，如 18",
        },
    )
    on = forms.DateField(
        label="统计日期",
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "请填写统计日期",
            "invalid": "统计日期应写成“年-月-日”，如 2026-07-01",
        },
    )

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        region = Region.objects.filter(code=code, level__in=STATISTIC_LEVELS).first()
        if region is None:
            raise forms.ValidationError(f"区划代码“{code}”不存在，或不是县（区）、乡镇（街道）")
        return region

    def clean_on(self):
        on = self.cleaned_data["on"]
        if not 1950 <= on.year <= 2100:
            raise forms.ValidationError("统计日期应在 1950 年至 2100 年之间")
        return on


def mandates_in(region: Region, level: str, mandates=None):
    """Mandates of one level held by people of `region` or any region in it."""
    mandates = Mandate.objects.all() if mandates is None else mandates
    return mandates.filter(level=level, person__region__code__startswith=region.code)


def term_numbers_present(*, region: Region, level: str, mandates=None) -> list[int]:
    """Term numbers that mandates of this level in the region carry, newest first."""
    labels = term_labels(mandates_in(region, level, mandates))
    return [TERM_NUMBERS[label] for label in labels if label in TERM_NUMBERS]


# --- the report -------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    count: int
    percent: Decimal
    # A subtotal (党员合计, 少数民族合计) overlaps the rows above it: tables
    # show it, charts leave it out.
    subtotal: bool = False


@dataclass
class Dimension:
    key: str
    title: str
    rows: list[Row]
    chart: str  # "pie" or "bar"


@dataclass
class Check:
    key: str
    title: str
    bound: str  # MIN: the share must reach the threshold; MAX: must not exceed it
    threshold: Decimal | None  # percent; None when the rule's value is not a share
    actual: Decimal  # percent
    passed: bool | None  # None when there is nothing to judge
    source: str
    jurisdiction: str
    effective_from: datetime.date
    problem: str = ""

    @property
    def requirement(self) -> str:
        if self.threshold is None:
            return "—"
        word = "不低于" if self.bound == MIN else "不高于"
        return f"{word} {self.threshold}%"

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return self.problem or "无代表，不作判断"
        return "符合" if self.passed else "不符合"


@dataclass
class StructureReport:
    region: Region
    level: str
    term_number: int
    on: datetime.date
    total: int
    dimensions: list[Dimension]
    checks: list[Check]

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def term_label(self) -> str:
        return term_label(self.term_number)

    @property
    def title(self) -> str:
        return (
            f"{self.region.name}{self.level_label}（{self.term_label}）结构比例"
            f"（{self.on.year}年{self.on.month}月{self.on.day}日）"
        )

    def dimension(self, key: str) -> Dimension:
        return next(dimension for dimension in self.dimensions if dimension.key == key)

    def as_dict(self) -> dict:
        """The figures as plain JSON values (percents as numbers with 2 decimals)."""
        return {
            "title": self.title,
            "region": {"code": self.region.code, "name": self.region.name},
            "level": self.level,
            "level_label": self.level_label,
            "term": self.term_number,
            "term_label": self.term_label,
            "date": self.on.isoformat(),
            "total": self.total,
            "dimensions": [
                {
                    "key": dimension.key,
                    "title": dimension.title,
                    "rows": [
                        {
                            "key": row.key,
                            "label": row.label,
                            "count": row.count,
                            "percent": float(row.percent),
                            "subtotal": row.subtotal,
                        }
                        for row in dimension.rows
                    ],
                }
                for dimension in self.dimensions
            ],
            "checks": [
                {
                    "key": check.key,
                    "title": check.title,
                    "bound": check.bound,
                    "threshold": None if check.threshold is None else float(check.threshold),
                    "actual": float(check.actual),
                    "passed": check.passed,
                    "verdict": check.verdict,
                    "source": check.source,
                    "jurisdiction": check.jurisdiction,
                    "effective_from": check.effective_from.isoformat(),
                }
                for check in self.checks
            ],
        }


def percent(count: int, total: int) -> Decimal:
    """count / total as a percentage rounded half up to 2 decimals; 0.00 of nobody."""
    if not total:
        return Decimal("0.00")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# The person fields counted one column per choice, with each dimension's title.
CHOICE_DIMENSIONS = (
    ("gender", "性别", Gender, "pie"),
    ("party", "政治面貌", Party, "pie"),
    ("occupation", "职业构成", Occupation, "bar"),
    ("education", "文化程度", Education, "bar"),
)


def _alias(dimension: str, key: str) -> str:
    return f"{dimension}_{key}"


def _count_all(mandates, on: datetime.date) -> dict[str, int]:
    """Every fixed count in one aggregate query: the total, age bands,
    re-election and one column per choice of each person field."""
    young = born_by(on, YOUNG_MAX_AGE + 1)  # born after this: 35 or under
    old = born_by(on, OLD_MIN_AGE)  # born on or before this: 56 or over
    columns = {
        "total": Count("pk"),
        _alias("age", "young"): Count("pk", filter=Q(person__birth_date__gt=young)),
        _alias("age", "middle"): Count(
            "pk", filter=Q(person__birth_date__lte=young, person__birth_date__gt=old)
        ),
        _alias("age", "old"): Count("pk", filter=Q(person__birth_date__lte=old)),
        _alias("reelected", "reelected"): Count("pk", filter=Q(reelected=True)),
    }
    for field, _title, choices, _chart in CHOICE_DIMENSIONS:
        for value in choices.values:
            columns[_alias(field, value)] = Count("pk", filter=Q(**{f"person__{field}": value}))
    return mandates.order_by().aggregate(**columns)


def _rows(counts, total, items) -> list[Row]:
    return [
        Row(
            key,
            str(label),
            counts[_alias(dimension, key)],
            percent(counts[_alias(dimension, key)], total),
        )
        for dimension, key, label in items
    ]


def _with_unknown(rows: list[Row], total: int) -> list[Row]:
    """Values outside the choices (an old import, say) still add up to the total."""
    unknown = total - sum(row.count for row in rows if not row.subtotal)
    if unknown > 0:
        rows.append(Row("", "未填或无法识别", unknown, percent(unknown, total)))
    return rows


def _dimensions(counts: dict, ethnicities: dict[str, int], total: int) -> list[Dimension]:
    age = _rows(
        counts,
        total,
        [
            ("age", "young", f"{YOUNG_MAX_AGE}岁及以下"),
            ("age", "middle", f"{YOUNG_MAX_AGE + 1}至{OLD_MIN_AGE - 1}岁"),
            ("age", "old", f"{OLD_MIN_AGE}岁及以上"),
        ],
    )
    by_field = {
        field: _with_unknown(
            _rows(counts, total, [(field, value, label) for value, label in choices.choices]),
            total,
        )
        for field, _title, choices, _chart in CHOICE_DIMENSIONS
    }
    members = sum(counts[_alias("party", value)] for value in PARTY_MEMBERS)
    by_field["party"].append(
        Row("party_members", "党员合计", members, percent(members, total), True)
    )

    reelected = counts[_alias("reelected", "reelected")]
    reelection = [
        Row("reelected", "连任", reelected, percent(reelected, total)),
        Row("new", "新当选", total - reelected, percent(total - reelected, total)),
    ]

    others = sorted(
        ((name, n) for name, n in ethnicities.items() if name != HAN),
        key=lambda item: (-item[1], item[0]),
    )
    han = ethnicities.get(HAN, 0)
    ethnicity = [Row(HAN, HAN, han, percent(han, total))]
    ethnicity += [Row(name, name or "未填", n, percent(n, total)) for name, n in others]
    minorities = sum(n for name, n in others if name)
    ethnicity.append(
        Row("minorities", "少数民族合计", minorities, percent(minorities, total), True)
    )

    titles = {field: (title, chart) for field, title, _choices, chart in CHOICE_DIMENSIONS}

    def choice_dimension(field):
        return Dimension(field, titles[field][0], by_field[field], titles[field][1])

    return [
        Dimension("age", "年龄结构", age, "pie"),
        choice_dimension("party"),
        choice_dimension("occupation"),
        choice_dimension("gender"),
        choice_dimension("education"),
        Dimension("ethnicity", "民族", ethnicity, "pie"),
        Dimension("reelection", "连任情况", reelection, "pie"),
    ]


@dataclass(frozen=True)
class Guideline:
    rule_key: str
    title: str
    bound: str
    # Which report rows make up the share: (dimension, row key) pairs.
    rows: tuple


# What each guideline measures and whether its rule is a floor or a ceiling.
# The thresholds themselves are rule rows, read for the region and the date.
GUIDELINES = (
    Guideline(
        "deputies.structure.party_member_share_min",
        "中共党员（含预备党员）比例",
        MIN,
        (("party", "party_members"),),
    ),
    Guideline(
        "deputies.structure.reelected_share_min",
        "连任代表比例",
        MIN,
        (("reelection", "reelected"),),
    ),
    Guideline(
        "deputies.structure.female_share_min", "女性代表比例", MIN, (("gender", Gender.FEMALE),)
    ),
    Guideline(
        "deputies.structure.official_share_max",
        "党政机关干部比例",
        MAX,
        (("occupation", Occupation.OFFICIAL),),
    ),
    Guideline(
        "deputies.structure.worker_farmer_technician_share_min",
        "工人、农民和专业技术人员比例",
        MIN,
        (
            ("occupation", Occupation.WORKER),
            ("occupation", Occupation.FARMER),
            ("occupation", Occupation.TECHNICIAN),
        ),
    ),
)


def _share(value) -> Decimal | None:
    """A rule value read as a share between 0 and 1 (0.6 means 60%)."""
    if isinstance(value, bool):
        return None
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not share.is_finite() or not 0 <= share <= 1:
        return None
    return share


def _checks(region: Region, on: datetime.date, dimensions: list[Dimension], total: int):
    counts = {
        (dimension.key, row.key): row.count for dimension in dimensions for row in dimension.rows
    }
    checks = []
    for guideline in GUIDELINES:
        rule = rule_in_force(guideline.rule_key, region, on)
        if rule is None:
            continue
        count = sum(counts[row] for row in guideline.rows)
        share = _share(rule.value)
        if share is None:
            passed, problem = None, f"规则取值“{rule.value}”不是 0 至 1 之间的比例，无法判断"
        elif not total:
            passed, problem = None, ""
        elif guideline.bound == MIN:
            passed, problem = count >= share * total, ""
        else:
            passed, problem = count <= share * total, ""
        checks.append(
            Check(
                key=guideline.rule_key,
                title=guideline.title,
                bound=guideline.bound,
                threshold=None
                if share is None
                else (share * 100).quantize(Decimal("0.01"), ROUND_HALF_UP),
                actual=percent(count, total),
                passed=passed,
                source=rule.source,
                jurisdiction=rule.jurisdiction,
                effective_from=rule.effective_from,
                problem=problem,
            )
        )
    return checks


def structure_report(
    *, region: Region, level: str, term_number: int, on: datetime.date, mandates=None
) -> StructureReport:
    """Count the mandates of `level` and term `term_number` held on `on` by
    people of `region` (or any region in it), and check the shares against
    the guideline rules in force there on that date.

    `mandates` is the queryset to start from: the page passes
    `Mandate.objects.visible_to(user)`, the command all mandates. The number
    of queries does not depend on the number of deputies: one aggregate,
    one grouped count of ethnicities and one read per guideline rule.
    """
    held = (
        mandates_in(region, level, mandates).current(on).filter(term_label=term_label(term_number))
    )
    counts = _count_all(held, on)
    ethnicities = dict(
        held.order_by()
        .values("person__ethnicity")
        .annotate(n=Count("pk"))
        .values_list("person__ethnicity", "n")
    )
    total = counts["total"]
    dimensions = _dimensions(counts, ethnicities, total)
    return StructureReport(
        region=region,
        level=level,
        term_number=term_number,
        on=on,
        total=total,
        dimensions=dimensions,
        checks=_checks(region, on, dimensions, total),
    )


# --- the workbook -----------------------------------------------------------------


def structure_workbook(report: StructureReport) -> bytes:
    """The report as an .xlsx: one sheet with every dimension, then the checks."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("结构比例")
    sheet.append([report.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([_("代表总数"), report.total])
    sheet.append([])
    sheet.append([_("类别"), _("项目"), _("人数"), _("比例（%）")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for dimension in report.dimensions:
        for row in dimension.rows:
            sheet.append([dimension.title, row.label, row.count, float(row.percent)])
            sheet.cell(sheet.max_row, 4).number_format = "0.00"
            if row.subtotal:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
    if report.checks:
        sheet.append([])
        sheet.append([_("指标"), _("要求"), _("实际比例（%）"), _("结论"), _("依据")])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for check in report.checks:
            sheet.append(
                [
                    check.title,
                    check.requirement,
                    float(check.actual),
                    check.verdict,
                    f"{check.source}（{check.jurisdiction}，{check.effective_from:%Y-%m-%d} 起）",
                ]
            )
            sheet.cell(sheet.max_row, 3).number_format = "0.00"
    for column, width in zip("ABCDE", (22, 22, 12, 14, 50), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
