"""Reads of the deputies registers that more than one caller uses."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from renda.core.permissions import can_manage_region
from renda.deputies.models import GroupMembership, Mandate, Person

SORTS = {
    "name": ("name_pinyin", "pk"),
    "-name": ("-name_pinyin", "-pk"),
    "age": ("-birth_date", "pk"),
    "-age": ("birth_date", "pk"),
    "township": ("region__code", "name_pinyin", "pk"),
}


def person_search(queryset: QuerySet, text: str) -> QuerySet:
    """Match a name by characters, full pinyin or pinyin initials: 张, zhangsan, zs."""
    text = text.strip()
    if not text:
        return queryset
    key = text.lower().replace(" ", "")
    condition = Q(name__contains=text)
    if key.isascii() and key.isalpha():
        condition |= Q(name_pinyin__startswith=key) | Q(name_initials__startswith=key)
    return queryset.filter(condition)


def roster(user, *, filters: dict, sort: str = "name") -> QuerySet:
    """The roster a user may read, filtered and sorted, ready for a list page
    or an export: a constant number of queries however many rows it has."""
    people = Person.objects.visible_to(user).select_related("region")
    people = person_search(people, filters.get("q", ""))
    mandate_filter = Q(person=OuterRef("pk"), ended_on__isnull=True)
    if filters.get("level"):
        mandate_filter &= Q(level=filters["level"])
    if filters.get("term"):
        mandate_filter &= Q(term_label=filters["term"])
    people = people.filter(Exists(Mandate.objects.filter(mandate_filter)))
    if filters.get("township"):
        people = people.filter(region__code__startswith=filters["township"])
    if filters.get("group"):
        people = people.filter(memberships__group_id=filters["group"])
    if filters.get("station"):
        people = people.filter(stations__id=filters["station"])
    for field in ("party", "gender", "occupation"):
        if filters.get(field):
            people = people.filter(**{field: filters[field]})
    return people.order_by(*SORTS.get(sort, SORTS["name"])).prefetch_related(
        Prefetch(
            "mandates",
            queryset=Mandate.objects.filter(ended_on__isnull=True).select_related("constituency"),
            to_attr="current_mandates",
        ),
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.select_related("group"),
            to_attr="group_memberships",
        ),
    )


def can_read_private(user, person: Person) -> bool:
    """Roster managers of the person's region, and the deputy themself, see the
    private fields (birth date, mobile, the masked ID); everyone else sees the
    public fields only."""
    return can_manage_region(user, person.region) or (
        person.user_id is not None and person.user_id == user.pk
    )
