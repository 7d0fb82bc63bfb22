"""The handling unit's workspace and the deputy's own pages, through real requests."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renda.core.tests.helpers import assert_pinned_queries
from renda.deputies.tests.factories import MandateFactory
from renda.suggestions import services
from renda.suggestions.forms_workspace import congress_deputies
from renda.suggestions.models import (
    Attachment,
    Consultation,
    Evaluation,
    ExtensionRequest,
    Reply,
    Status,
    Suggestion,
)
from renda.suggestions.tests.helpers import submitted_item
from renda.suggestions.tests.matrix_workspace import fresh_assignment, reply_to


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def png(name="现场照片.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")


def lead_of(item):
    return item.assignments.get(role="lead", active=True)


# --- the handling unit --------------------------------------------------------------------


def test_a_unit_sees_its_own_items_with_what_is_due_next_first(world, client_for):
    fresh = fresh_assignment(world).suggestion  # its return window ends in 5 working days
    text = page(client_for("unit").get(reverse("suggestions:unit_list")))
    assert text.index(fresh.title) < text.index(world.suggestion.title)
    assert world.other_suggestion.title not in text


def test_overdue_items_are_red_and_items_due_soon_amber(world, client_for):
    today = timezone.localdate()
    reply_due = world.suggestion.deadlines.get(kind="reply")
    reply_due.due_on = today - datetime.timedelta(days=1)
    reply_due.save()
    fresh = fresh_assignment(world).suggestion
    text = page(client_for("unit").get(reverse("suggestions:unit_list")))
    assert text.index(world.suggestion.title) < text.index(fresh.title)
    assert "list-group-item-danger" in text and "（已逾期）" in text
    assert "list-group-item-warning" in text and "（即将到期）" in text


def test_the_filters_show_items_to_sign_handling_and_replied(world, client_for):
    fresh = fresh_assignment(world).suggestion
    client = client_for("unit")
    to_sign = page(client.get(reverse("suggestions:unit_list"), {"show": "sign"}))
    handling = page(client.get(reverse("suggestions:unit_list"), {"show": "handling"}))
    replied = page(client.get(reverse("suggestions:unit_list"), {"show": "replied"}))
    assert fresh.title in to_sign and world.suggestion.title not in to_sign
    assert world.suggestion.title in handling and fresh.title not in handling
    assert "没有符合条件的建议" in replied


def test_the_unit_sees_deadlines_with_their_source_and_no_private_data_of_deputies(
    world, client_for
):
    world.person.public_phone = "0791-1234567"
    world.person.save()
    text = page(
        client_for("unit").get(reverse("suggestions:unit_detail", args=[world.suggestion.pk]))
    )
    assert world.rule.source in text
    assert "王春燕" in text and "0791-1234567" in text
    assert world.person.mobile not in text


def test_a_unit_signs_an_item_and_handling_begins(world, client_for):
    assignment = fresh_assignment(world)
    response = client_for("unit").post(reverse("suggestions:unit_sign", args=[assignment.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.signed_at is not None
    assert Suggestion.objects.get(pk=assignment.suggestion_id).status == Status.HANDLING


def test_a_unit_returns_a_misassigned_item_within_the_window_with_its_reason(world, client_for):
    assignment = fresh_assignment(world)
    client = client_for("unit")
    url = reverse("suggestions:unit_return", args=[assignment.pk])
    assert "前退回" in page(client.get(url))  # the window and its rule are shown
    empty = page(client.post(url, {"reason": ""}))
    assert "退回理由" in empty
    response = client.post(url, {"reason": "道路养护属镇政府职责"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.active and assignment.return_reason == "道路养护属镇政府职责"
    assert Suggestion.objects.get(pk=assignment.suggestion_id).status == Status.ACCEPTED
    # Returned, it is no longer the unit's.
    gone = client.get(reverse("suggestions:unit_detail", args=[assignment.suggestion_id]))
    assert gone.status_code == 404


def test_a_unit_cannot_return_an_item_after_the_return_window(world, client_for, monkeypatch):
    assignment = fresh_assignment(world)
    window = assignment.deadlines.get(kind="return")
    monkeypatch.setattr(services, "_today", lambda: window.due_on + datetime.timedelta(days=1))
    text = page(
        client_for("unit").post(
            reverse("suggestions:unit_return", args=[assignment.pk]), {"reason": "不属于本单位"}
        )
    )
    assert "已超过退回期限" in text
    assignment.refresh_from_db()
    assert assignment.active


def test_a_unit_records_a_face_to_face_consultation(world, client_for):
    response = client_for("unit").post(
        reverse("suggestions:unit_consult", args=[world.suggestion.pk]),
        {
            "step": "consult",
            "held_on": timezone.localdate().isoformat(),
            "way": "face",
            "content": "与代表当面商定维修方案",
            "deputy_view": "同意",
        },
    )
    assert response.status_code == 302
    assert Consultation.objects.get(suggestion=world.suggestion).step == "consult"


def test_a_b_class_reply_requires_a_commitment(world, client_for):
    client = client_for("unit")
    url = reverse("suggestions:unit_reply", args=[world.suggestion.pk])
    data = {
        "reply_class": "B",
        "text": "已列入明年计划",
        "signed_by": "孙立军",
        "replied_on": timezone.localdate().isoformat(),
    }
    text = page(client.post(url, data))
    assert "承诺事项：B类答复须写明落实承诺及时限" in text
    assert not Reply.objects.exists()
    response = client.post(url, {**data, "commitment": "2027年6月前完成"})
    assert response.status_code == 302
    assert Reply.objects.get().commitment == "2027年6月前完成"
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == Status.REPLIED


def test_bad_dates_are_refused_with_the_field_named(world, client_for):
    text = page(
        client_for("unit").post(
            reverse("suggestions:unit_reply", args=[world.suggestion.pk]),
            {"reply_class": "A", "text": "已完成", "signed_by": "孙立军", "replied_on": "明天"},
        )
    )
    assert "答复日期" in text and "有效的日期" in text


def test_only_the_lead_unit_replies(world, client_for):
    co = fresh_assignment(world, co=True)
    services.assignment_sign(assignment=co, actor=world.user("unit"))
    response = client_for("unit").get(reverse("suggestions:unit_reply", args=[co.suggestion_id]))
    assert response.status_code == 403


def test_a_co_unit_gives_its_opinion(world, client_for):
    co = fresh_assignment(world, co=True)
    response = client_for("unit").post(
        reverse("suggestions:unit_co_opinion", args=[co.pk]), {"opinion": "同意主办单位方案"}
    )
    assert response.status_code == 302
    co.refresh_from_db()
    assert co.co_opinion == "同意主办单位方案"


def test_a_unit_requests_an_extension_that_must_be_later(world, client_for):
    deadline = world.suggestion.deadlines.get(kind="reply")
    client = client_for("unit")
    url = reverse("suggestions:unit_extension", args=[deadline.pk])
    early = page(client.post(url, {"requested_until": deadline.due_on.isoformat(), "reason": "x"}))
    assert "延期日期须晚于现截止日期" in early
    later = deadline.due_on + datetime.timedelta(days=30)
    response = client.post(url, {"requested_until": later.isoformat(), "reason": "跨年度资金"})
    assert response.status_code == 302
    assert ExtensionRequest.objects.get(deadline=deadline).requested_until == later


def test_an_upload_is_checked_by_its_content_not_its_name(world, client_for):
    client = client_for("unit")
    url = reverse("suggestions:unit_attach", args=[world.suggestion.pk])
    fake = SimpleUploadedFile("答复.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"file": fake}, follow=True)
    assert "附件：只能上传" in response.content.decode()
    assert not Attachment.objects.exists()
    renamed = SimpleUploadedFile("答复.pdf", png().read(), "application/pdf")
    response = client.post(url, {"file": renamed}, follow=True)
    assert "与文件扩展名不符" in response.content.decode()
    assert client.post(url, {"file": png()}).status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(reverse("suggestions:workspace_attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert (
        client_for("other_unit")
        .get(reverse("suggestions:workspace_attachment", args=[attachment.pk]))
        .status_code
        == 404
    )


def test_another_unit_can_neither_see_nor_act_on_an_item(world, client_for):
    client = client_for("other_unit")
    item, lead = world.suggestion, lead_of(world.suggestion)
    deadline = item.deadlines.get(kind="reply")
    assert world.suggestion.title not in page(client.get(reverse("suggestions:unit_list")))
    for url, method in [
        (reverse("suggestions:unit_detail", args=[item.pk]), "get"),
        (reverse("suggestions:unit_sign", args=[lead.pk]), "post"),
        (reverse("suggestions:unit_return", args=[lead.pk]), "post"),
        (reverse("suggestions:unit_consult", args=[item.pk]), "post"),
        (reverse("suggestions:unit_reply", args=[item.pk]), "post"),
        (reverse("suggestions:unit_attach", args=[item.pk]), "post"),
        (reverse("suggestions:unit_extension", args=[deadline.pk]), "post"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    assert not Reply.objects.exists()


def test_the_unit_list_has_a_pinned_query_count(world, client_for):
    client = client_for("unit")

    def load():
        assert client.get(reverse("suggestions:unit_list")).status_code == 200

    def add_rows():
        for n in range(5):
            fresh_assignment(world)
            submitted_item(world, title=f"另一件建议{n}")

    # session, user, unit, count, due-soon rule, page, deadlines, assignments,
    # the unit in the navigation bar
    assert_pinned_queries(load, add_rows, expected=9)


# --- the deputy -------------------------------------------------------------------------


def draft_data(world, **changes):
    return {
        "congress": world.township_congress.pk,
        "occasion": "interim",
        "kind": "suggestion",
        "category": world.category.pk,
        "title": "关于东河村增设路灯的建议",
        "body": "东河村主干道夜间无照明，建议增设路灯。",
        **changes,
    }


def test_a_deputy_drafts_on_the_phone_with_a_photo_and_submits_later(world, client_for):
    client = client_for("deputy")
    form = page(client.get(reverse("suggestions:my_create")))
    assert "青山镇人民代表大会" in form and "龙泉镇人民代表大会" not in form
    response = client.post(
        reverse("suggestions:my_create"), {**draft_data(world), "photo": png(), "action": "draft"}
    )
    assert response.status_code == 302
    item = Suggestion.objects.get(title="关于东河村增设路灯的建议")
    assert item.status == Status.DRAFT and item.attachments.count() == 1
    client.post(reverse("suggestions:my_submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED and item.number


def test_a_refused_form_asks_to_choose_the_photo_again_only_when_one_was_sent(world, client_for):
    """The browser cannot keep a chosen file across a refused form; the
    deputy is told so instead of finding the photo silently gone."""
    client = client_for("deputy")
    url = reverse("suggestions:my_create")
    with_photo = page(client.post(url, {**draft_data(world, title=""), "photo": png()}))
    assert "案由" in with_photo and 'data-testid="files-again"' in with_photo
    without = page(client.post(url, draft_data(world, title="")))
    assert "案由" in without and 'data-testid="files-again"' not in without


def test_a_deputy_submits_at_once_with_a_co_signer_of_the_same_congress_only(world, client_for):
    MandateFactory(person=world.county_person, term=world.term, term_label="第十八届乡镇")
    client = client_for("deputy")
    refused = page(
        client.post(
            reverse("suggestions:my_create"),
            {**draft_data(world), "co_signers": [world.other_person.pk], "action": "submit"},
        )
    )
    assert "联名代表" in refused
    response = client.post(
        reverse("suggestions:my_create"),
        {**draft_data(world), "co_signers": [world.county_person.pk], "action": "submit"},
    )
    assert response.status_code == 302
    item = Suggestion.objects.get(title="关于东河村增设路灯的建议")
    assert item.status == Status.SUBMITTED
    assert set(item.authors.all()) == {world.person, world.county_person}


def test_a_session_item_names_its_session(world, client_for):
    text = page(
        client_for("deputy").post(
            reverse("suggestions:my_create"),
            {**draft_data(world, occasion="session", title=""), "action": "submit"},
        )
    )
    assert "会议：大会期间提出的，请选择会议" in text and "案由：" in text
    assert not Suggestion.objects.filter(body=draft_data(world)["body"]).exists()


def test_a_deputy_edits_only_drafts(world, client_for):
    client = client_for("deputy")
    response = client.post(
        reverse("suggestions:my_edit", args=[world.draft.pk]),
        draft_data(world, title="关于增设东河村垃圾收集点的建议（修改）", action="draft"),
    )
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.title.endswith("（修改）") and world.draft.status == Status.DRAFT
    assert client.get(reverse("suggestions:my_edit", args=[world.suggestion.pk])).status_code == 403


def test_a_deputy_withdraws_with_a_written_reason(world, client_for):
    client = client_for("deputy")
    url = reverse("suggestions:my_withdraw", args=[world.suggestion.pk])
    assert "撤回理由" in page(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "问题已由村里自行解决"}).status_code == 302
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == Status.WITHDRAWN
    unit_view = client_for("unit").get(
        reverse("suggestions:unit_detail", args=[world.suggestion.pk])
    )
    assert unit_view.status_code == 404


def test_a_deputy_sees_their_items_with_status_reply_and_timeline(world, client_for):
    reply_to(world)
    client = client_for("deputy")
    text = page(client.get(reverse("suggestions:my_list")))
    assert world.suggestion.title in text and world.draft.title in text
    assert "已答复待评价" in text and "评价答复" in text
    detail = page(client.get(reverse("suggestions:my_detail", args=[world.suggestion.pk])))
    assert 'data-testid="timeline"' in detail and "办理中" in detail and "已答复待评价" in detail


def test_a_co_signer_sees_the_item_among_their_own(world, client_for):
    item = submitted_item(world, title="张三领衔的建议", lead=world.county_person)
    item.authorships.create(person=world.person, role="co")
    text = page(client_for("deputy").get(reverse("suggestions:my_list")))
    assert "张三领衔的建议" in text and "附议" in text


def test_a_deputy_evaluates_the_latest_reply(world, client_for):
    reply = reply_to(world)
    client = client_for("deputy")
    url = reverse("suggestions:evaluate", args=[reply.pk])
    assert "不满意时请写明意见" in page(client.post(url, {"rating": "dissatisfied"}))
    assert client.post(url, {"rating": "satisfied", "comment": "很及时"}).status_code == 302
    assert Evaluation.objects.get(reply=reply, person=world.person).rating == "satisfied"
    assert "您已评价" in page(client.get(url))


def test_a_deputy_cannot_evaluate_others_items(world, client_for):
    others = submitted_item(world, title="张三的建议", lead=world.county_person)
    clerk = world.user("township")
    services.suggestion_accept(suggestion=others, actor=clerk, final_kind="suggestion")
    lead = services.suggestion_assign(suggestion=others, actor=clerk, lead_unit=world.county_unit)
    services.assignment_sign(assignment=lead, actor=world.user("unit"))
    reply = services.reply_submit(
        suggestion=others,
        unit=world.county_unit,
        actor=world.user("unit"),
        reply_class="A",
        text="已完成",
        signed_by="孙立军",
        replied_on=timezone.localdate(),
    )
    client = client_for("deputy")
    url = reverse("suggestions:evaluate", args=[reply.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"rating": "satisfied"}).status_code == 403
    assert not Evaluation.objects.exists()
    # An item of another township is not even there.
    assert (
        client.get(reverse("suggestions:my_detail", args=[world.other_suggestion.pk])).status_code
        == 404
    )


def test_an_earlier_reply_cannot_be_evaluated(world, client_for):
    first = reply_to(world)
    # The co-signer, on a paper receipt, is not satisfied: the item is handled again.
    services.evaluation_record(
        reply=first,
        person=world.county_person,
        actor=world.user("township"),
        rating="dissatisfied",
        comment="太慢",
        from_paper=True,
    )
    services.reply_submit(
        suggestion=world.suggestion,
        unit=world.county_unit,
        actor=world.user("unit"),
        reply_class="A",
        text="已提前完成",
        signed_by="孙立军",
        replied_on=timezone.localdate(),
    )
    text = page(
        client_for("deputy").post(
            reverse("suggestions:evaluate", args=[first.pk]), {"rating": "satisfied"}
        )
    )
    assert "只能评价最新一次答复" in text
    assert not Evaluation.objects.filter(person=world.person).exists()


def test_the_deputy_list_has_a_pinned_query_count(world, client_for):
    client = client_for("deputy")
    clerk = world.user("township")
    reply_to(world)
    merged = submitted_item(world, title="关于东河村道路的建议")
    services.suggestion_merge(suggestion=merged, into=world.suggestion, actor=clerk)

    def load():
        assert client.get(reverse("suggestions:my_list")).status_code == 200

    def add_rows():
        for n in range(5):
            item = submitted_item(world, title=f"我的另一件建议{n}")
            if n % 2:
                services.suggestion_merge(suggestion=item, into=world.suggestion, actor=clerk)

    # session, user, person, region (scope), count, page, replies, their
    # evaluations, merged items' replies, their evaluations, authorships, the
    # reply-class rules
    assert_pinned_queries(load, add_rows, expected=12)


def test_every_form_page_opens_for_its_user(world, client_for):
    co = fresh_assignment(world, co=True)
    deadline = world.suggestion.deadlines.get(kind="reply")
    unit = client_for("unit")
    for url in [
        reverse("suggestions:unit_detail", args=[co.suggestion_id]),
        reverse("suggestions:unit_co_opinion", args=[co.pk]),
        reverse("suggestions:unit_consult", args=[world.suggestion.pk]),
        reverse("suggestions:unit_reply", args=[world.suggestion.pk]),
        reverse("suggestions:unit_extension", args=[deadline.pk]),
    ]:
        assert "<form" in page(unit.get(url)), url
    reply = reply_to(world)
    deputy = client_for("deputy")
    for url in [
        reverse("suggestions:my_create"),
        reverse("suggestions:my_edit", args=[world.draft.pk]),
        reverse("suggestions:my_detail", args=[world.draft.pk]),
        reverse("suggestions:my_withdraw", args=[world.suggestion.pk]),
        reverse("suggestions:evaluate", args=[reply.pk]),
    ]:
        assert "<form" in page(deputy.get(url)), url


def test_a_congress_s_deputies_are_its_term_s_and_its_townships_mandates_entered_without_one(
    world,
):
    congress = world.term.body
    termless = MandateFactory(person__region=world.village, level="township").person
    MandateFactory(person__region=world.other_township, level="township")  # another township
    MandateFactory(person__region=world.village, level="county")  # another level
    ended = MandateFactory(person__region=world.village, level="township")
    ended.ended_on, ended.end_reason = datetime.date(2025, 1, 1), "辞职"
    ended.save()
    deputies = set(congress_deputies([congress]))
    assert deputies == {world.person, termless}
    assert world.other_person not in deputies  # the other township's term
    assert set(congress_deputies([])) == set()
