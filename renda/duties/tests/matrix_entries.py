"""Authorization matrix entries for duty records, deputies' own entries,
their checking and spot checks.

The world's entries: w.entry (王春燕's own entry, pending; her `deputy`
user entered it) and w.other_entry (龙泉镇's 李四); w.spot_check (青山镇,
drawn by its township staff). Checking is for office staff managing
青山镇; a deputy sees only their own records."""

from django.utils import timezone

from renda.duties import services
from renda.duties.models import DutyRecord
from renda.tests.matrix import OFFICE, OK, REGIONAL, Case, same_township_only

# Office staff managing 青山镇 (and the superuser).
STAFF_HERE = {"county": OK, "township": OK, "admin": OK}
WRITERS = {**OFFICE, "deputy": OK}


def _entry(w):
    return {"pk": w.entry.pk}


def _returned(w):
    services.entry_return(record=w.entry, actor=w.user("township"), reason="请补充现场照片")
    return {"pk": w.entry.pk}


def _with_photo(w):
    # A record whose photo is not on disk: readers get 410 Gone, everyone else 404.
    DutyRecord.objects.filter(pk=w.entry.pk).update(photo="duties/matrix/none.jpg")
    return {"pk": w.entry.pk}


def _entry_data(w):
    return {
        "person": w.person.pk,
        "kind": "household_visit",
        "occurred_on": timezone.localdate().isoformat(),
        "title": "走访东河村独居老人",
        "note": "了解冬季用电取暖情况。",
    }


def _item(w):
    return {"pk": w.spot_check.items.order_by("pk").first().pk}


MATRIX = {
    "duties:my_records": Case({"deputy": OK, "admin": OK}),
    "duties:record_detail": Case(same_township_only(REGIONAL), kwargs=_entry),
    "duties:record_photo": Case(
        {role: 410 for role, v in same_township_only(REGIONAL).items() if v == OK},
        kwargs=_with_photo,
    ),
    "duties:entry_create": Case(WRITERS, method="post", data=_entry_data),
    "duties:entry_resubmit": Case(
        {**STAFF_HERE, "deputy": OK}, method="post", kwargs=_returned, data=_entry_data
    ),
    "duties:entry_queue": Case(OFFICE),
    "duties:entry_verify": Case(STAFF_HERE, method="post", kwargs=_entry),
    "duties:entry_return": Case(
        STAFF_HERE, method="post", kwargs=_entry, data=lambda w: {"reason": "日期与照片不符"}
    ),
    "duties:spot_check_list": Case(OFFICE),
    "duties:spot_check_create": Case(
        OFFICE,
        method="post",
        data=lambda w: {
            "region": w.township.pk,
            "period_from": "2026-10-01",
            "period_to": "2026-10-31",
            "share_percent": 50,
        },
    ),
    "duties:spot_check_detail": Case(STAFF_HERE, kwargs=lambda w: {"pk": w.spot_check.pk}),
    "duties:spot_check_conclude": Case(
        STAFF_HERE,
        method="post",
        kwargs=_item,
        data=lambda w: {"outcome": "not_confirmed", "comment": "电话回访当事人，未发生"},
    ),
}
