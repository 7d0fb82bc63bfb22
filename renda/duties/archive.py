"""A deputy's duty archive (履职档案) for a year or a term, read from what is
already recorded: nothing here is entered twice.

The archive gathers, for one deputy and one period:
- every counted duty record (`COUNTED_STATUSES`), by kind, with the evidence
  it rests on (the activity, suggestion, reception or opinion it came from,
  or the deputy's own note and photo, verified by the office);
- attendance at activities (present, on leave, absent, and the rate);
- suggestions the deputy led or co-signed, what became of them and the
  deputy's own evaluation of the reply;
- opinions the deputy collected and the receptions they were on duty at;
- evaluations received (the average of each round) and duty reports to voters;
- the score and how it was earned, only for viewers the score is shown to
  (`ScoreLine.objects.visible_to`: office staff of the region and the
  deputy; liaison officers see the records, never the score).

Who may open an archive: office staff of the deputy's region, the deputy
themself, and the region's liaison officers (`readable_person`). Every part
is read through `visible_to(user)`, in a fixed number of queries whatever
the number of records.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from renda.core.areas import Area
from renda.core.forms import QueryForm
from renda.core.models import Region, Role, Term
from renda.deputies.models import GroupMembership, Mandate, Person
from renda.deputies.selectors import person_search
from renda.duties import points
from renda.duties.models import (
    COUNTED_STATUSES,
    Attendance,
    DutyKind,
    DutyRecord,
    DutyReport,
    EvaluationEntry,
    EvaluationRound,
    FourGoodSelection,
    RecordStatus,
    RoundMethod,
    ScoreLine,
)
from renda.duties.registers import (
    deputy_counts,
    mandates_text,
    persons_in,
    rate_text,
    records_in,
    serving_in,
)
from renda.opinions.models import Opinion, Reception
from renda.suggestions.models import AuthorRole, Status, Suggestion
from renda.suggestions.registers import Handling, labelled, with_handling

FIRST_YEAR = 2000

# --- who may read an archive ----------------------------------------------------------


def readable_person(user, pk: int) -> Person:
    """The deputy whose archive `user` asks for, or 404: office staff and
    liaison officers read the deputies of their region (`visible_to`); a
    deputy reads only their own archive."""
    person = get_object_or_404(Person.objects.visible_to(user).select_related("region"), pk=pk)
    if not user.is_superuser and user.role == Role.DEPUTY and person.user_id != user.pk:
        raise Http404("只能查看本人的履职档案")
    return person


# --- the period: a year or a term -------------------------------------------------------


@dataclass(frozen=True)
class Period:
    date_from: datetime.date
    date_to: datetime.date
    label: str
    year: int | None = None  # a year's archive
    term: Term | None = None  # a term's archive

    @property
    def years(self) -> list[int]:
        return list(range(self.date_from.year, self.date_to.year + 1))

    def bounds(self):
        """[start, end) as aware datetimes: the whole of both days."""
        start = timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(self.date_to + datetime.timedelta(days=1), datetime.time.min)
        )
        return start, end


def year_period(year: int, today: datetime.date | None = None) -> Period:
    """The calendar year; 404 for a year before the platform or after this one."""
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise Http404("没有该年度的履职档案")
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年度", year=year)


def term_period(person: Person, term_pk: int, today: datetime.date | None = None) -> Period:
    """A term (届) the deputy holds or held a mandate in; 404 otherwise. An
    open term runs to today."""
    today = today or timezone.localdate()
    term = (
        Term.objects.filter(pk=term_pk, mandate__person=person)
        .select_related("body")
        .distinct()
        .first()
    )
    if term is None:
        raise Http404("该代表没有这一届的代表职务")
    end = min(term.ended_on or today, today)
    if end < term.started_on:
        end = term.started_on
    return Period(term.started_on, end, f"{term}（{term.started_on:%Y年%m月}起）", term=term)


# --- the parts of an archive ---------------------------------------------------------------

# Where a record's evidence is shown, by the model it came from: (label, URL
# name for office staff, URL name for the deputy themself).
EVIDENCE = {
    ("duties", "activity"): ("履职活动", "duties:activity_detail", "duties:activity_detail"),
    ("duties", "dutyreport"): ("述职登记", "", ""),
    ("suggestions", "suggestion"): ("议案建议", "suggestions:detail", "suggestions:my_detail"),
    ("opinions", "reception"): ("接待活动", "opinions:reception_detail", ""),
    ("opinions", "opinion"): ("社情民意", "opinions:detail", ""),
}


def _url(name: str, pk) -> str:
    """The page of `name` for `pk`; "" where there is none (yet) for this viewer."""
    if not name:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@dataclass
class Evidence:
    label: str
    url: str = ""
    note: str = ""
    has_photo: bool = False


def evidence_for(record: DutyRecord, *, own_view: bool) -> Evidence:
    """What a record rests on: its source's page, or the deputy's own note
    and photo with the office's check. `record.source_type` must be loaded."""
    if record.source_id is None:
        checked = f"，{record.checked_at:%Y-%m-%d}核实" if record.checked_at else ""
        return Evidence(
            label=f"本人填报（{record.get_status_display()}{checked}）",
            url=_url("duties:record_detail", record.pk),
            note=record.note,
            has_photo=bool(record.photo),
        )
    key = (record.source_type.app_label, record.source_type.model)
    label, staff_url, own_url = EVIDENCE.get(key, ("来源记录", "", ""))
    return Evidence(label=label, url=_url(own_url if own_view else staff_url, record.source_id))


@dataclass
class KindSection:
    kind: str
    label: str
    records: list = field(default_factory=list)


@dataclass
class AttendanceSummary:
    present: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def total(self) -> int:
        return self.present + self.leave + self.absent

    @property
    def rate(self) -> float | None:
        """出勤率: present over all the activities the deputy was expected at."""
        return self.present / self.total if self.total else None


@dataclass
class SuggestionLine:
    item: Suggestion
    role: str  # 领衔 / 附议
    status: str
    reply_class: str
    evaluation: str  # the deputy's own rating of the latest reply
    url: str


@dataclass
class RoundResult:
    round_id: int
    title: str
    kind: str
    method: str
    period: str
    average: Decimal
    entries: int
    voters: int | None

    @property
    def scale(self) -> str:
        return "星" if self.method == RoundMethod.STARS else "分"


@dataclass
class YearScore:
    year: int
    total: Decimal
    band: str
    stars: int
    lines: list  # points.BreakdownLine


@dataclass
class Archive:
    person: Person
    period: Period
    mandates: list
    memberships: list
    stations: list
    sections: list[KindSection]
    record_count: int
    uncounted: int  # own entries still pending or returned in the period
    attendance: AttendanceSummary
    suggestions: list[SuggestionLine]
    opinions: list
    receptions: list
    evaluations: list[RoundResult]
    duty_reports: list
    four_good: list
    scores: list[YearScore] | None  # None: not shown to this viewer
    generated_on: datetime.date

    @property
    def title(self) -> str:
        return f"{self.person.name} {self.period.label}履职档案"

    @property
    def led(self) -> int:
        return sum(1 for line in self.suggestions if line.role == AuthorRole.LEAD.label)

    @property
    def co_signed(self) -> int:
        return len(self.suggestions) - self.led


# --- reading an archive ------------------------------------------------------------------


def _records(user, person, period, *, own_view):
    records = (
        DutyRecord.objects.visible_to(user)
        .filter(
            person=person,
            status__in=COUNTED_STATUSES,
            occurred_on__gte=period.date_from,
            occurred_on__lte=period.date_to,
        )
        .select_related("source_type")
        .order_by("occurred_on", "pk")
    )
    by_kind = defaultdict(list)
    for record in records:
        record.evidence = evidence_for(record, own_view=own_view)
        by_kind[record.kind].append(record)
    sections = [
        KindSection(kind, label, by_kind[kind]) for kind, label in DutyKind.choices if by_kind[kind]
    ]
    return sections, sum(len(rows) for rows in by_kind.values())


def _counts(user, person, period):
    """Attendance at activities and own entries not (yet) counted: one query."""
    activity = Q(source_type__app_label="duties", source_type__model="activity")
    counted = Q(status__in=COUNTED_STATUSES) & activity
    row = (
        DutyRecord.objects.visible_to(user)
        .filter(person=person, occurred_on__gte=period.date_from, occurred_on__lte=period.date_to)
        .aggregate(
            present=Count("pk", filter=counted & Q(attendance=Attendance.PRESENT)),
            leave=Count("pk", filter=counted & Q(attendance=Attendance.LEAVE)),
            absent=Count("pk", filter=counted & Q(attendance=Attendance.ABSENT)),
            uncounted=Count(
                "pk", filter=Q(status__in=[RecordStatus.PENDING, RecordStatus.RETURNED])
            ),
        )
    )
    attendance = AttendanceSummary(row["present"], row["leave"], row["absent"])
    return attendance, row["uncounted"]


def _suggestions(user, person, period, *, own_view):
    start, end = period.bounds()
    items = (
        Suggestion.objects.visible_to(user)
        .filter(authorships__person=person, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status=Status.DRAFT)
    )
    rows = labelled([Handling.of(item) for item in with_handling(items).order_by("submitted_at")])
    lines = []
    for row in rows:
        role = AuthorRole.LEAD if any(p.pk == person.pk for p in row.lead) else AuthorRole.CO
        reply = row.latest_reply
        own = [e for e in reply.evaluations.all() if e.person_id == person.pk] if reply else []
        lines.append(
            SuggestionLine(
                item=row.item,
                role=role.label,
                status=row.item.get_status_display(),
                reply_class=row.reply_class,
                evaluation=own[0].get_rating_display() if own else "",
                url=_url(
                    "suggestions:my_detail" if own_view else "suggestions:detail", row.item.pk
                ),
            )
        )
    return lines


def _evaluations(user, person, period, *, own_view):
    """The average each round gave the deputy. Office staff see every round
    of their region; the deputy and liaison officers only rounds whose
    results the office published."""
    rounds = EvaluationRound.objects.visible_to(user).filter(
        period_from__lte=period.date_to, period_to__gte=period.date_from
    )
    if not user.is_office_staff:
        rounds = rounds.filter(published=True)
    rows = (
        EvaluationEntry.objects.filter(subject=person, round__in=rounds)
        .values(
            "round_id",
            "round__title",
            "round__kind",
            "round__method",
            "round__period_from",
            "round__period_to",
        )
        .annotate(average=Avg("value"), entries=Count("pk"), voters=Sum("voters"))
        .order_by("round__period_to", "round_id")
    )
    kinds = dict(EvaluationRound._meta.get_field("kind").choices)
    return [
        RoundResult(
            round_id=row["round_id"],
            title=row["round__title"],
            kind=kinds.get(row["round__kind"], row["round__kind"]),
            method=row["round__method"],
            period=f"{row['round__period_from']:%Y-%m-%d}至{row['round__period_to']:%Y-%m-%d}",
            average=Decimal(row["average"]).quantize(Decimal("0.1")),
            entries=row["entries"],
            voters=row["voters"],
        )
        for row in rows
    ]


def _scores(user, person, period, today):
    """The year's scores and how they were earned, or None when this viewer
    is not shown scores (the one rule: `ScoreLine.objects.visible_to`)."""
    years = period.years
    if not ScoreLine.objects.visible_to(user).filter(person=person, year__in=years).exists():
        return None
    scores = []
    for year in years:
        total = points.score_totals([person.pk], year).get(person.pk)
        if total is None:
            continue
        band, stars = points.score_standing(person.region, year, total, today)
        scores.append(YearScore(year, total, band, stars, points.score_breakdown(person, year)))
    return scores


def archive_for(user, person: Person, period: Period, today=None) -> Archive:
    """Everything the archive shows, for what `user` may see."""
    today = today or timezone.localdate()
    own_view = person.user_id is not None and person.user_id == user.pk
    sections, record_count = _records(user, person, period, own_view=own_view)
    attendance, uncounted = _counts(user, person, period)
    start, end = period.bounds()
    mandates = list(
        Mandate.objects.filter(person=person)
        .select_related("term__body", "constituency")
        .order_by("-elected_on")
    )
    memberships = list(
        GroupMembership.objects.filter(person=person).select_related("group").order_by("group_kind")
    )
    stations = list(person.stations.order_by("name"))
    opinions = list(
        Opinion.objects.visible_to(user)
        .filter(collected_by=person, received_at__gte=start, received_at__lt=end)
        .select_related("region")
        .order_by("received_at", "pk")
    )
    receptions = list(
        Reception.objects.visible_to(user)
        .filter(deputies=person, held_on__gte=period.date_from, held_on__lte=period.date_to)
        .select_related("station", "region")
        .order_by("held_on", "pk")
    )
    duty_reports = list(
        DutyReport.objects.visible_to(user)
        .filter(person=person, reported_on__gte=period.date_from, reported_on__lte=period.date_to)
        .order_by("reported_on", "pk")
    )
    four_good = list(
        FourGoodSelection.objects.visible_to(user)
        .filter(person=person, year__in=period.years)
        .order_by("year")
    )
    return Archive(
        person=person,
        period=period,
        mandates=mandates,
        memberships=memberships,
        stations=stations,
        sections=sections,
        record_count=record_count,
        uncounted=uncounted,
        attendance=attendance,
        suggestions=_suggestions(user, person, period, own_view=own_view),
        opinions=opinions,
        receptions=receptions,
        evaluations=_evaluations(user, person, period, own_view=own_view),
        duty_reports=duty_reports,
        four_good=four_good,
        scores=_scores(user, person, period, today),
        generated_on=today,
    )


def archive_terms(person: Person) -> list[Term]:
    """The terms the deputy holds or held a mandate in, for the term links."""
    return list(
        Term.objects.filter(mandate__person=person)
        .select_related("body")
        .distinct()
        .order_by("-started_on")
    )


def archive_years(mandates, today=None) -> list[int]:
    """Years to offer: from the earliest mandate's election (at most ten
    years back) to this year."""
    today = today or timezone.localdate()
    first = min((m.elected_on.year for m in mandates), default=today.year)
    return list(range(today.year, max(first, today.year - 9) - 1, -1))


# --- the index and the yearly archiving export ---------------------------------------------


class ArchiveQueryForm(QueryForm):
    """Township, year and a name: the index of archives and the yearly
    export. A township outside the user's scope is `out_of_scope` (404)."""

    region = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=FIRST_YEAR,
        error_messages={
            "invalid": "请填写四位数的年份",
            "min_value": f"年度不能早于{FIRST_YEAR}年",
            "max_value": "年度不能晚于今年",
        },
    )
    q = forms.CharField(label="姓名", required=False, max_length=30)

    # The yearly export of a province, every record of a hundred counties,
    # waits for a county or a township.
    SCOPE_FIELDS = PLACE_FIELDS = ("region",)

    def __init__(self, data, *, user, area: Area | None = None):
        super().__init__(data, area=area)
        self.fields["region"].queryset = Region.objects.visible_to(user).townships()
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(timezone.localdate().year))
        # The townships the page's select shows (`Area.offer`).
        self.offered = self.area.offer(self.fields["region"])

    @property
    def chosen_year(self) -> int:
        return self.cleaned_data.get("year") or timezone.localdate().year

    def place(self) -> dict:
        """The chosen county and township (`registers.in_place`)."""
        return {"area": self.area.chosen, "region": self.cleaned_data.get("region")}


def archive_deputies(user, *, place: dict, year: int, q: str = ""):
    """Deputies of the place (`ArchiveQueryForm.place`; the user's scope
    where it names none) serving some time in `year`, whose archives the
    index lists and the export summarises."""
    persons = serving_in(
        persons_in(user, place), datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    )
    return (
        person_search(persons, q)
        .select_related("region")
        .order_by("region__code", "name_pinyin", "pk")
    )


SUMMARY_TAIL = [
    "履职记录合计",
    "活动应到（人次）",
    "出席",
    "请假",
    "缺席",
    "出勤率",
    "领衔建议（件）",
    "联名建议（件）",
    "接待选民（次）",
    "收集意见（件）",
    "向选民述职（次）",
]
RECORD_HEADER = [
    "序号",
    "代表",
    "所属乡镇",
    "日期",
    "履职类型",
    "事项",
    "地点",
    "出勤",
    "状态",
    "佐证",
    "佐证说明",
    "佐证链接",
]


def archive_place(user, place: dict) -> str:
    """The name of the place an export covers: its township, its county,
    or the user's region."""
    return str(place["region"] or place["area"] or user.region or "全部")


def _bold(sheet, values):
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def archive_workbook(user, *, place: dict, year: int, absolute, out) -> None:
    """The year's archives of the township's deputies as an .xlsx written
    to the file `out`: a summary sheet (one row per deputy serving in the
    year: records by kind, attendance, suggestions, receptions, opinions,
    duty reports, and the score where a scheme is in force) and a sheet of
    every counted record with its evidence and a link to it (`absolute`
    turns a path into a full address). Written row by row (openpyxl
    write-only, records read in chunks), so memory does not grow with the
    number of records; a fixed number of queries."""
    date_from, date_to = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    persons = archive_deputies(user, place=place, year=year)
    people = list(
        persons.prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.select_related("term").order_by("level"))
        )
    )
    counts = deputy_counts(user, persons, date_from, date_to)
    reports = dict(
        DutyReport.objects.visible_to(user)
        .filter(
            person__in=persons.values("pk"), reported_on__gte=date_from, reported_on__lte=date_to
        )
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("person_id", "n")
    )
    scores = None
    if ScoreLine.objects.visible_to(user).filter(year=year).exists():
        scores = points.score_totals(persons.values("pk"), year)
    schemes = {}
    if scores is not None:
        day = min(timezone.localdate(), date_to)
        schemes = points.schemes_governing({person.region for person in people}, day)
        if not any(schemes.values()):
            scores = None

    book = Workbook(write_only=True)
    summary = book.create_sheet("代表履职汇总")
    summary.append([f"{archive_place(user, place)}{year}年度代表履职档案汇总"])
    summary.append([f"导出日期：{timezone.localdate():%Y年%m月%d日}"])
    kinds = list(DutyKind.choices)
    header = ["序号", "姓名", "所属乡镇", "代表职务", *[label for _, label in kinds], *SUMMARY_TAIL]
    if scores is not None:
        header += ["年度积分", "等次"]
    summary.append(_bold(summary, header))
    for n, person in enumerate(people, start=1):
        line = counts[person.pk]
        row = [
            n,
            person.name,
            person.region.name,
            mandates_text(person, date_from),
            *[line.by_kind.get(kind, 0) for kind, _ in kinds],
            line.records,
            line.expected,
            line.present,
            line.leave,
            line.absent,
            rate_text(line.present, line.expected),
            line.led,
            line.co_signed,
            line.receptions,
            line.opinions,
            reports.get(person.pk, 0),
        ]
        if scores is not None:
            scheme = schemes.get(person.region_id)
            total = scores.get(person.pk, points.ZERO) if scheme else None
            row += [
                float(total) if total is not None else "",
                scheme.band_for(total) if scheme else "",
            ]
        summary.append(row)

    sheet = book.create_sheet("履职记录")
    sheet.append(_bold(sheet, RECORD_HEADER))
    records = (
        records_in(user, {**place, "held_from": date_from, "held_to": date_to})
        .select_related("person__region", "source_type")
        .order_by("person__region__code", "person__name_pinyin", "person_id", "occurred_on", "pk")
    )
    for n, record in enumerate(records.iterator(chunk_size=2000), start=1):
        proof = evidence_for(record, own_view=False)
        sheet.append(
            [
                n,
                record.person.name,
                record.person.region.name,
                record.occurred_on,
                record.get_kind_display(),
                record.title,
                record.place,
                record.get_attendance_display(),
                record.get_status_display(),
                proof.label,
                proof.note + ("（附照片）" if proof.has_photo else ""),
                absolute(proof.url) if proof.url else "",
            ]
        )
    book.save(out)
