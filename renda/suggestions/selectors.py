"""Reads of motions and suggestions that more than one caller uses: a
handling unit's items and the workspace's filters, a deputy's own items,
the items whose replies are published.
The unit's workspace, the API and the dashboard's to-dos read the same rows
through these, so that a count and the page it links to agree."""

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery

from renda.suggestions.models import OPEN_DEADLINE_STATES, Assignment, Deadline, Status, Suggestion


def _open_deadlines(unit_id):
    return (
        Deadline.objects.filter(
            state__in=OPEN_DEADLINE_STATES,
            assignment__unit_id=unit_id,
            assignment__active=True,
        )
        .select_related("rule")
        .order_by("due_on")
    )


def unit_filter(items, show: str, unit_id: int):
    mine = Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=unit_id, active=True)
    if show == "sign":
        return items.filter(Exists(mine.filter(signed_at__isnull=True)))
    if show == "handling":
        return items.filter(
            Exists(mine.filter(signed_at__isnull=False)),
            status__in=[Status.HANDLING, Status.REHANDLING],
        )
    if show == "replied":
        return items.filter(status__in=[Status.REPLIED, Status.COMMITTED, Status.CLOSED])
    return items


def unit_items(user, unit_id: int):
    """The unit's items (visible_to), each with `next_due`, its open
    deadlines of this unit (`my_deadlines`) and this unit's active
    assignments (`my_assignments`), what is due next first."""
    next_due = (
        _open_deadlines(unit_id).filter(suggestion=OuterRef("pk")).order_by("due_on")
    ).values("due_on")[:1]
    return (
        Suggestion.objects.visible_to(user)
        .annotate(next_due=Subquery(next_due))
        .select_related("congress", "category")
        .prefetch_related(
            Prefetch("deadlines", queryset=_open_deadlines(unit_id), to_attr="my_deadlines"),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(unit_id=unit_id, active=True),
                to_attr="my_assignments",
            ),
        )
        .order_by(F("next_due").asc(nulls_last=True), "-submitted_at", "-pk")
    )


def my_items(user, person):
    """Items the deputy authored or co-signed, drafts included."""
    return Suggestion.objects.visible_to(user).filter(authorships__person=person)


def published_items():
    """What the public may read: items whose replies the office published
    (the public list, its detail pages and the public home page)."""
    return Suggestion.objects.filter(published=True)
