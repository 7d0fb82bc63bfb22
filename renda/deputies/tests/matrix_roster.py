"""Authorization matrix entries for the roster, groups and the public board."""

from renda.tests.matrix import EVERYONE, OK, REGIONAL, Case, same_township_only

MANAGERS = {"county": OK, "township": OK, "admin": OK}
# Deputies and liaison officers read the roster (public fields of others).
READERS = same_township_only(REGIONAL)

MATRIX = {
    "deputies:list": Case(REGIONAL),
    "deputies:print": Case(REGIONAL),
    "deputies:create": Case({**MANAGERS, "other_township": OK}),
    "deputies:detail": Case(READERS, kwargs=lambda w: {"pk": w.person.pk}),
    "deputies:edit": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403}, kwargs=lambda w: {"pk": w.person.pk}
    ),
    "deputies:reveal_id": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403},
        kwargs=lambda w: {"pk": w.person.pk},
        method="post",
    ),
    # A photo is public where the deputy holds a current mandate (the board shows it).
    "deputies:photo": Case(dict.fromkeys(EVERYONE, 404), kwargs=lambda w: {"pk": w.person.pk}),
    "deputies:mandate_add": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403}, kwargs=lambda w: {"pk": w.person.pk}
    ),
    "deputies:mandate_end": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403},
        kwargs=lambda w: {"pk": w.person.mandates.first().pk},
        method="post",
        data=lambda w: {"ended_on": "2026-06-30", "end_reason": "resigned"},
    ),
    "deputies:group_list": Case(REGIONAL),
    "deputies:group_create": Case({**MANAGERS, "other_township": OK}),
    "deputies:group_detail": Case(READERS, kwargs=lambda w: {"pk": w.group.pk}),
    "deputies:group_edit": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403}, kwargs=lambda w: {"pk": w.group.pk}
    ),
    "deputies:group_member_add": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403},
        kwargs=lambda w: {"pk": w.group.pk},
        method="post",
        data=lambda w: {"person": w.person.pk, "role": "member"},
    ),
    "deputies:group_member_remove": Case(
        {**MANAGERS, "deputy": 403, "liaison": 403},
        kwargs=lambda w: {"pk": w.group.pk, "person_pk": w.county_person.pk},
        method="post",
    ),
    "deputies:disclosure_index": Case(EVERYONE),
    "deputies:disclosure": Case(EVERYONE, kwargs=lambda w: {"pk": w.constituency.pk}),
    "deputies:disclosure_pdf": Case(EVERYONE, kwargs=lambda w: {"pk": w.constituency.pk}),
    # --- REST API
    "api:deputy-list": Case({**REGIONAL}, api=True),
    "api:deputy-detail": Case(READERS, kwargs=lambda w: {"pk": w.person.pk}, api=True),
    "api:mandate-list": Case({**REGIONAL}, api=True),
    "api:mandate-detail": Case(
        READERS, kwargs=lambda w: {"pk": w.person.mandates.first().pk}, api=True
    ),
    "api:group-list": Case({**REGIONAL}, api=True),
    "api:group-detail": Case(READERS, kwargs=lambda w: {"pk": w.group.pk}, api=True),
    "api:station-list": Case({**REGIONAL}, api=True),
    "api:station-detail": Case(READERS, kwargs=lambda w: {"pk": w.station.pk}, api=True),
}
