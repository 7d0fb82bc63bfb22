"""Writes to the deputies registers. Each service owns its transaction and
history; views and imports call these, never .save() directly."""

from django.db import transaction

from renda.deputies.models import Group, GroupMembership, MemberRole, Person
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
