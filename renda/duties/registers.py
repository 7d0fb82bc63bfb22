"""The duty registers (DOMAIN §3, the 册、簿、卡 a congress office keeps), as
views over activities and duty records: nothing here is a second copy.

- 人大代表履职纪实册 (chronicle): every counted duty record of the deputies
  of the place in the period, deputy by deputy, with what it rests on.
- 代表活动考勤登记簿 (attendance): each activity held in the period with who
  was expected, present, on leave (and why) and absent, and the rate.
- 代表活动情况记录簿 (activities): each activity: date, place, organiser,
  kind, topic, how many deputies took part, what was done.
- 代表履行职务登记卡 (cards): one card per deputy serving in the period:
  records by kind, attendance, suggestions led and co-signed, receptions on
  duty, opinions collected and duty reports to voters.

The place is a township (or the user's whole scope), narrowed to a deputy
group or a station: for activity registers the activities that group or
station organised, for deputy registers its members (resident deputies).
Each register is a list of rows of plain cells, so the printable page and
the workbook show the same thing; each reads a constant number of queries
whatever its number of rows.

Also here: the query form (place and period) the registers, the figures
and the yearly export share, with the GET names the activity list uses
(`region`, `held_from`, `held_to`).

On a province's or a city's server the place is first narrowed to a county
(`area`, renda/core/areas.py): until one is picked the selects offer no
township, group or station, and the registers wait for it, since a
province's register would list every record, activity or deputy of a
hundred counties.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from renda.core.areas import PARAM, Area
from renda.core.forms import QueryForm
from renda.core.models import Region
from renda.core.registers import NUMBER, Column, Kind
from renda.deputies.models import Group, Mandate, Person, Station
from renda.duties.models import (
    COUNTED_STATUSES,
    Activity,
    Attendance,
    DutyKind,
    DutyRecord,
    DutyReport,
)
from renda.opinions.models import Opinion, Reception
from renda.suggestions.models import AuthorRole, Authorship, Status, Suggestion

# --- the query: place and period within the user's scope ---------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def day_bounds(date_from: datetime.date, date_to: datetime.date):
    """[start, end) as aware datetimes in the local time zone: the whole of both days."""
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


class DutyQueryForm(QueryForm):
    """County (`area`), township and period. Choices are the user's scope; a
    township outside it is `out_of_scope` (the views answer 404). The
    selects show the picked county's choices (`Area.offer`) and accept any
    in scope. Without dates the period is this month (`DEFAULT = "month"`)
    or this year (`"year"`)."""

    region = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    held_from = forms.DateField(
        label="起始日期", required=False, error_messages={"invalid": "请按 2026-11-01 的格式填写"}
    )
    held_to = forms.DateField(
        label="截止日期", required=False, error_messages={"invalid": "请按 2026-11-30 的格式填写"}
    )

    DEFAULT = "month"
    SCOPE_FIELDS = ("region",)
    PLACE_FIELDS = ("region",)

    def __init__(self, data, *, user, area: Area | None = None):
        super().__init__(data, area=area)
        self.fields["region"].queryset = Region.objects.visible_to(user).townships()
        # {field: the options its select shows} (see `Area.offer`); the pages
        # write their selects by hand.
        self.offered = {"region": self.area.offer(self.fields["region"])}

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if self.DEFAULT == "year":
            anchor = data.get("held_to") or today
            date_from = data.get("held_from") or datetime.date(anchor.year, 1, 1)
            date_to = data.get("held_to") or datetime.date(date_from.year, 12, 31)
        else:
            date_from = data.get("held_from") or first_of_month(data.get("held_to") or today)
            date_to = data.get("held_to") or last_of_month(date_from)
        if date_from > date_to:
            self.add_error("held_to", "截止日期不能早于起始日期")
        elif (date_to - date_from).days > 366 * 5:
            self.add_error("held_to", "统计期间不能超过五年")
        data["held_from"], data["held_to"] = date_from, date_to
        return data

    def filters(self) -> dict:
        values = {
            name: self.cleaned_data.get(name)
            for name in (*self.PLACE_FIELDS, "held_from", "held_to")
        }
        values["area"] = self.area.chosen
        return values

    def query(self) -> dict:
        """The place and period as GET values, for links that keep them."""
        data = self.cleaned_data
        values = {name: data[name].pk if data.get(name) else "" for name in self.PLACE_FIELDS}
        values["held_from"] = data["held_from"].isoformat()
        values["held_to"] = data["held_to"].isoformat()
        if self.area.chosen:
            values[PARAM] = self.area.chosen.code
        return values


class RegisterQueryForm(DutyQueryForm):
    """Township, deputy group or station, and period."""

    group = forms.ModelChoiceField(
        label="代表小组", queryset=Group.objects.none(), required=False, empty_label="全部"
    )
    station = forms.ModelChoiceField(
        label="联络站", queryset=Station.objects.none(), required=False, empty_label="全部"
    )

    SCOPE_FIELDS = ("region", "group", "station")
    PLACE_FIELDS = ("region", "group", "station")

    def __init__(self, data, *, user, area: Area | None = None):
        super().__init__(data, user=user, area=area)
        self.fields["group"].queryset = (
            Group.objects.visible_to(user).select_related("region").order_by("region__code", "name")
        )
        self.fields["station"].queryset = (
            Station.objects.visible_to(user)
            .select_related("region")
            .order_by("region__code", "name")
        )
        self.offered["group"] = self.area.offer(self.fields["group"])
        self.offered["station"] = self.area.offer(self.fields["station"])


def scope_label(user, filters: dict) -> str:
    place = (
        filters.get("station")
        or filters.get("group")
        or filters.get("region")
        or filters.get("area")
        or user.region
    )
    return str(place) if place else "全部"


def period_label(filters: dict) -> str:
    return f"{filters['held_from']:%Y年%m月%d日}至{filters['held_to']:%Y年%m月%d日}"


def in_place(queryset, path: str, filters: dict):
    """Rows whose region (at `path`) lies in the chosen county and township."""
    for name in ("area", "region"):
        if filters.get(name):
            queryset = queryset.filter(**{f"{path}__code__startswith": filters[name].code})
    return queryset


def activities_in(user, filters: dict):
    """Activities the user may see, held in the place and period."""
    activities = Activity.objects.visible_to(user).filter(
        held_on__gte=filters["held_from"], held_on__lte=filters["held_to"]
    )
    activities = in_place(activities, "region", filters)
    if filters.get("group"):
        activities = activities.filter(organiser_group=filters["group"])
    if filters.get("station"):
        activities = activities.filter(organiser_station=filters["station"])
    return activities


def persons_in(user, filters: dict):
    """Deputies the user may see, of the township, group or station."""
    persons = in_place(Person.objects.visible_to(user), "region", filters)
    if filters.get("group"):
        persons = persons.filter(memberships__group=filters["group"])
    if filters.get("station"):
        persons = persons.filter(stations=filters["station"])
    return persons


def serving_in(persons, date_from: datetime.date, date_to: datetime.date):
    """Of `persons`, those holding a mandate some time in the period."""
    mandates = Mandate.objects.filter(person=OuterRef("pk"), elected_on__lte=date_to).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=date_from)
    )
    return persons.filter(Exists(mandates))


FROM_ACTIVITY = Q(source_type__app_label="duties", source_type__model="activity")


def records_in(user, filters: dict, persons=None):
    """Counted duty records of the place's deputies in the period."""
    records = DutyRecord.objects.visible_to(user).filter(
        status__in=COUNTED_STATUSES,
        occurred_on__gte=filters["held_from"],
        occurred_on__lte=filters["held_to"],
    )
    if persons is None and not (filters.get("group") or filters.get("station")):
        # The deputies of a place are those of its region: a second pass over
        # every deputy in scope (`person IN (...)`) would only repeat it.
        return in_place(records, "person__region", filters)
    persons = persons_in(user, filters) if persons is None else persons
    return records.filter(person__in=persons.values("pk"))


def rate_text(part: int, total: int, digits: int = 0) -> str:
    """A share as a percentage ("50%"); "—" when there is nothing to share."""
    return f"{part / total:.{digits}%}" if total else "—"


# --- the registers --------------------------------------------------------------------------


KINDS = {
    "chronicle": Kind(
        "chronicle",
        "人大代表履职纪实册",
        "按履职日期",
        (
            NUMBER,
            Column("代表", 9),
            Column("所属乡镇", 10),
            Column("日期", 11),
            Column("履职类型", 12),
            Column("事项", 32, left=True),
            Column("地点", 12),
            Column("出勤", 7),
            Column("佐证", 36, left=True),
        ),
    ),
    "attendance": Kind(
        "attendance",
        "代表活动考勤登记簿",
        "按活动日期",
        (
            NUMBER,
            Column("活动日期", 11),
            Column("活动主题", 28, left=True),
            Column("活动类型", 10),
            Column("组织者", 16, left=True),
            Column("应到（人）", 7),
            Column("实到（人）", 7),
            Column("出席代表", 28, left=True),
            Column("请假代表及事由", 24, left=True),
            Column("缺席代表", 16, left=True),
            Column("出勤率", 7),
        ),
    ),
    "activities": Kind(
        "activities",
        "代表活动情况记录簿",
        "按活动日期",
        (
            NUMBER,
            Column("活动日期", 11),
            Column("地点", 14),
            Column("组织者", 16, left=True),
            Column("活动类型", 10),
            Column("活动主题", 28, left=True),
            Column("参加代表（人）", 8),
            Column("活动内容", 44, left=True),
        ),
    ),
    "cards": Kind(
        "cards",
        "代表履行职务登记卡",
        "按履职日期",
        (
            NUMBER,
            Column("姓名", 9),
            Column("所属乡镇", 10),
            Column("代表职务", 18, left=True),
            Column("履职记录（按类型）", 36, left=True),
            Column("履职记录合计（条）", 8),
            Column("活动出勤", 22, left=True),
            Column("领衔建议（件）", 8),
            Column("联名建议（件）", 8),
            Column("接待选民（次）", 8),
            Column("收集意见（件）", 8),
            Column("向选民述职", 28, left=True),
        ),
        card=True,
    ),
}


@dataclass
class Register:
    kind: Kind
    rows: list[list]
    scope: str
    filters: dict

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def period(self) -> str:
        return period_label(self.filters)

    def cells(self):
        """Rows as [(value, left)] for the page."""
        flags = [column.left for column in self.kind.columns]
        return [list(zip(row, flags, strict=True)) for row in self.rows]

    def cards(self):
        """Rows as [(label, value)], one card each, without the number."""
        labels = [column.label for column in self.kind.columns]
        return [list(zip(labels, row, strict=True))[1:] for row in self.rows]


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _names(people) -> str:
    return "、".join(people)


def _chronicle(user, filters):
    records = (
        records_in(user, filters)
        .select_related("person__region", "source_type")
        .order_by("person__region__code", "person__name_pinyin", "person_id", "occurred_on", "pk")
    )
    records = list(records)
    activity_ids = [r.source_id for r in records if r.source_id and _from_activity(r)]
    organisers = {
        a.pk: a.organiser
        for a in Activity.objects.filter(pk__in=activity_ids).select_related(
            "organiser_body", "organiser_group", "organiser_station"
        )
    }
    rows = []
    for n, record in enumerate(records, start=1):
        if record.source_id is None:
            proof = f"本人填报，{record.get_status_display()}"
            if record.note:
                proof += f"：{record.note}"
            if record.photo:
                proof += "（附照片）"
        elif _from_activity(record):
            organiser = organisers.get(record.source_id)
            proof = f"履职活动（组织：{organiser}）" if organiser else "履职活动"
        else:
            proof = _source_label(record)
        rows.append(
            [
                n,
                record.person.name,
                record.person.region.name,
                _day(record.occurred_on),
                record.get_kind_display(),
                record.title,
                record.place,
                record.get_attendance_display()
                + (f"（{record.leave_reason}）" if record.leave_reason else ""),
                proof,
            ]
        )
    return rows


def _from_activity(record) -> bool:
    return (record.source_type.app_label, record.source_type.model) == ("duties", "activity")


SOURCE_LABELS = {
    ("duties", "dutyreport"): "述职登记",
    ("suggestions", "suggestion"): "议案建议",
    ("opinions", "reception"): "接待活动",
    ("opinions", "opinion"): "社情民意",
}


def _source_label(record) -> str:
    return SOURCE_LABELS.get((record.source_type.app_label, record.source_type.model), "来源记录")


def _activities_with_participants(user, filters):
    participants = DutyRecord.objects.select_related("person").order_by(
        "person__name_pinyin", "person_id"
    )
    return (
        activities_in(user, filters)
        .select_related("organiser_body", "organiser_group", "organiser_station")
        .prefetch_related(Prefetch("records", queryset=participants, to_attr="participants"))
        .order_by("held_on", "pk")
    )


def _attendance(user, filters):
    rows = []
    for n, activity in enumerate(_activities_with_participants(user, filters), start=1):
        by = defaultdict(list)
        for record in activity.participants:
            name = record.person.name
            if record.attendance == Attendance.LEAVE and record.leave_reason:
                name += f"（{record.leave_reason}）"
            by[record.attendance].append(name)
        expected = len(activity.participants)
        present = len(by[Attendance.PRESENT])
        rows.append(
            [
                n,
                _day(activity.held_on),
                activity.title,
                activity.get_kind_display(),
                str(activity.organiser or ""),
                expected,
                present,
                _names(by[Attendance.PRESENT]),
                _names(by[Attendance.LEAVE]),
                _names(by[Attendance.ABSENT]),
                rate_text(present, expected),
            ]
        )
    return rows


def _activities(user, filters):
    activities = (
        activities_in(user, filters)
        .select_related("organiser_body", "organiser_group", "organiser_station")
        .annotate(
            f_present=Count(
                "records",
                filter=Q(
                    records__attendance=Attendance.PRESENT,
                    records__status__in=COUNTED_STATUSES,
                ),
            )
        )
        .order_by("held_on", "pk")
    )
    return [
        [
            n,
            _day(activity.held_on),
            activity.place,
            str(activity.organiser or ""),
            activity.get_kind_display(),
            activity.title,
            activity.f_present,
            activity.content,
        ]
        for n, activity in enumerate(activities, start=1)
    ]


@dataclass
class DeputyCounts:
    """What one deputy did in the period, counted in SQL (see `deputy_counts`)."""

    by_kind: dict
    present: int = 0
    leave: int = 0
    absent: int = 0
    led: int = 0
    co_signed: int = 0
    receptions: int = 0
    opinions: int = 0

    @property
    def records(self) -> int:
        return sum(self.by_kind.values())

    @property
    def expected(self) -> int:
        return self.present + self.leave + self.absent

    @property
    def kinds_text(self) -> str:
        labels = dict(DutyKind.choices)
        return "；".join(
            f"{labels[kind]}{self.by_kind[kind]}次"
            for kind, _ in DutyKind.choices
            if self.by_kind.get(kind)
        )

    @property
    def attendance_text(self) -> str:
        if not self.expected:
            return "—"
        return (
            f"出席{self.present}、请假{self.leave}、缺席{self.absent}"
            f"（出勤率{rate_text(self.present, self.expected)}）"
        )


def deputy_counts(user, persons, date_from, date_to) -> dict[int, DeputyCounts]:
    """{person pk: DeputyCounts} for `persons` (a queryset) in the period:
    four grouped queries whatever the number of deputies and records."""
    counts: dict[int, DeputyCounts] = defaultdict(lambda: DeputyCounts(by_kind=defaultdict(int)))
    pks = persons.values("pk")
    records = (
        DutyRecord.objects.visible_to(user)
        .filter(
            person__in=pks,
            status__in=COUNTED_STATUSES,
            occurred_on__gte=date_from,
            occurred_on__lte=date_to,
        )
        .values("person_id", "kind")
        .annotate(
            n=Count("pk"),
            present=Count("pk", filter=FROM_ACTIVITY & Q(attendance=Attendance.PRESENT)),
            leave=Count("pk", filter=FROM_ACTIVITY & Q(attendance=Attendance.LEAVE)),
            absent=Count("pk", filter=FROM_ACTIVITY & Q(attendance=Attendance.ABSENT)),
        )
        .order_by()
    )
    for row in records:
        line = counts[row["person_id"]]
        line.by_kind[row["kind"]] += row["n"]
        line.present += row["present"]
        line.leave += row["leave"]
        line.absent += row["absent"]
    start, end = day_bounds(date_from, date_to)
    suggestions = (
        Suggestion.objects.visible_to(user)
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status=Status.DRAFT)
    )
    authorships = (
        Authorship.objects.filter(person__in=pks, suggestion__in=suggestions.values("pk"))
        .values("person_id", "role")
        .annotate(n=Count("suggestion", distinct=True))
        .order_by()
    )
    for row in authorships:
        if row["role"] == AuthorRole.LEAD:
            counts[row["person_id"]].led += row["n"]
        else:
            counts[row["person_id"]].co_signed += row["n"]
    receptions = Reception.objects.visible_to(user).filter(
        held_on__gte=date_from, held_on__lte=date_to
    )
    on_duty = (
        Reception.deputies.through.objects.filter(
            person__in=pks, reception__in=receptions.values("pk")
        )
        .values("person_id")
        .annotate(n=Count("reception", distinct=True))
        .order_by()
    )
    for row in on_duty:
        counts[row["person_id"]].receptions += row["n"]
    collected = (
        Opinion.objects.visible_to(user)
        .filter(collected_by__in=pks, received_at__gte=start, received_at__lt=end)
        .values("collected_by")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in collected:
        counts[row["collected_by"]].opinions += row["n"]
    return counts


def _report_text(report: DutyReport) -> str:
    rate = report.satisfaction
    satisfaction = f"，满意率{rate:.0%}" if rate is not None else ""
    return f"{report.reported_on:%Y-%m-%d}向{report.audience}述职（{report.attendees}人参加{satisfaction}）"


def mandates_text(person, date_from: datetime.date) -> str:
    """The mandates held some time from `date_from` (prefetched with their terms)."""
    return "；".join(
        f"{m.get_level_display()}{m.term_label or (f'第{m.term.number}届' if m.term else '')}"
        for m in person.mandates.all()
        if m.ended_on is None or m.ended_on >= date_from
    )


def _cards(user, filters):
    date_from, date_to = filters["held_from"], filters["held_to"]
    persons = serving_in(persons_in(user, filters), date_from, date_to)
    people = list(
        persons.select_related("region")
        .prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.select_related("term").order_by("level"))
        )
        .order_by("region__code", "name_pinyin", "pk")
    )
    counts = deputy_counts(user, persons, date_from, date_to)
    reports = defaultdict(list)
    for report in (
        DutyReport.objects.visible_to(user)
        .filter(
            person__in=persons.values("pk"), reported_on__gte=date_from, reported_on__lte=date_to
        )
        .order_by("reported_on", "pk")
    ):
        reports[report.person_id].append(_report_text(report))
    rows = []
    for n, person in enumerate(people, start=1):
        line = counts[person.pk]
        rows.append(
            [
                n,
                person.name,
                person.region.name,
                mandates_text(person, date_from),
                line.kinds_text or "—",
                line.records,
                line.attendance_text,
                line.led,
                line.co_signed,
                line.receptions,
                line.opinions,
                "；".join(reports[person.pk]) or "未述职",
            ]
        )
    return rows


ROWS = {
    "chronicle": _chronicle,
    "attendance": _attendance,
    "activities": _activities,
    "cards": _cards,
}


def register(kind: str, *, user, filters: dict) -> Register:
    """One register for the user's scope, the chosen place and period.
    `kind` is a key of KINDS (a KeyError otherwise)."""
    rows = ROWS[kind](user, filters)
    return Register(kind=KINDS[kind], rows=rows, scope=scope_label(user, filters), filters=filters)
