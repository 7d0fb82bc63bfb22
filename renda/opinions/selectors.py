"""Reads of the opinions office pages that more than one caller uses: who may
see the person's name and phone (one rule, used by every page and export),
who may act on an opinion, the receptions a user works with, the ledger's
filters, similar opinions, and the monthly cycle's counts."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from renda.core.areas import Area, place_labels, within_places
from renda.core.models import CODE_LENGTH, Region, RegionLevel, Role
from renda.core.params import as_id
from renda.core.permissions import can_manage_region
from renda.core.rules import rule_value
from renda.core.search import contains_text
from renda.core.text import mask_middle
from renda.deputies.models import Person, Station
from renda.deputies.schedule import upcoming_reception_days
from renda.opinions.models import Opinion, OpinionStatus, Reception
from renda.suggestions import similarity
from renda.suggestions.models import Category

# --- privacy: the person who raised it ------------------------------------------


@dataclass(frozen=True)
class Submitter:
    """The person's name and phone as this user may see them."""

    name: str
    phone: str
    full: bool


def liaison_stations(user) -> frozenset[int]:
    """Pks of the stations whose registers this user keeps (liaison officers
    only; empty for everyone else). One query; pass the result on to the
    per-opinion checks of a page so a list does not query per row."""
    if not user.is_authenticated or user.is_superuser or user.role != Role.LIAISON:
        return frozenset()
    return frozenset(user.stations.values_list("pk", flat=True))


def can_see_submitter(user, opinion: Opinion, *, stations: frozenset[int] | None = None) -> bool:
    """The person's name and phone are for those handling the item only:
    office staff managing its region, the users of the unit it is assigned
    to, and the liaison officers of its station. Everyone else (deputies,
    other units, other townships, the public) sees them masked."""
    if not user.is_authenticated:
        return False
    if can_manage_region(user, opinion.region):
        return True
    if user.role == Role.UNIT:
        return bool(user.unit_id) and opinion.unit_id == user.unit_id
    if stations is None:
        stations = liaison_stations(user)
    return opinion.station_id is not None and opinion.station_id in stations


def mask_name(name: str) -> str:
    """刘大妈 -> 刘*: the surname is enough to tell people apart in a ledger."""
    return f"{name[:1]}*" if name else ""


def mask_phone(phone: str) -> str:
    """13912345678 -> 139****5678."""
    return mask_middle(phone, 3, 4)


def submitter_for(user, opinion: Opinion, *, stations: frozenset[int] | None = None) -> Submitter:
    if can_see_submitter(user, opinion, stations=stations):
        return Submitter(opinion.submitter_name, opinion.submitter_phone, True)
    return Submitter(mask_name(opinion.submitter_name), mask_phone(opinion.submitter_phone), False)


def with_submitters(user, opinions: Iterable[Opinion], *, stations=None) -> list[Opinion]:
    """The opinions, each with `.submitter` set as this user may see it.
    Every page and export shows the person through this, never through
    `submitter_name` / `submitter_phone` directly. Needs `region` loaded
    (select_related) to avoid a query per row."""
    if stations is None:
        stations = liaison_stations(user)
    opinions = list(opinions)
    for opinion in opinions:
        opinion.submitter = submitter_for(user, opinion, stations=stations)
    return opinions


# --- who may act -----------------------------------------------------------------

STAFF, LIAISON, UNIT = "staff", "liaison", "unit"
S = OpinionStatus


@dataclass(frozen=True)
class Action:
    label: str
    # The states the action starts from (the model's TRANSITIONS allow the move).
    states: frozenset
    # Who may take it: office staff managing the region, liaison officers of
    # the opinion's station, the users of the unit it is assigned to.
    actors: frozenset
    style: str = "outline-secondary"


ACTIONS = {
    "sort": Action("整理登记", frozenset({S.RECEIVED}), frozenset({STAFF, LIAISON}), "renda"),
    "merge": Action("归并", frozenset({S.RECEIVED, S.SORTED}), frozenset({STAFF})),
    "solve": Action("当场解决", frozenset({S.SORTED}), frozenset({STAFF, LIAISON}), "renda"),
    "assign": Action("交办单位", frozenset({S.SORTED}), frozenset({STAFF}), "renda"),
    "escalate": Action("上报上级人大", frozenset({S.SORTED}), frozenset({STAFF})),
    "convert": Action("转为代表建议", frozenset({S.SORTED}), frozenset({STAFF})),
    "decline": Action("不予受理", frozenset({S.SORTED}), frozenset({STAFF}), "outline-danger"),
    "handled": Action(
        "记录办理结果", frozenset({S.ASSIGNED, S.ESCALATED, S.CONVERTED}), frozenset({STAFF})
    ),
    "answer": Action(
        "答复群众",
        frozenset({S.SOLVED, S.DECLINED, S.HANDLED}),
        frozenset({STAFF, LIAISON}),
        "renda",
    ),
    "unit_handle": Action("报送办理结果", frozenset({S.ASSIGNED}), frozenset({UNIT}), "renda"),
    "unit_return": Action("退回", frozenset({S.ASSIGNED}), frozenset({UNIT}), "outline-danger"),
}


def acting_as(user, opinion: Opinion, *, stations: frozenset[int] | None = None) -> set[str]:
    """The capacities in which this user may act on this opinion."""
    capacities = set()
    if not user.is_authenticated:
        return capacities
    if can_manage_region(user, opinion.region):
        capacities.add(STAFF)
    if user.is_superuser or (
        user.role == Role.UNIT and user.unit_id and opinion.unit_id == user.unit_id
    ):
        capacities.add(UNIT)
    if stations is None:
        stations = liaison_stations(user)
    if opinion.station_id is not None and opinion.station_id in stations:
        capacities.add(LIAISON)
    return capacities


def may_act(user, opinion: Opinion, action: str, *, stations=None) -> bool:
    """Whether the user may take the action on this opinion at all (whatever its state)."""
    return bool(ACTIONS[action].actors & acting_as(user, opinion, stations=stations))


def action_open(opinion: Opinion, action: str) -> bool:
    """Whether the opinion's state allows the action now."""
    return opinion.status in ACTIONS[action].states


def actions_for(user, opinion: Opinion, *, stations=None) -> list[tuple[str, Action]]:
    """The actions to offer on the detail page: allowed for the user and open now."""
    capacities = acting_as(user, opinion, stations=stations)
    return [
        (name, action)
        for name, action in ACTIONS.items()
        if action.actors & capacities and opinion.status in action.states
    ]


LOCAL_LEVELS = (
    RegionLevel.COUNTY,
    RegionLevel.TOWNSHIP,
    RegionLevel.STREET,
    RegionLevel.VILLAGE,
    RegionLevel.COMMUNITY,
)

# --- receptions ------------------------------------------------------------------


def receptions_for(user):
    """Receptions a user works with: office staff every one in their region;
    a liaison officer those of the stations they keep (and ones they
    recorded); a deputy those they were on duty for (and ones they recorded)."""
    receptions = Reception.objects.visible_to(user)
    if not user.is_authenticated or user.is_superuser or user.is_office_staff:
        return receptions
    if user.role == Role.LIAISON:
        return receptions.filter(Q(station__in=user.stations.all()) | Q(recorded_by=user))
    if user.role == Role.DEPUTY:
        person = user.own_person
        on_duty = Reception.deputies.through.objects.filter(reception=OuterRef("pk"), person=person)
        return receptions.filter(Q(Exists(on_duty)) | Q(recorded_by=user))
    return receptions.none()


def stations_for(user):
    """Stations a user may record receptions and opinions for: office staff
    those in their region, liaison officers the ones they keep, deputies the
    ones they are resident at."""
    stations = Station.objects.visible_to(user).filter(active=True)
    if not user.is_authenticated or user.is_superuser or user.is_office_staff:
        return stations
    if user.role == Role.LIAISON:
        return stations.filter(liaison_officers=user)
    if user.role == Role.DEPUTY:
        person = user.own_person
        return stations.filter(resident_deputies=person) if person else stations.none()
    return stations.none()


def local_regions_for(user):
    """Places an opinion or a reception may belong to: the county and below, in scope."""
    return Region.objects.visible_to(user).filter(level__in=LOCAL_LEVELS)


def categories_for(user):
    """Categories in use for the user's place: national ones and those of
    the user's region or the regions above it."""
    categories = Category.objects.filter(active=True)
    if user.is_superuser or not user.region_id:
        return categories
    return categories.filter(
        Q(region__isnull=True) | Q(region__code__in=user.region.ancestor_codes())
    )


def deputies_for(user, station: Station | None = None):
    """Deputies who may be named on duty: serving deputies in the user's scope
    and the station's resident deputies."""
    in_scope = Person.objects.visible_to(user).serving().values("pk")
    condition = Q(pk__in=in_scope)
    if station is not None:
        condition |= Q(stations=station)
    return Person.objects.filter(condition).distinct()


@dataclass
class ScheduledDays:
    """A station's scheduled reception days around today: the last few held
    (a reception is recorded on or after its day) and the next one."""

    recent: list = field(default_factory=list)
    upcoming: object = None


def scheduled_days(station: Station, today: datetime.date, *, recent: int = 3) -> ScheduledDays:
    days = upcoming_reception_days(station, today - datetime.timedelta(days=62), 40)
    past = [day for day in days if day.day <= today]
    future = [day for day in days if day.day > today]
    return ScheduledDays(recent=past[-recent:][::-1], upcoming=future[0] if future else None)


# --- the ledger --------------------------------------------------------------------

LEDGER_FILTERS = (
    "status",
    "channel",
    "category",
    "urgency",
    "station",
    "area",
    "township",
    "month",
    "overdue",
    "q",
)


def parse_month(text: str) -> datetime.date | None:
    """ "2026-11" -> 2026-11-01; None when it is not a month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return None


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as [start, end) in local time (Asia/Shanghai)."""
    last = calendar.monthrange(month.year, month.month)[1]
    start = datetime.datetime.combine(month, datetime.time.min)
    end = datetime.datetime.combine(month.replace(day=last), datetime.time.min)
    end += datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def overdue_q(today: datetime.date) -> Q:
    return Q(status=OpinionStatus.ASSIGNED, due_on__lt=today)


def ledger(user, filters: dict, *, today: datetime.date):
    """社情民意收集台账: the opinions a user may see, filtered; unknown filter
    values are ignored rather than refused (a stale bookmark still opens)."""
    # Joined: the region (the person's privacy needs it) and the category.
    # The station and the unit are read by pk for the page instead: each
    # table joined multiplies the plans PostgreSQL weighs, and with five
    # joins planning took 15 ms at 19 counties, against 1 ms for the page.
    opinions = (
        Opinion.objects.visible_to(user)
        .select_related("region", "category")
        .prefetch_related("station", "unit")
    )
    if filters.get("status") in OpinionStatus.values:
        opinions = opinions.filter(status=filters["status"])
    if filters.get("channel"):
        opinions = opinions.filter(channel=filters["channel"])
    if filters.get("urgency"):
        opinions = opinions.filter(urgency=filters["urgency"])
    if category := as_id(filters.get("category")):
        opinions = opinions.filter(category_id=category)
    if station := as_id(filters.get("station")):
        opinions = opinions.filter(station_id=station)
    opinions = within_places(opinions, filters)
    month = parse_month(filters.get("month") or "")
    if month is not None:
        start, end = month_bounds(month)
        opinions = opinions.filter(received_at__gte=start, received_at__lt=end)
    if filters.get("overdue"):
        opinions = opinions.filter(overdue_q(today))
    if filters.get("q"):
        text = filters["q"]
        found = contains_text(text, "title", "content")
        if text.isascii():  # a number or a receipt code has no Chinese in it
            found |= Q(number=text) | Q(receipt_code=text.upper())
        # Otherwise the words alone: under an OR, PostgreSQL would recompute
        # each found opinion's bigrams to recheck it (30 ms for 3,400).
        opinions = opinions.filter(found)
    return opinions


def opinions_in_full(user):
    """The opinions a user may see, each with what its page and the API
    show of it. The region is joined (the person's privacy needs it); the
    other relations are read by pk, each only when the opinion has one:
    joining all ten, PostgreSQL spent 10 ms planning a one-row query."""
    return (
        Opinion.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            "station",
            "reception",
            "category",
            "unit",
            "collected_by",
            "entered_by",
            "merged_into",
            "suggestion",
            "due_rule",
        )
    )


def unit_opinions(user, *, done: bool = False):
    """The opinions assigned to the user's unit (Opinion.objects.visible_to
    limits a unit account to its own), due date first."""
    states = [OpinionStatus.HANDLED, OpinionStatus.ANSWERED] if done else [OpinionStatus.ASSIGNED]
    return (
        Opinion.objects.visible_to(user)
        .filter(unit__isnull=False, status__in=states)
        .select_related("region", "station", "category", "unit")
        .order_by("due_on", "received_at", "pk")
    )


def reception_list(user, filters: dict):
    receptions = within_places(receptions_for(user).select_related("station", "region"), filters)
    if station := as_id(filters.get("station")):
        receptions = receptions.filter(station_id=station)
    if filters.get("kind"):
        receptions = receptions.filter(kind=filters["kind"])
    month = parse_month(filters.get("month") or "")
    if month is not None:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        receptions = receptions.filter(held_on__gte=month, held_on__lte=last)
    return (
        receptions.annotate(opinion_count=Count("opinions"))
        .prefetch_related("deputies")
        .order_by("-held_on", "-pk")
    )


# --- similar opinions (an adapter over renda.suggestions.similarity) ----------------

OPEN_FOR_MERGE = (
    OpinionStatus.RECEIVED,
    OpinionStatus.SORTED,
    OpinionStatus.ASSIGNED,
    OpinionStatus.ESCALATED,
    OpinionStatus.CONVERTED,
    OpinionStatus.SOLVED,
    OpinionStatus.DECLINED,
    OpinionStatus.HANDLED,
)


def similarity_threshold(region: Region | None, on: datetime.date) -> float:
    """Rule `opinion.similarity_threshold` where the office has set one, else
    the suggestions' threshold (same text measure)."""
    value = rule_value("opinion.similarity_threshold", region, on, default=None)
    if value is None:
        return similarity.threshold_for(region, on)
    if isinstance(value, dict):
        value = value.get("value", similarity.DEFAULT_THRESHOLD)
    return float(value)


def merge_targets(user, opinion: Opinion):
    """Opinions this one may be merged into: visible to the user, in the same
    township, not merged themselves and not yet closed."""
    township = opinion.region.code[:9]
    return (
        Opinion.objects.visible_to(user)
        .filter(
            region__code__startswith=township,
            merged_into__isnull=True,
            status__in=OPEN_FOR_MERGE,
        )
        .exclude(pk=opinion.pk)
    )


def _text(opinion: Opinion) -> str:
    # The title twice: it names the issue (as the suggestions' measure weighs it).
    return f"{opinion.title}。{opinion.title}。{opinion.content}"


def similar_opinions(
    opinion: Opinion, candidates, *, on: datetime.date, limit: int = 5
) -> list[tuple[Opinion, float]]:
    """The candidates most like the opinion, best first, at or above the
    threshold: [(opinion, score), ...]. Each pair is scored with
    renda.suggestions.similarity.similarity (character bigrams, cosine);
    only its public functions are used, so its internals may change. The
    caller scopes the candidates (see `merge_targets`)."""
    if limit <= 0:
        return []
    items = list(
        candidates.select_related("region")
        .only("pk", "number", "receipt_code", "title", "content", "status", "region")
        .order_by()
    )
    if not items:
        return []
    threshold = similarity_threshold(opinion.region, on)
    text = _text(opinion)
    scored = [
        (item, score)
        for item in items
        if (score := similarity.similarity(text, _text(item))) >= threshold
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def group_opinions(opinions: list[Opinion], threshold: float) -> list[list[Opinion]]:
    """Groups of opinions that say the same thing (single-link on title and
    content), largest first; an opinion like no other is a group of one.

    An issue belongs to one township (乡镇、街道): the office that sorts,
    summarises and assigns it. Opinions of two townships are never one
    issue, however alike their words ("路灯坏了" in two towns are two lamps),
    so each township's opinions are grouped on their own. This also bounds
    the comparison: single-link is quadratic in the worst case, and a
    province's month holds tens of thousands of opinions, a township's tens.
    """
    batches: dict[str, list[Opinion]] = {}
    for opinion in opinions:
        batches.setdefault(township_code(opinion), []).append(opinion)
    groups = []
    for batch in batches.values():
        texts = [_text(o) for o in batch]
        groups += [
            [batch[i] for i in group] for group in similarity.group_similar(texts, threshold)
        ]
    groups.sort(key=lambda group: (-len(group), group[0].received_at))
    return groups


def township_code(opinion: Opinion) -> str:
    """The division code of the township an opinion was raised in (its own,
    shorter code when it was raised at county level)."""
    return opinion.region.code[: CODE_LENGTH[RegionLevel.TOWNSHIP]]


# --- the monthly cycle: 一收集、一整理、一汇总、一建账、一交办 ------------------------

# Opinions that have had their outcome: assigned, escalated, converted,
# solved on the spot, handled.
OUTCOMES = {
    OpinionStatus.ASSIGNED,
    OpinionStatus.ESCALATED,
    OpinionStatus.CONVERTED,
    OpinionStatus.SOLVED,
    OpinionStatus.HANDLED,
}

# Each step after collection as a condition on an opinion, counted in SQL:
# per opinion on a county's cycle, per county on a province's overview.
STEPS = {
    "sorted": ~Q(status=OpinionStatus.RECEIVED),
    "registered": ~Q(number=""),
    # 交办: an outcome, or an answer after one.
    "assigned": Q(status__in=OUTCOMES) | Q(status=OpinionStatus.ANSWERED, decline_reason=""),
    "declined": ~Q(decline_reason=""),
}


@dataclass
class CycleRow:
    label: str
    key: str = ""
    collected: int = 0
    sorted: int = 0
    summarised: int | None = 0  # None on a province's overview: issues are a county's
    registered: int = 0
    assigned: int = 0
    declined: int = 0
    groups: set = field(default_factory=set)


@dataclass
class Cycle:
    month: datetime.date
    total: CycleRow
    stations: list[CycleRow] = field(default_factory=list)
    townships: list[CycleRow] = field(default_factory=list)
    counties: list[CycleRow] = field(default_factory=list)  # a province's overview only
    groups: list[list[Opinion]] = field(default_factory=list)
    singles: int = 0


def monthly_cycle(user, month: datetime.date, area: Area) -> Cycle:
    """The month's cycle for the opinions a user may see in `area`.

    For a county (or a county a province's user picked), per station and per
    township: collected (received that month), sorted (past 'received'),
    summarised (issues: groups of similar opinions), registered (numbered)
    and assigned (an outcome: assigned, escalated, converted, solved). A
    fixed number of queries: the month's opinions are read once.

    For a province or a city before a county is picked, per county, counted
    in SQL: its month is tens of thousands of opinions, and grouping them
    into issues is each county's work (`county_overview`)."""
    start, end = month_bounds(month)
    scoped = area.narrow(Opinion.objects.visible_to(user)).filter(
        received_at__gte=start, received_at__lt=end
    )
    if area.waiting:
        return county_overview(scoped, month)
    opinions = list(
        scoped.annotate(
            **{
                f"is_{step}": ExpressionWrapper(condition, output_field=BooleanField())
                for step, condition in STEPS.items()
            }
        )
        .select_related("station", "region")
        .only(
            "pk",
            "number",
            "receipt_code",
            "title",
            "content",
            "status",
            "received_at",
            "station__name",
            "region__code",
            "region__name",
        )
        .order_by("received_at", "pk")
    )
    place = area.chosen or (user.region if user.region_id else None)
    groups = group_opinions(opinions, similarity_threshold(place, month))
    group_of = {o.pk: index for index, group in enumerate(groups) for o in group}

    township_names = dict(
        Region.objects.filter(code__in={township_code(o) for o in opinions}).values_list(
            "code", "name"
        )
    )
    total = CycleRow("合计")
    stations: dict[object, CycleRow] = {}
    townships: dict[str, CycleRow] = {}
    for opinion in opinions:
        station_key = opinion.station_id or 0
        station_row = stations.setdefault(
            station_key,
            CycleRow(
                opinion.station.name if opinion.station_id else "未经联络站", str(station_key)
            ),
        )
        code = township_code(opinion)
        township_row = townships.setdefault(
            code, CycleRow(township_names.get(code, opinion.region.name), code)
        )
        for row in (total, station_row, township_row):
            _count(row, opinion, group_of[opinion.pk])
    rows = [total, *stations.values(), *townships.values()]
    for row in rows:
        row.summarised = len(row.groups)
    return Cycle(
        month=month,
        total=total,
        stations=sorted(stations.values(), key=lambda r: (r.key == "0", -r.collected, r.label)),
        townships=sorted(townships.values(), key=lambda r: r.key),
        groups=[group for group in groups if len(group) > 1],
        singles=sum(1 for group in groups if len(group) == 1),
    )


def _count(row: CycleRow, opinion: Opinion, group: int) -> None:
    row.collected += 1
    row.sorted += opinion.is_sorted
    row.registered += opinion.is_registered
    row.assigned += opinion.is_assigned
    row.declined += opinion.is_declined
    row.groups.add(group)


def county_overview(opinions, month: datetime.date) -> Cycle:
    """A province's (or a city's) month per county, counted in one query."""
    length = CODE_LENGTH[RegionLevel.COUNTY]
    counts = list(
        opinions.order_by()
        .annotate(place=Substr("region__code", 1, length))
        .values("place")
        .annotate(
            collected=Count("pk"),
            **{step: Count("pk", filter=condition) for step, condition in STEPS.items()},
        )
        .order_by("place")
    )
    labels = place_labels((c["place"] for c in counts), length)
    counties = []
    for c in counts:
        code = c.pop("place")
        # The province's own line (本级) has no county to open.
        key = code if len(code) == length else ""
        counties.append(CycleRow(labels.get(code, code), key, summarised=None, **c))
    total = CycleRow("合计", summarised=None)
    for row in counties:
        for step in ("collected", *STEPS):
            setattr(total, step, getattr(total, step) + getattr(row, step))
    return Cycle(month=month, total=total, counties=counties)
