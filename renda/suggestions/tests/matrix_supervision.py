"""Authorization matrix entries for the supervision pages.

Notices: every signed-in user has a page of their own notices. Marking one
read: only its owner; the notice is made for the `unit` user (县交通运输局),
so everyone else, the superuser included, gets 404. The supervision board:
office staff (within their region) and unit accounts (their own deadlines);
deputies, liaison officers and the public are refused (403).

Joint inspections: office staff only. The record is 青山镇's (w.session):
the other township gets 404 for it and for its session on the record form;
everyone else but office staff is refused (403)."""

from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.models import Notification
from renda.tests.matrix import OFFICE, OK, SIGNED_IN, Case

# Office staff over 青山镇: its own township, the county and the administrator.
MANAGERS = {"county": OK, "township": OK, "admin": OK}


def unit_notice(w):
    notice = Notification.objects.create(
        user=w.user("unit"),
        suggestion=w.suggestion,
        deadline=w.suggestion.deadlines.get(kind="reply"),
        kind="due_soon",
        text=f"答复期限即将届满：{w.suggestion.title}",
    )
    return {"pk": notice.pk}


def inspection(w):
    return services.joint_inspection_record(
        actor=w.user("township"),
        session=w.session,
        held_on=timezone.localdate(),
        findings="查阅办理材料，县交通运输局已与代表面商，正在实施。",
        suggestions=[w.suggestion],
        deputies=[w.person],
        units=[w.county_unit],
    )


def inspection_edit(w):
    return {
        "held_on": timezone.localdate().isoformat(),
        "deputies": [w.person.pk, w.county_person.pk],
        "inspectors": "县人大常委会副主任李明",
        "units": [w.county_unit.pk],
        "findings": "查阅办理材料，县交通运输局已与代表面商，正在实施。",
        "requirements": "年底前完成修缮并书面报告",
    }


MATRIX = {
    "suggestions:notifications": Case(SIGNED_IN),
    "suggestions:notification_read": Case({"unit": OK}, kwargs=unit_notice, method="post"),
    "suggestions:overdue": Case({**OFFICE, "unit": OK, "other_unit": OK}),
    "suggestions:inspection_list": Case(OFFICE),
    "suggestions:inspection_create": Case(MANAGERS, data=lambda w: {"session": w.session.pk}),
    "suggestions:inspection_detail": Case(MANAGERS, kwargs=lambda w: {"pk": inspection(w).pk}),
    "suggestions:inspection_edit": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": inspection(w).pk},
        method="post",
        data=inspection_edit,
    ),
}
