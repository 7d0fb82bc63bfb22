"""Authorization matrix entries for the activities pages.

The world's activities: w.activity (青山镇, organised by w.group; 王春燕
present, 张三 absent) and w.other_activity (龙泉镇). Office staff managing
青山镇 and its liaison officer may change w.activity; deputies of 青山镇
may read it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.duties.models import ActivityAttachment
from renda.tests.matrix import OFFICE, OK, REGIONAL, Case, same_township_only

# Who records activities of 青山镇: its office staff, the county's, the
# superuser and the liaison officer of its station.
KEEPERS_HERE = {"county": OK, "township": OK, "admin": OK, "liaison": OK}
KEEPERS = {**OFFICE, "liaison": OK}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _activity(w):
    return {"pk": w.activity.pk}


def _activity_data(w):
    return {
        "kind": "survey",
        "title": "调研东河村产业发展",
        "held_on": timezone.localdate().isoformat(),
        "place": "东河村",
        "organiser": f"group:{w.group.pk}",
        "participants": [w.person.pk, w.county_person.pk],
        f"attendance_{w.person.pk}": "present",
        f"attendance_{w.county_person.pk}": "leave",
        f"reason_{w.county_person.pk}": "外出务工",
    }


def _attachment(w):
    # A record whose file is not on disk: readers get 410 Gone, everyone else 404.
    attachment = ActivityAttachment.objects.create(
        activity=w.activity,
        file="duties/matrix/none.png",
        name="签到表.png",
        content_type="image/png",
    )
    return {"pk": attachment.pk}


MATRIX = {
    "duties:activity_list": Case(KEEPERS),
    "duties:activity_create": Case(KEEPERS, method="post", data=_activity_data),
    "duties:activity_detail": Case(same_township_only(REGIONAL), kwargs=_activity),
    "duties:activity_update": Case(
        KEEPERS_HERE,
        method="post",
        kwargs=_activity,
        data=lambda w: {**_activity_data(w), "held_on": "2026-09-08", "kind": "inspection"},
    ),
    "duties:activity_delete": Case(KEEPERS_HERE, method="post", kwargs=_activity),
    "duties:activity_attendance": Case(
        KEEPERS_HERE,
        method="post",
        kwargs=lambda w: {"pk": w.activity.pk, "person_pk": w.county_person.pk},
        data=lambda w: {"attendance": "leave", "leave_reason": "住院治疗"},
    ),
    "duties:activity_attach": Case(
        KEEPERS_HERE,
        method="post",
        kwargs=_activity,
        data=lambda w: {"files": SimpleUploadedFile("签到表.png", PNG, content_type="image/png")},
    ),
    "duties:activity_attachment": Case(
        {role: 410 for role, v in same_township_only(REGIONAL).items() if v == OK},
        kwargs=_attachment,
    ),
}
