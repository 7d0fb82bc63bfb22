"""Authorization matrix entries for the handling unit's workspace, the
deputy's own pages and their API.

Unit pages: the `unit` user (县交通运输局, lead unit of w.suggestion) is
allowed; `other_unit` gets 404 (it never learns the item exists); every other
role is refused by role (403), the superuser too, since it belongs to no
unit. Deputy pages: only the `deputy` user (王春燕, author of w.suggestion
and w.draft)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.tests.helpers import submitted_item
from renda.tests.matrix import OK, Case

UNIT = {"unit": OK, "other_unit": 404}
UNIT_LIST = {"unit": OK, "other_unit": OK}
DEPUTY = {"deputy": OK}


def lead_assignment(w):
    return w.suggestion.assignments.get(role="lead", active=True)


def fresh_assignment(w, *, co: bool = False):
    """A new item of 青山镇 assigned to 县交通运输局 and not yet signed: as
    lead, or (co=True) as co-unit beside 青山镇农业服务中心."""
    clerk = w.user("township")
    item = submitted_item(w, title="关于东河村桥梁维修的建议")
    services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    if co:
        services.suggestion_assign(
            suggestion=item, actor=clerk, lead_unit=w.township_unit, co_units=[w.county_unit]
        )
        return item.assignments.get(unit=w.county_unit)
    return services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=w.county_unit)


def reply_to(w):
    return services.reply_submit(
        suggestion=w.suggestion,
        unit=w.county_unit,
        actor=w.user("unit"),
        reply_class="A",
        text="已列入今年农村公路养护计划，十月底前完成。",
        signed_by="孙立军",
        replied_on=timezone.localdate(),
    )


def reply_deadline(w):
    return w.suggestion.deadlines.get(kind="reply")


def upload():
    return SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")


def draft_data(w):
    return {
        "congress": w.township_congress.pk,
        "occasion": "interim",
        "kind": "suggestion",
        "category": w.category.pk,
        "title": "关于东河村增设路灯的建议",
        "body": "东河村主干道夜间无照明，建议增设路灯。",
        "action": "submit",
    }


REPLY_DATA = {
    "reply_class": "A",
    "text": "已列入今年养护计划。",
    "signed_by": "孙立军",
}

MATRIX = {
    # --- the handling unit's workspace
    "suggestions:unit_list": Case(UNIT_LIST),
    "suggestions:unit_detail": Case(UNIT, kwargs=lambda w: {"pk": w.suggestion.pk}),
    "suggestions:unit_sign": Case(
        UNIT, kwargs=lambda w: {"pk": fresh_assignment(w).pk}, method="post"
    ),
    "suggestions:unit_return": Case(
        UNIT,
        kwargs=lambda w: {"pk": fresh_assignment(w).pk},
        method="post",
        data=lambda w: {"reason": "道路养护属镇政府职责，建议交青山镇人民政府办理"},
    ),
    "suggestions:unit_consult": Case(
        UNIT,
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {
            "step": "consult",
            "held_on": timezone.localdate().isoformat(),
            "way": "face",
            "content": "与王春燕代表当面商定维修方案",
            "deputy_view": "同意",
        },
    ),
    "suggestions:unit_reply": Case(
        UNIT,
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {**REPLY_DATA, "replied_on": timezone.localdate().isoformat()},
    ),
    "suggestions:unit_co_opinion": Case(
        UNIT,
        kwargs=lambda w: {"pk": fresh_assignment(w, co=True).pk},
        method="post",
        data=lambda w: {"opinion": "同意主办单位方案，本局负责桥梁检测"},
    ),
    "suggestions:unit_extension": Case(
        UNIT,
        kwargs=lambda w: {"pk": reply_deadline(w).pk},
        method="post",
        data=lambda w: {
            "requested_until": (reply_deadline(w).due_on + datetime.timedelta(days=60)).isoformat(),
            "reason": "涉及跨年度资金安排",
        },
    ),
    "suggestions:unit_attach": Case(
        UNIT,
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {"file": upload()},
    ),
    # The download answers the unit handling the item and its authors; the
    # attachment is added by the kwargs below.
    "suggestions:workspace_attachment": Case(
        {**UNIT, "deputy": OK},
        kwargs=lambda w: {
            "pk": services_attachment(w).pk,
        },
    ),
    # --- the deputy's own pages
    "suggestions:my_list": Case(DEPUTY),
    "suggestions:my_create": Case(DEPUTY, method="post", data=draft_data),
    "suggestions:my_detail": Case(DEPUTY, kwargs=lambda w: {"pk": w.suggestion.pk}),
    "suggestions:my_edit": Case(DEPUTY, kwargs=lambda w: {"pk": w.draft.pk}),
    "suggestions:my_submit": Case(DEPUTY, kwargs=lambda w: {"pk": w.draft.pk}, method="post"),
    "suggestions:my_withdraw": Case(
        DEPUTY,
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {"reason": "问题已由村里自行解决"},
    ),
    "suggestions:evaluate": Case(
        DEPUTY,
        kwargs=lambda w: {"pk": reply_to(w).pk},
        method="post",
        data=lambda w: {"rating": "satisfied", "comment": ""},
    ),
    # --- REST API (registered by renda.suggestions.api.register)
    "api:suggestion-list": Case(DEPUTY, api=True),
    "api:suggestion-detail": Case(DEPUTY, kwargs=lambda w: {"pk": w.suggestion.pk}, api=True),
    "api:suggestion-submit": Case(
        DEPUTY, kwargs=lambda w: {"pk": w.draft.pk}, method="post", api=True
    ),
    # Created: the matrix's OK for a POST means 200 or a redirect.
    "api:suggestion-evaluate": Case(
        {"deputy": 201},
        kwargs=lambda w: {"pk": reply_to(w).suggestion_id},
        method="post",
        data=lambda w: {"rating": "basically"},
        api=True,
    ),
    "api:unit-suggestion-list": Case(UNIT_LIST, api=True),
    "api:unit-suggestion-detail": Case(UNIT, kwargs=lambda w: {"pk": w.suggestion.pk}, api=True),
    "api:unit-suggestion-sign": Case(
        UNIT, kwargs=lambda w: {"pk": fresh_assignment(w).suggestion_id}, method="post", api=True
    ),
    "api:unit-suggestion-return": Case(
        UNIT,
        kwargs=lambda w: {"pk": fresh_assignment(w).suggestion_id},
        method="post",
        data=lambda w: {"reason": "不属于本单位职责"},
        api=True,
    ),
    "api:unit-suggestion-reply": Case(
        {**UNIT, "unit": 201},
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {**REPLY_DATA, "replied_on": timezone.localdate().isoformat()},
        api=True,
    ),
}


def services_attachment(w):
    from renda.suggestions.views.workspace import _attachment_add

    return _attachment_add(suggestion=w.suggestion, upload=upload(), actor=w.user("unit"))
