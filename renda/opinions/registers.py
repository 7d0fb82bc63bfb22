"""The registers of opinions and receptions, as views over the records
(DOMAIN §1, 三册六簿 and 四簿四卡): nothing here is a second copy.

- 社情民意登记簿 (ledger): every opinion received in the period.
- 社情民意转办登记簿 (transfer): opinions assigned to a unit, escalated to the
  higher congress or converted into a deputy's suggestion, by the date of
  that move.
- 群众来信来访登记簿 (letters): opinions that came by letter or visit.
- 代表接待选民来访登记簿 (receptions): receptions held in the period, with
  the deputies on duty, the people received and the opinions collected there.
- 为选民办实事登记簿 (deeds): opinions solved on the spot, or handled by a
  unit (or the higher congress, or through the suggestion) with a result,
  by the date it was done, with the deputy who collected them.

Each register is a list of rows of plain cells, so the printable page and
the workbook show the same thing. Every register reads a constant number
of queries whatever its number of rows. On a province's server a register
waits until a county (or a township or station) is named: a province's
month is thousands of rows.

The person who raised an opinion is shown through the privacy rule of
`renda.opinions.selectors` (masked unless the viewer handles it). Also here:
each opinion's outcome, read from the workflow log; `figures.py` counts with
the same definitions.
"""

import datetime
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from renda.core.areas import Area
from renda.core.forms import QueryForm
from renda.core.models import Region, StateChange
from renda.core.registers import NUMBER, Column, Kind
from renda.deputies.models import Person, Station
from renda.opinions import selectors
from renda.opinions.models import Channel, Opinion, OpinionStatus, Reception

# --- the person who raised it: the privacy rule of renda.opinions.selectors ------------


def submitters(user) -> Callable[[Opinion], selectors.Submitter]:
    """The person of each opinion as this user may see them (name and phone
    masked unless `selectors.can_see_submitter`). At most one query, for a
    liaison officer's stations, however many opinions it is asked about;
    each opinion needs its `region` loaded."""
    stations = selectors.liaison_stations(user)
    return lambda opinion: selectors.submitter_for(user, opinion, stations=stations)


# --- outcomes, read from the workflow log ---------------------------------------------

# The states an opinion's handling is decided by. "sorted" is among them so that
# a unit's return (assigned -> sorted) takes the outcome back to undecided.
# Migration 0002's index holds the moves into them: change both together.
OUTCOME_STATES = [
    OpinionStatus.SORTED,
    OpinionStatus.MERGED,
    OpinionStatus.SOLVED,
    OpinionStatus.ASSIGNED,
    OpinionStatus.ESCALATED,
    OpinionStatus.CONVERTED,
    OpinionStatus.DECLINED,
]
TRANSFERS = [OpinionStatus.ASSIGNED, OpinionStatus.ESCALATED, OpinionStatus.CONVERTED]
OUTCOME_LABELS = {
    OpinionStatus.MERGED: "归并",
    OpinionStatus.SOLVED: "当场解决",
    OpinionStatus.ASSIGNED: "交办",
    OpinionStatus.ESCALATED: "上报",
    OpinionStatus.CONVERTED: "转为代表建议",
    OpinionStatus.DECLINED: "不予受理",
}


def _moves(states):
    """The opinion's real moves (not noted events) into `states`, latest first."""
    # The content type by id (cached by Django), not joined: this subquery runs
    # once per opinion counted, and the join scanned django_content_type each time.
    return (
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Opinion),
            object_id=OuterRef("pk"),
            to_state__in=states,
        )
        .exclude(from_state=F("to_state"))
        .order_by("-at", "-pk")
    )


def with_outcome(opinions):
    """Annotate each opinion with `f_outcome`, the last of OUTCOME_STATES it
    moved into (None before it was sorted; "sorted" when still undecided or
    returned by the unit), and `f_outcome_at`, when. Later moves (handled,
    answered) do not change the outcome: an opinion assigned, handled and
    answered stays "assigned"."""
    moves = _moves(OUTCOME_STATES)
    return opinions.annotate(
        f_outcome=Subquery(moves.values("to_state")[:1]),
        f_outcome_at=Subquery(moves.values("at")[:1]),
    )


def with_done_at(opinions):
    """Annotate `f_done_at`: when it was solved on the spot or handled."""
    moves = _moves([OpinionStatus.SOLVED, OpinionStatus.HANDLED])
    return opinions.annotate(f_done_at=Subquery(moves.values("at")[:1]))


def taking(*parts: tuple[tuple, Q]) -> Q:
    """The opinions of any of `parts`, each (outcomes, condition): those whose
    `f_outcome` is one of `outcomes` (any outcome when empty) and that meet
    `condition`, a condition on the opinion itself. Written as parts so that
    the figures can count them grouped by outcome, reading it once per opinion."""
    return functools.reduce(
        operator.or_,
        (
            (Q(f_outcome__in=outcomes) if outcomes else Q()) & condition
            for outcomes, condition in parts
        ),
    )


# Practical things done for voters (为选民办实事): solved on the spot, or
# handled with a result after being assigned, escalated or converted.
DEED_PARTS = (
    ((OpinionStatus.SOLVED,), Q()),
    (
        tuple(TRANSFERS),
        Q(status__in=[OpinionStatus.HANDLED, OpinionStatus.ANSWERED]) & ~Q(handling_result=""),
    ),
)
DEEDS = taking(*DEED_PARTS)


def outcome_text(opinion: Opinion) -> str:
    """How it was dealt with, in the register's words: 交县交通运输局办理；已答复群众."""
    outcome = opinion.f_outcome
    if outcome is None or outcome == OpinionStatus.SORTED:
        return opinion.get_status_display()
    if outcome == OpinionStatus.ASSIGNED:
        text = f"交{opinion.unit.name}办理" if opinion.unit_id else "交办"
    elif outcome == OpinionStatus.ESCALATED:
        text = f"上报{opinion.escalated_to}"
    elif outcome == OpinionStatus.CONVERTED:
        number = opinion.suggestion.number if opinion.suggestion_id else ""
        text = f"转为代表建议（{number}）" if number else "转为代表建议"
    elif outcome == OpinionStatus.MERGED:
        target = opinion.merged_into
        text = f"归并至{target.number or target.receipt_code}" if target else "归并"
    else:
        text = OUTCOME_LABELS[outcome]
    if opinion.status != outcome:
        text += f"；{opinion.get_status_display()}"
    return text


def summary(opinion: Opinion, length: int = 60) -> str:
    content = opinion.content if len(opinion.content) <= length else opinion.content[:length] + "…"
    return f"{opinion.title}：{content}"


# --- the query: station, township and period within the user's scope ------------------


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


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class PeriodQueryForm(QueryForm):
    """Station, township and period: shared by the registers and the figures.
    Choices are the user's scope; a township or station outside it is
    `out_of_scope` (the views answer 404). The period defaults to this month.

    On a province's or a city's server the county picked (`area`, see
    renda.core.areas) narrows the records, and the township and station
    selects offer only its choices: none until one is picked. A link naming
    a township or a station of the scope still works without it."""

    township = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    station = StationChoiceField(
        label="联络站", queryset=Station.objects.none(), required=False, empty_label="全部"
    )
    date_from = forms.DateField(
        label="起始日期", required=False, error_messages={"invalid": "请按 2026-11-01 的格式填写"}
    )
    date_to = forms.DateField(
        label="截止日期", required=False, error_messages={"invalid": "请按 2026-11-30 的格式填写"}
    )

    # A register of a province waits for a county, a township or a station
    # (a province's month is thousands of rows).
    SCOPE_FIELDS = PLACE_FIELDS = ("township", "station")

    def __init__(self, data, *, user, area: Area | None = None):
        super().__init__(data, area=area)
        self.fields["township"].queryset = Region.objects.visible_to(user).townships()
        self.fields["station"].queryset = (
            Station.objects.visible_to(user)
            .select_related("region")
            .order_by("region__code", "name")
        )
        for name in self.SCOPE_FIELDS:
            self.area.offer(self.fields[name])
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_from = data.get("date_from") or first_of_month(data.get("date_to") or today)
        date_to = data.get("date_to") or last_of_month(date_from)
        if date_from > date_to:
            self.add_error("date_to", "截止日期不能早于起始日期")
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def filters(self) -> dict:
        return {
            "area": self.area.chosen,
            **{
                name: self.cleaned_data.get(name)
                for name in ("township", "station", "date_from", "date_to")
            },
        }


def in_place(records, filters: dict):
    """Records (opinions or receptions) of the chosen county, township and station."""
    if filters.get("area"):
        records = records.within(filters["area"])
    if filters.get("township"):
        records = records.filter(region__code__startswith=filters["township"].code)
    if filters.get("station"):
        records = records.filter(station=filters["station"])
    return records


def scope_region(user, filters: dict) -> Region | None:
    """The narrowest region the records are of: the chosen township, the
    chosen county, or the user's region (None: everywhere)."""
    return filters.get("township") or filters.get("area") or user.region


def scope_label(user, filters: dict) -> str:
    place = filters.get("station") or scope_region(user, filters)
    return str(place) if place else "全部"


def period_label(filters: dict) -> str:
    return f"{filters['date_from']:%Y年%m月%d日}至{filters['date_to']:%Y年%m月%d日}"


# --- the registers ------------------------------------------------------------------------


KINDS = {
    "ledger": Kind(
        "ledger",
        "社情民意登记簿",
        "按收集日期",
        (
            NUMBER,
            Column("登记编号", 13),
            Column("收集日期", 11),
            Column("渠道", 9),
            Column("反映人", 9),
            Column("联系电话", 13),
            Column("所涉地点", 12),
            Column("内容摘要", 40, left=True),
            Column("类别", 9),
            Column("轻重缓急", 7),
            Column("办理结果", 24, left=True),
            Column("答复日期", 11),
        ),
    ),
    "transfer": Kind(
        "transfer",
        "社情民意转办登记簿",
        "按转办日期",
        (
            NUMBER,
            Column("登记编号", 13),
            Column("事由", 24, left=True),
            Column("反映人", 9),
            Column("联系电话", 13),
            Column("转办方式", 10),
            Column("转办对象", 18, left=True),
            Column("转办日期", 11),
            Column("办理期限", 11),
            Column("办理结果", 28, left=True),
            Column("答复群众", 28, left=True),
            Column("答复日期", 11),
        ),
    ),
    "letters": Kind(
        "letters",
        "群众来信来访登记簿",
        "按收到日期",
        (
            NUMBER,
            Column("登记编号", 13),
            Column("日期", 11),
            Column("来信/来访", 9),
            Column("姓名", 9),
            Column("联系电话", 13),
            Column("所涉地点", 12),
            Column("反映事项", 40, left=True),
            Column("类别", 9),
            Column("处理情况", 24, left=True),
            Column("答复日期", 11),
        ),
    ),
    "receptions": Kind(
        "receptions",
        "代表接待选民来访登记簿",
        "按接待日期",
        (
            NUMBER,
            Column("接待日期", 11),
            Column("联络站/地点", 18, left=True),
            Column("接待方式", 10),
            Column("接待代表", 20, left=True),
            Column("代表人数", 8),
            Column("接待群众（人次）", 10),
            Column("收集意见（件）", 10),
            Column("所收集意见", 40, left=True),
            Column("情况记录", 24, left=True),
        ),
    ),
    "deeds": Kind(
        "deeds",
        "为选民办实事登记簿",
        "按办结日期",
        (
            NUMBER,
            Column("办结日期", 11),
            Column("收集代表", 9),
            Column("群众姓名", 9),
            Column("联系电话", 13),
            Column("所涉地点", 12),
            Column("事项", 30, left=True),
            Column("办理方式", 16, left=True),
            Column("办理结果", 36, left=True),
            Column("答复情况", 14),
        ),
    ),
}


@dataclass
class Register:
    kind: Kind
    rows: list[list]
    scope: str
    filters: dict
    masked: int  # rows whose person is shown masked

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


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%Y-%m-%d}"


def _opinions(user, filters: dict):
    """The user's opinions of the chosen place, with what every register
    prints, and the outcome; not yet restricted to the period."""
    return with_outcome(
        in_place(Opinion.objects.visible_to(user), filters).select_related(
            "region",
            "station",
            "category",
            "unit",
            "collected_by",
            "suggestion",
            "merged_into",
        )
    )


def _received_in(opinions, filters: dict):
    start, end = day_bounds(filters["date_from"], filters["date_to"])
    return opinions.filter(received_at__gte=start, received_at__lt=end).order_by(
        "received_at", "pk"
    )


def _category(opinion) -> str:
    return opinion.category.name if opinion.category_id else ""


def _ledger(user, filters):
    person_of = submitters(user)
    rows, masked = [], 0
    for n, opinion in enumerate(_received_in(_opinions(user, filters), filters), start=1):
        person = person_of(opinion)
        masked += not person.full
        rows.append(
            [
                n,
                opinion.number,
                _day(opinion.received_at),
                opinion.get_channel_display(),
                person.name,
                person.phone,
                opinion.region.name,
                summary(opinion),
                _category(opinion),
                opinion.get_urgency_display(),
                outcome_text(opinion),
                _day(opinion.answered_at),
            ]
        )
    return rows, masked


def _transfer_target(opinion) -> str:
    if opinion.f_outcome == OpinionStatus.ASSIGNED:
        return opinion.unit.name if opinion.unit_id else ""
    if opinion.f_outcome == OpinionStatus.ESCALATED:
        return opinion.escalated_to
    if opinion.suggestion_id:
        return f"代表建议{opinion.suggestion.number}：{opinion.suggestion.title}"
    return "代表建议"


def _transfer(user, filters):
    person_of = submitters(user)
    start, end = day_bounds(filters["date_from"], filters["date_to"])
    opinions = (
        _opinions(user, filters)
        .filter(f_outcome__in=TRANSFERS, f_outcome_at__gte=start, f_outcome_at__lt=end)
        .order_by("f_outcome_at", "pk")
    )
    rows, masked = [], 0
    for n, opinion in enumerate(opinions, start=1):
        person = person_of(opinion)
        masked += not person.full
        rows.append(
            [
                n,
                opinion.number,
                opinion.title,
                person.name,
                person.phone,
                OUTCOME_LABELS[opinion.f_outcome],
                _transfer_target(opinion),
                _day(opinion.f_outcome_at),
                _day(opinion.due_on),
                opinion.handling_result or opinion.get_status_display(),
                opinion.answer,
                _day(opinion.answered_at),
            ]
        )
    return rows, masked


def _letters(user, filters):
    person_of = submitters(user)
    opinions = _received_in(_opinions(user, filters), filters).filter(
        channel__in=[Channel.LETTER, Channel.VISIT]
    )
    rows, masked = [], 0
    for n, opinion in enumerate(opinions, start=1):
        person = person_of(opinion)
        masked += not person.full
        rows.append(
            [
                n,
                opinion.number,
                _day(opinion.received_at),
                opinion.get_channel_display(),
                person.name,
                person.phone,
                opinion.region.name,
                summary(opinion),
                _category(opinion),
                outcome_text(opinion),
                _day(opinion.answered_at),
            ]
        )
    return rows, masked


def receptions_in(user, filters: dict):
    """Receptions the user may see, of the chosen place and period, with their
    deputies and the opinions collected there (that the user may see)."""
    return (
        in_place(Reception.objects.visible_to(user), filters)
        .filter(held_on__gte=filters["date_from"], held_on__lte=filters["date_to"])
        .select_related("station", "region")
        .prefetch_related(
            Prefetch("deputies", queryset=Person.objects.order_by("name_pinyin", "pk")),
            Prefetch(
                "opinions",
                queryset=Opinion.objects.visible_to(user).order_by("received_at", "pk"),
                to_attr="opinions_here",
            ),
        )
        .order_by("held_on", "pk")
    )


def _receptions(user, filters):
    rows = []
    for n, reception in enumerate(receptions_in(user, filters), start=1):
        deputies = list(reception.deputies.all())
        place = reception.station.name if reception.station_id else reception.region.name
        if reception.place:
            place += f"（{reception.place}）"
        rows.append(
            [
                n,
                _day(reception.held_on),
                place,
                reception.get_kind_display(),
                "、".join(person.name for person in deputies),
                len(deputies),
                reception.people_received,
                len(reception.opinions_here),
                "；".join(opinion.title for opinion in reception.opinions_here),
                reception.note,
            ]
        )
    return rows, 0


def _deeds(user, filters):
    person_of = submitters(user)
    start, end = day_bounds(filters["date_from"], filters["date_to"])
    opinions = (
        with_done_at(_opinions(user, filters))
        .filter(DEEDS, f_done_at__gte=start, f_done_at__lt=end)
        .order_by("f_done_at", "pk")
    )
    rows, masked = [], 0
    for n, opinion in enumerate(opinions, start=1):
        person = person_of(opinion)
        masked += not person.full
        way = outcome_text(opinion).split("；")[0]
        rows.append(
            [
                n,
                _day(opinion.f_done_at),
                opinion.collected_by.name if opinion.collected_by_id else "",
                person.name,
                person.phone,
                opinion.region.name,
                opinion.title,
                way,
                opinion.handling_result,
                f"已答复（{_day(opinion.answered_at)}）" if opinion.answered_at else "待答复",
            ]
        )
    return rows, masked


ROWS = {
    "ledger": _ledger,
    "transfer": _transfer,
    "letters": _letters,
    "receptions": _receptions,
    "deeds": _deeds,
}


def register(kind: str, *, user, filters: dict) -> Register:
    """One register for the user's scope, the chosen place and period.
    `kind` is a key of KINDS (a KeyError otherwise)."""
    rows, masked = ROWS[kind](user, filters)
    return Register(
        kind=KINDS[kind],
        rows=rows,
        scope=scope_label(user, filters),
        filters=filters,
        masked=masked,
    )
