"""The one transition mechanism every workflow uses.

A workflow model declares its states as a `TextChoices` status field and a
`TRANSITIONS` table {from_state: {allowed to_states}}. Nothing but
`transition()` assigns the status: it checks the move against the table,
updates with compare-and-swap (so two clerks acting at once cannot both
win), and writes a `StateChange` row naming who, when, from, to and why.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from renda.core import clock
from renda.core.models import StateChange
from renda.core.params import nul_problem


class TransitionError(Exception):
    """A refused move; the message is shown to the user as it is."""


def _label(model, field: str, state: str) -> str:
    return dict(model._meta.get_field(field).choices).get(state, state)


def allowed_moves(obj, *, field: str = "status") -> set[str]:
    return set(type(obj).TRANSITIONS.get(getattr(obj, field), set()))


@transaction.atomic
def transition(
    obj,
    to_state: str,
    *,
    actor,
    comment: str = "",
    event: str = "",
    field: str = "status",
    at=None,
) -> StateChange:
    """Move `obj` to `to_state`, or raise TransitionError with a Chinese message."""
    model = type(obj)
    from_state = getattr(obj, field)
    if problem := nul_problem("说明", comment):
        raise TransitionError(problem)
    if to_state not in model.TRANSITIONS.get(from_state, set()):
        raise TransitionError(
            f"{model._meta.verbose_name}不能从“{_label(model, field, from_state)}”"
            f"变为“{_label(model, field, to_state)}”"
        )
    changed = model._default_manager.filter(pk=obj.pk, **{field: from_state}).update(
        **{field: to_state}
    )
    if changed != 1:
        raise TransitionError(f"该{model._meta.verbose_name}已被他人处理，请刷新页面后重试")
    setattr(obj, field, to_state)
    return StateChange.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=obj.pk,
        event=event or to_state,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        at=at or clock.now(),
        comment=comment,
    )


def note_event(
    obj, event: str, *, actor, comment: str = "", field: str = "status", at=None
) -> StateChange:
    """Record an event that does not move the status (consulted, urged,
    extended ...) in the same log, so one timeline shows everything. One
    INSERT, atomic by itself: the caller's transaction holds it with the
    change it records (a savepoint of its own cost two more round trips)."""
    state = getattr(obj, field)
    return StateChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        event=event,
        from_state=state,
        to_state=state,
        actor=actor,
        at=at or clock.now(),
        comment=comment,
    )


def timeline(obj, *, field: str = "status") -> list[StateChange]:
    """The record's workflow moves, oldest first, each with `from_label` and
    `to_label` in the workflow's own words."""
    model = type(obj)
    changes = list(
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    for change in changes:
        change.from_label = _label(model, field, change.from_state)
        change.to_label = _label(model, field, change.to_state)
    return changes
