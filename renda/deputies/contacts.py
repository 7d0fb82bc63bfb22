"""Reads for contact links (联系关系) and their yearly requirements.

For a year, each linker's links of each kind are counted (links active on
the year's reference date, visits made during the year) and checked against
the rule sets in force for the linker's township on that date: leaders link
3-5 deputies (双联一诺), deputies meet voters at least twice a year, pair with
3-5 households, and so on. The numbers are rule rows with a cited source,
never literals here; a requirement with no rule in force is not checked.

Who sees what: office staff and liaison officers read every linker in their
scope (`visible_to`); a deputy reads only their own links. Private phone
numbers of contact targets are shown in full only to office staff who
manage the linker's region and to the linker themself.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from renda.core.models import Region, Role, Rule
from renda.core.params import as_year
from renda.core.permissions import can_manage_region
from renda.core.rules import rules_in_force
from renda.core.text import mask_middle
from renda.deputies.models import ContactKind, ContactLink, ContactVisit, Person
from renda.deputies.selectors import person_search

# Kinds whose object is another deputy; the others link people by name.
DEPUTY_KINDS = (ContactKind.LEADER_DEPUTY, ContactKind.PRESIDIUM_DEPUTY)
# What a deputy records for themself; leaders' links are kept by the office.
DEPUTY_OWN_KINDS = (
    ContactKind.DEPUTY_VOTER,
    ContactKind.DEPUTY_HOUSEHOLD,
    ContactKind.DEPUTY_TARGET,
)


@dataclass(frozen=True)
class Requirement:
    key: str  # the Rule key holding the number
    measure: str  # "links" (active links on the reference date) or "visits" (in the year)
    bound: str  # "min" or "max"
    label: str  # with {n} for the rule's number


REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    ContactKind.LEADER_DEPUTY: (
        Requirement("contacts.leader_deputy.links_min", "links", "min", "联系代表不少于 {n} 名"),
        Requirement("contacts.leader_deputy.links_max", "links", "max", "联系代表不超过 {n} 名"),
    ),
    ContactKind.PRESIDIUM_DEPUTY: (
        Requirement("contacts.presidium_deputy.links_min", "links", "min", "联系代表不少于 {n} 名"),
    ),
    ContactKind.DEPUTY_VOTER: (
        Requirement(
            "contacts.deputy_voter.visits_per_year_min",
            "visits",
            "min",
            "全年联系选民不少于 {n} 次",
        ),
    ),
    ContactKind.DEPUTY_HOUSEHOLD: (
        Requirement("contacts.deputy_household.links_min", "links", "min", "结对帮扶不少于 {n} 户"),
        Requirement("contacts.deputy_household.links_max", "links", "max", "结对帮扶不超过 {n} 户"),
    ),
    ContactKind.DEPUTY_TARGET: (
        Requirement(
            "contacts.deputy_target.visits_per_year_min",
            "visits",
            "min",
            "全年联系五联系对象不少于 {n} 次",
        ),
    ),
}
REQUIREMENT_KEYS = [req.key for reqs in REQUIREMENTS.values() for req in reqs]


# --- dates ----------------------------------------------------------------------


def reference_date(year: int) -> datetime.date:
    """The day a year is judged on: 31 December, or today while the year runs."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def year_choices(selected: int | None = None) -> list[int]:
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - 6, -1))
    if selected and selected not in years:
        years.append(selected)
    return sorted(years, reverse=True)


def parse_year(value) -> int:
    """A year from a query string; the current year when missing or absurd."""
    this_year = timezone.localdate().year
    return as_year(value, latest=this_year + 1) or this_year


def _overlapping(year: int, prefix: str = "") -> Q:
    """Links that were in force at some point of the year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(**{f"{prefix}started_on__lte": end}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": start})
    )


def _active_on(on: datetime.date) -> Q:
    return Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))


# --- who sees what -----------------------------------------------------------------


def _is_deputy_account(user) -> bool:
    return not user.is_superuser and user.role == Role.DEPUTY


def linkers_visible_to(user):
    """People whose contact links the user may read: everyone in scope, or a
    deputy's own Person only."""
    people = Person.objects.visible_to(user)
    if _is_deputy_account(user):
        people = people.filter(user=user)
    return people


def contact_links_visible_to(user):
    links = ContactLink.objects.visible_to(user)
    if _is_deputy_account(user):
        links = links.filter(linker__user=user)
    return links


def can_manage_contacts(user, person: Person) -> bool:
    """Office staff who manage the linker's region, or the linker themself."""
    if can_manage_region(user, person.region):
        return True
    return user.is_authenticated and person.user_id is not None and person.user_id == user.pk


def can_see_private_phone(user, person: Person) -> bool:
    """A target's phone is private: the same people who keep the links see it."""
    return can_manage_contacts(user, person)


def shown_phone(phone: str, visible: bool) -> str:
    return phone if visible else mask_middle(phone, 3, 4)


# --- rules ---------------------------------------------------------------------------


def _rule_number(rule: Rule) -> int | None:
    value = rule.value
    if isinstance(value, dict):
        value = value.get("value")
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the yearly summary ----------------------------------------------------------------


@dataclass
class Check:
    label: str
    required: int
    actual: int
    met: bool
    source: str
    jurisdiction: str
    effective_from: datetime.date


@dataclass
class KindSummary:
    kind: str
    links: int
    visits: int
    checks: list[Check] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return ContactKind(self.kind).label

    @property
    def met(self) -> bool | None:
        """None when no rule is in force for this kind."""
        return all(check.met for check in self.checks) if self.checks else None


@dataclass
class LinkerSummary:
    person: Person
    kinds: list[KindSummary]

    @property
    def met(self) -> bool | None:
        results = [kind.met for kind in self.kinds if kind.met is not None]
        return all(results) if results else None


def _checks(kind: str, links: int, visits: int, region: Region, rules) -> list[Check]:
    checks = []
    for requirement in REQUIREMENTS.get(kind, ()):
        rule = rules.get((region.pk, requirement.key))
        number = _rule_number(rule) if rule is not None else None
        if number is None:
            continue
        actual = links if requirement.measure == "links" else visits
        met = actual >= number if requirement.bound == "min" else actual <= number
        checks.append(
            Check(
                label=requirement.label.format(n=number),
                required=number,
                actual=actual,
                met=met,
                source=rule.source,
                jurisdiction=rule.jurisdiction,
                effective_from=rule.effective_from,
            )
        )
    return checks


def contact_summaries(people, year: int, *, kind: str = "", links=None) -> list[LinkerSummary]:
    """Per person and kind, links active on the reference date, visits in the
    year and the checks against the rules: two queries whatever the number of
    people. `people` must have their region loaded; `links` narrows the links
    counted (defaults to the links of `people`)."""
    people = list(people)
    on = reference_date(year)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if links is None:
        links = ContactLink.objects.filter(linker__in=[person.pk for person in people])
    links = links.filter(_overlapping(year))
    if kind:
        links = links.filter(kind=kind)
    counts = (
        links.values("linker_id", "kind")
        .annotate(
            n_links=Count("pk", filter=_active_on(on), distinct=True),
            n_visits=Count("visits", filter=Q(visits__visited_on__range=(start, end))),
        )
        .order_by()
    )
    by_person: dict[int, list[dict]] = {}
    for row in counts:
        by_person.setdefault(row["linker_id"], []).append(row)
    rules = rules_in_force(REQUIREMENT_KEYS, {p.region for p in people}, on) if people else {}
    order = {value: index for index, value in enumerate(ContactKind.values)}
    summaries = []
    for person in people:
        rows = sorted(by_person.get(person.pk, []), key=lambda row: order[row["kind"]])
        kinds = [
            KindSummary(
                kind=row["kind"],
                links=row["n_links"],
                visits=row["n_visits"],
                checks=_checks(row["kind"], row["n_links"], row["n_visits"], person.region, rules),
            )
            for row in rows
        ]
        summaries.append(LinkerSummary(person=person, kinds=kinds))
    return summaries


def overview_people(user, year: int, *, kind: str = "", township: Region | None = None, q=""):
    """Linkers for the overview: those with links in force during the year
    (of one kind if given); a name search also finds people with no links
    yet, so the office can open their page and add the first one."""
    people = linkers_visible_to(user).select_related("region")
    if township is not None:
        people = people.filter(region__code__startswith=township.code)
    if q:
        people = person_search(people, q)
    else:
        in_year = ContactLink.objects.filter(_overlapping(year), linker=OuterRef("pk"))
        if kind:
            in_year = in_year.filter(kind=kind)
        people = people.filter(Exists(in_year))
    return people.order_by("region__code", "name_pinyin", "pk")


# --- one linker's year (the linker page and the register card) ------------------------


@dataclass
class LinkerYear:
    person: Person
    year: int
    summary: LinkerSummary
    links: list[ContactLink]  # in force during the year, each with .visits_in_year
    visits: list[ContactVisit]  # made during the year, each with its link
    visits_by_year: list[tuple[int, int]]  # (year, number of visits), latest first


def linker_year(person: Person, year: int, *, all_links: bool = False) -> LinkerYear:
    """Everything the linker page and the 代表联系选民登记卡 show for one year.
    `all_links` also lists links that ended before the year or start after it."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    links = person.links_made.select_related("deputy").annotate(
        visits_in_year=Count("visits", filter=Q(visits__visited_on__range=(start, end)))
    )
    if not all_links:
        links = links.filter(_overlapping(year))
    links = list(links.order_by("started_on", "pk"))
    order = {value: index for index, value in enumerate(ContactKind.values)}
    links.sort(key=lambda link: (order[link.kind], link.ended_on is not None, link.started_on))
    visits = list(
        ContactVisit.objects.filter(link__linker=person, visited_on__range=(start, end))
        .select_related("link__deputy")
        .order_by("visited_on", "pk")
    )
    by_year = list(
        ContactVisit.objects.filter(link__linker=person)
        .annotate(year=ExtractYear("visited_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
        .values_list("year", "n")
    )
    (summary,) = contact_summaries([person], year)
    return LinkerYear(
        person=person,
        year=year,
        summary=summary,
        links=links,
        visits=visits,
        visits_by_year=by_year,
    )


def link_object(link: ContactLink) -> str:
    """Who the link is to: the deputy, or the named target."""
    return link.deputy.name if link.deputy_id else link.target_name
