"""Reads of the deputies registers that more than one caller uses."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import (
    Avg,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)

from renda.core.areas import within_places
from renda.core.permissions import can_manage_region
from renda.core.search import contains_text
from renda.core.text import TERM_NUMBERS
from renda.deputies.models import GroupMembership, Mandate, Person
from renda.duties.models import EvaluationEntry, RoundMethod, RoundStatus

SORTS = {
    "name": ("name_pinyin", "pk"),
    "-name": ("-name_pinyin", "-pk"),
    "age": ("-birth_date", "pk"),
    "-age": ("birth_date", "pk"),
    "township": ("region__code", "name_pinyin", "pk"),
}


def term_labels(mandates: QuerySet) -> list[str]:
    """The 届次 labels that `mandates` carry, newest term first.

    A province holds 100,000 mandates and a handful of labels; de-duplicating
    the label of every mandate in scope joined and read them all (19 ms at a
    fifth of a province, for one label). Here the distinct labels are walked
    in the term_label index (a recursive loose index scan, one step per
    label) and each is kept when a mandate of `mandates` carries it: a lookup
    that stops at its first row.
    """
    table = Mandate._meta.db_table
    scoped, params = mandates.order_by().values("term_label").query.sql_with_params()
    with connections[mandates.db].cursor() as cursor:
        cursor.execute(
            # `scoped` is compiled by the ORM, its values are parameters.
            f"""WITH RECURSIVE labels(label) AS (
                  SELECT MIN(term_label) FROM {table}
                  UNION ALL
                  SELECT (SELECT MIN(term_label) FROM {table} WHERE term_label > label)
                  FROM labels WHERE label IS NOT NULL)
                SELECT label FROM labels
                WHERE label <> '' AND (
                  SELECT 1 FROM ({scoped}) scoped WHERE scoped.term_label = labels.label LIMIT 1
                ) IS NOT NULL""",  # noqa: S608
            params,
        )
        labels = [label for (label,) in cursor.fetchall()]
    return sorted(labels, key=lambda label: -TERM_NUMBERS.get(label, 0))


def person_search(queryset: QuerySet, text: str) -> QuerySet:
    """Match a name by characters, full pinyin or pinyin initials: 张, zhangsan, zs."""
    text = text.strip()
    if not text:
        return queryset
    key = text.lower().replace(" ", "")
    condition = contains_text(text, "name")
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
    people = within_places(people, filters)
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


def deputy_of(user) -> Person | None:
    """The deputy a signed-in user is (with their region), or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("region").first()


def can_read_private(user, person: Person) -> bool:
    """Roster managers of the person's region, and the deputy themself, see the
    private fields (birth date, mobile, the masked ID); everyone else sees the
    public fields only."""
    return can_manage_region(user, person.region) or (
        person.user_id is not None and person.user_id == user.pk
    )


@dataclass(frozen=True)
class PublishedEvaluation:
    """A deputy's result in an evaluation round whose results the office made
    public: the round's title and the average (stars 1-5 or a score 0-100)."""

    title: str
    value: Decimal
    in_stars: bool

    @property
    def star_text(self) -> str:
        filled = min(5, int(self.value + Decimal("0.5")))
        return "★" * filled + "☆" * (5 - filled)


def published_evaluations(person_ids) -> dict[int, PublishedEvaluation]:
    """{person pk: their latest published evaluation result} for the public
    board, in one query: from the closed, published round with the latest
    period in which they were evaluated. Voters' tallies weigh by the number
    of voters; peer ratings count one each. Only averages leave here, never
    an evaluator, a comment or an unpublished round."""
    weighted = ExpressionWrapper(
        F("value") * F("voters"), output_field=DecimalField(max_digits=12, decimal_places=1)
    )
    rows = (
        EvaluationEntry.objects.filter(
            subject_id__in=person_ids, round__status=RoundStatus.CLOSED, round__published=True
        )
        .values("subject_id", "round_id", "round__title", "round__method", "round__period_to")
        .annotate(average=Avg("value"), weighted=Sum(weighted), voters=Sum("voters"))
        .order_by("subject_id", "-round__period_to", "-round_id")
    )
    results = {}
    for row in rows:
        if row["subject_id"] in results:
            continue  # an older round
        if row["voters"]:
            value = Decimal(row["weighted"]) / row["voters"]
        else:
            value = Decimal(row["average"])
        results[row["subject_id"]] = PublishedEvaluation(
            title=row["round__title"],
            value=value.quantize(Decimal("0.1")),
            in_stars=row["round__method"] == RoundMethod.STARS,
        )
    return results
