"""Writes to the deputies registers. Each service owns its transaction and
history; views and imports call these, never .save() directly."""

from django.core.exceptions import ValidationError
from django.db import transaction

from renda.core.services import audit_record
from renda.deputies.models import Group, GroupMembership, Mandate, MemberRole, Person
from renda.deputies.names import pinyin_keys


@transaction.atomic
def person_save(*, person: Person, actor) -> Person:
    """Create or update a deputy, refreshing the name's pinyin search keys."""
    person.name_pinyin, person.name_initials = pinyin_keys(person.name)
    person._history_user = actor
    person.full_clean(exclude=["photo"])
    person.save()
    return person


@transaction.atomic
def group_add_member(
    *, group: Group, person: Person, role: str = MemberRole.MEMBER
) -> GroupMembership:
    """Put a deputy in a group, moving them out of any other group of the same
    kind (a deputy is in one area group and one topic group at most)."""
    GroupMembership.objects.filter(person=person, group_kind=group.kind).exclude(
        group=group
    ).delete()
    membership, _ = GroupMembership.objects.update_or_create(
        group=group, person=person, defaults={"group_kind": group.kind, "role": role}
    )
    return membership


@transaction.atomic
def mandate_add(*, mandate: Mandate, actor) -> Mandate:
    """Record a mandate (level, term, constituency) of a deputy."""
    mandate._history_user = actor
    mandate.full_clean()
    mandate.save()
    return mandate


@transaction.atomic
def mandate_end(*, mandate: Mandate, ended_on, end_reason: str, actor) -> Mandate:
    """End a mandate (term ended, resigned, recalled, died ...); never deleted."""
    if mandate.ended_on is not None:
        raise ValidationError("该代表职务已终止")
    if ended_on < mandate.elected_on:
        raise ValidationError({"ended_on": "终止日期不能早于当选日期"})
    mandate.ended_on = ended_on
    mandate.end_reason = end_reason
    mandate._history_user = actor
    mandate.save(update_fields=["ended_on", "end_reason"])
    return mandate


@transaction.atomic
def group_save(*, group: Group, actor) -> Group:
    group._history_user = actor
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_remove_member(*, group: Group, person: Person) -> None:
    GroupMembership.objects.filter(group=group, person=person).delete()


def id_number_reveal(*, person: Person, actor, ip_address=None) -> str:
    """The full ID number, for a roster manager who asked for it explicitly;
    every reveal is written to the audit log."""
    audit_record(
        actor=actor,
        action="reveal_id_number",
        record=person,
        detail={"name": person.name},
        ip_address=ip_address,
    )
    return person.id_number or ""
