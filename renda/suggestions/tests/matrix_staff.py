"""Authorization matrix entries for the suggestions staff pages.

w.suggestion is 青山镇's item, assigned to the county transport bureau (the
`unit` user) and signed: the other township gets 404 and the other unit
404. Entries needing an item in another state build it in `kwargs`; POST
entries send data that really succeeds for the allowed roles (each request
gets a fresh world)."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.models import Attachment, RoutingRule
from renda.suggestions.tests.helpers import submitted_item
from renda.tests.matrix import OFFICE, OK, REGIONAL, Case, same_township_only

# Office staff over 青山镇: its own township, the county and the administrator.
MANAGERS = {"county": OK, "township": OK, "admin": OK}
READERS = {**same_township_only(REGIONAL), "unit": OK}


def accepted_item(w):
    item = submitted_item(w, title="关于整治青山镇集镇环境卫生的建议")
    return services.suggestion_accept(
        suggestion=item, actor=w.user("township"), final_kind="suggestion"
    )


def paper_draft(w):
    return services.suggestion_draft(
        entered_by=w.user("township"),
        congress=w.township_congress,
        occasion="interim",
        title="关于增设青山镇公交站台的建议",
        body="建议在青山镇中学门口增设公交站台。",
        lead=w.person,
        from_paper=True,
    )


def replied(w, reply_class="A"):
    return services.reply_submit(
        suggestion=w.suggestion,
        unit=w.county_unit,
        actor=w.user("unit"),
        reply_class=reply_class,
        text="已列入今年农村公路养护计划。",
        commitment="" if reply_class == "A" else "年底前完成修缮",
        signed_by="孙局长",
        replied_on=timezone.localdate(),
    )


def committed(w):
    reply = replied(w, "B")
    for person in (w.person, w.county_person):
        services.evaluation_record(
            reply=reply, person=person, actor=w.user("township"), rating="basically"
        )
    return w.suggestion


def extension(w):
    deadline = w.suggestion.deadlines.get(kind="reply")
    return services.extension_request(
        deadline=deadline,
        unit=w.county_unit,
        actor=w.user("unit"),
        requested_until=deadline.due_on + datetime.timedelta(days=30),
        reason="需待年度预算批复",
    )


def route(w):
    return RoutingRule.objects.create(
        category=w.category, region=w.township, lead_unit=w.county_unit
    )


def attachment(w):
    # One small file kept in MEDIA_ROOT for every run, so downloads really answer.
    name = "suggestions/matrix/scan.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4\n% matrix\n"))
    return Attachment.objects.create(
        suggestion=w.suggestion, file=name, name="原件扫描.pdf", uploaded_by=w.user("township")
    )


MATRIX = {
    "suggestions:list": Case(REGIONAL),
    "suggestions:detail": Case(READERS, kwargs=lambda w: {"pk": w.suggestion.pk}),
    "suggestions:attachment": Case(READERS, kwargs=lambda w: {"pk": attachment(w).pk}),
    "suggestions:create": Case(OFFICE),
    "suggestions:similar": Case(
        REGIONAL, data=lambda w: {"title": "东河村公路修缮", "body": "道路破损，雨天无法通行"}
    ),
    "suggestions:submit": Case(
        {**MANAGERS, "deputy": OK}, kwargs=lambda w: {"pk": paper_draft(w).pk}, method="post"
    ),
    "suggestions:review": Case(MANAGERS, kwargs=lambda w: {"pk": submitted_item(w).pk}),
    "suggestions:withdraw": Case(
        {**MANAGERS, "deputy": OK},
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {"reason": "代表书面申请撤回：问题已解决"},
    ),
    "suggestions:assign": Case(MANAGERS, kwargs=lambda w: {"pk": accepted_item(w).pk}),
    "suggestions:urge": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {"note": "请加快办理"},
    ),
    "suggestions:supervise": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": w.suggestion.pk},
        method="post",
        data=lambda w: {"key_supervised": "1", "group": "第一督办组"},
    ),
    "suggestions:extension_decide": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": extension(w).pk},
        method="post",
        data=lambda w: {"decision": "approve", "note": "同意"},
    ),
    "suggestions:commitment_close": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": committed(w).pk},
        method="post",
        data=lambda w: {"note": "道路已修缮完毕"},
    ),
    "suggestions:publish": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": replied(w).suggestion_id},
        method="post",
        data=lambda w: {"published": "1"},
    ),
    "suggestions:evaluate_paper": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": replied(w).suggestion_id},
        method="post",
        data=lambda w: {"person": w.person.pk, "rating": "satisfied"},
    ),
    "suggestions:category_list": Case(OFFICE),
    "suggestions:category_create": Case(OFFICE),
    "suggestions:routing_list": Case(OFFICE),
    "suggestions:routing_create": Case(OFFICE),
    "suggestions:routing_delete": Case(
        MANAGERS,
        kwargs=lambda w: {"pk": route(w).pk},
        method="post",
        data=lambda w: {"confirm": "1"},
    ),
}
