"""Authorization matrix entries for the deputies contact pages.

Every page is about w.person (王春燕 of 青山镇), who is the `deputy` user's
own Person, so the deputy is allowed, the other township gets 404, and
liaison officers may read but not write."""

import datetime

from django.utils import timezone

from renda.tests.matrix import REGIONAL, Case, same_township_only

READ = same_township_only(REGIONAL)
# Office staff of the region and the linker themself; liaison officers read only.
WRITE = {**READ, "liaison": 403}


def _yesterday():
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


MATRIX = {
    "deputies:contact_list": Case(REGIONAL),
    "deputies:contact_list_xlsx": Case(REGIONAL),
    "deputies:contact_person": Case(READ, kwargs=lambda w: {"pk": w.person.pk}),
    "deputies:contact_card": Case(READ, kwargs=lambda w: {"pk": w.person.pk, "year": 2026}),
    "deputies:contact_card_xlsx": Case(READ, kwargs=lambda w: {"pk": w.person.pk, "year": 2026}),
    "deputies:contact_link_create": Case(
        WRITE,
        kwargs=lambda w: {"pk": w.person.pk},
        method="post",
        data=lambda w: {
            "kind": "deputy_voter",
            "target_name": "钱大妈",
            "target_category": "voter",
            "started_on": _yesterday(),
        },
    ),
    "deputies:contact_visit_create": Case(
        WRITE,
        kwargs=lambda w: {"pk": w.link.pk},
        method="post",
        data=lambda w: {"visited_on": _yesterday(), "method": "走访", "summary": "了解生活情况"},
    ),
    "deputies:contact_link_end": Case(
        WRITE,
        kwargs=lambda w: {"pk": w.link.pk},
        method="post",
        data=lambda w: {"ended_on": _yesterday()},
    ),
}
