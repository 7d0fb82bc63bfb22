"""The office staff's suggestion pages: the register and its filters, an
item's file, entry from paper, review, merging, assignment with the routing
table, missing rules, bad input and scope."""

import datetime
import re

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renda.core.models import Rule
from renda.core.tests import factories as f
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.suggestions import services
from renda.suggestions.models import (
    Assignment,
    Attachment,
    Authorship,
    Category,
    Deadline,
    Evaluation,
    RoutingRule,
    Status,
    Suggestion,
)
from renda.suggestions.tests import matrix_staff
from renda.suggestions.tests.helpers import submitted_item

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [row.title for row in response.context["rows"]]


def shown_messages(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


# --- the register ---------------------------------------------------------------------


def test_the_register_lists_visible_items_and_filters_them(world, client_for):
    client = client_for("township")
    motion = submitted_item(world, title="关于建设青山镇敬老院的议案")
    services.suggestion_accept(suggestion=motion, actor=world.user("township"), final_kind="motion")
    all_titles = listed(client.get(reverse("suggestions:list")))
    assert set(all_titles) == {world.suggestion.title, motion.title}
    assert listed(client.get(reverse("suggestions:list"), {"status": "handling"})) == [
        world.suggestion.title
    ]
    assert listed(client.get(reverse("suggestions:list"), {"kind": "motion"})) == [motion.title]
    assert listed(client.get(reverse("suggestions:list"), {"q": "敬老院"})) == [motion.title]
    assert listed(client.get(reverse("suggestions:list"), {"unit": world.county_unit.pk})) == [
        world.suggestion.title
    ]
    assert listed(
        client.get(
            reverse("suggestions:list"), {"session": world.session.pk, "occasion": "session"}
        )
    ) == sorted(all_titles, key=lambda t: t != motion.title)
    other = Category.objects.create(name="养老服务")
    assert listed(client.get(reverse("suggestions:list"), {"category": other.pk})) == []


def test_the_register_shows_lead_author_unit_and_reply_due_date_red_when_overdue(world, client_for):
    deadline = world.suggestion.deadlines.get(kind="reply")
    client = client_for("township")
    page = client.get(reverse("suggestions:list")).content.decode()
    assert "王春燕" in page and "县交通运输局" in page and f"{deadline.due_on:%Y-%m-%d}" in page
    assert "text-danger fw-bold" not in page
    Deadline.objects.filter(pk=deadline.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client.get(reverse("suggestions:list"), {"overdue": "1"})
    assert listed(response) == [world.suggestion.title]
    assert "text-danger fw-bold" in response.content.decode()
    assert "答复期限已逾期" in response.content.decode()


def test_the_overdue_and_key_supervised_filters_leave_out_the_others(world, client_for):
    client = client_for("county")
    assert listed(client.get(reverse("suggestions:list"), {"overdue": "1"})) == []
    assert listed(client.get(reverse("suggestions:list"), {"key_supervised": "1"})) == []
    services.suggestion_supervise(
        suggestion=world.suggestion, actor=world.user("county"), key_supervised=True
    )
    assert listed(client.get(reverse("suggestions:list"), {"key_supervised": "1"})) == [
        world.suggestion.title
    ]


def test_a_bad_filter_value_is_named_and_ignored(world, client_for):
    response = client_for("township").get(
        reverse("suggestions:list"), {"session": "abc", "status": "nonsense"}
    )
    page = response.content.decode()
    assert "会议：" in page and "状态：" in page
    assert listed(response) == [world.suggestion.title]


def bulk_items(world, count):
    """`count` assigned items of 青山镇 with a lead author, unit and reply deadline."""
    today = timezone.localdate()
    items = Suggestion.objects.bulk_create(
        Suggestion(
            number=f"bulk-{n:04d}",
            title=f"批量建议{n}",
            body="内容",
            occasion="interim",
            congress=world.township_congress,
            region=world.township,
            category=world.category,
            status=Status.HANDLING,
            entered_by=world.user("township"),
            submitted_at=timezone.now(),
        )
        for n in range(count)
    )
    Authorship.objects.bulk_create(
        Authorship(suggestion=item, person=world.person, role="lead") for item in items
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            suggestion=item, unit=world.county_unit, role="lead", assigned_by=world.user("township")
        )
        for item in items
    )
    Deadline.objects.bulk_create(
        Deadline(
            suggestion=item,
            assignment=assignment,
            kind="reply",
            start_on=today,
            due_on=today + datetime.timedelta(days=90),
        )
        for item, assignment in zip(items, assignments, strict=True)
    )


def test_the_register_query_count_is_pinned_and_does_not_grow_with_items(world, client_for):
    client = client_for("township")

    def load():
        assert (
            client.get(reverse("suggestions:list"), {"category": world.category.pk}).status_code
            == 200
        )

    assert_pinned_queries(load, lambda: bulk_items(world, 120), expected=12)


def test_township_staff_cannot_see_another_townships_item(world, client_for):
    client = client_for("township")
    assert world.other_suggestion.title not in listed(client.get(reverse("suggestions:list")))
    for name in ("suggestions:detail", "suggestions:review", "suggestions:assign"):
        response = client.get(reverse(name, args=[world.other_suggestion.pk]))
        assert response.status_code == 404, name
    response = client.post(
        reverse("suggestions:urge", args=[world.other_suggestion.pk]), {"note": "快"}
    )
    assert response.status_code == 404


# --- the file of one item -------------------------------------------------------------------


def test_the_detail_page_shows_authors_assignments_deadlines_with_rules_and_the_timeline(
    world, client_for
):
    page = client_for("township").get(world.suggestion.get_absolute_url()).content.decode()
    for text in ("王春燕", "张三", "领衔", "附议", "县交通运输局", "已签收", "答复期限"):
        assert text in page, text
    assert "suggestion.reply_months" in page and world.rule.source in page
    assert "自交办之日" in page
    for label in ("提出", "审查", "交办", "签收"):
        assert f">{label}</span>" in page, label
    assert "待审查 → <strong>待交办</strong>" in page
    assert "催办" in page  # the office's action panel


def test_units_and_deputies_see_the_file_without_the_offices_actions(world, client_for):
    for role in ("unit", "liaison"):
        page = client_for(role).get(world.suggestion.get_absolute_url()).content.decode()
        assert world.suggestion.title in page
        assert 'data-testid="urge"' not in page and 'data-testid="supervise"' not in page
    deputy_page = client_for("deputy").get(world.suggestion.get_absolute_url()).content.decode()
    assert 'data-testid="withdraw"' in deputy_page and 'data-testid="urge"' not in deputy_page


# --- entry from paper --------------------------------------------------------------------------


def paper_data(world, **changes):
    data = {
        "congress": world.township_congress.pk,
        "occasion": "session",
        "session": world.session.pk,
        "kind": "suggestion",
        "lead": world.person.pk,
        "co_signers": [world.county_person.pk],
        "category": world.category.pk,
        "title": "关于改善青山镇中学周边交通秩序的建议",
        "body": "上下学时段车辆拥堵，建议设置减速带和临时停车区。",
        "action": "submit",
    }
    data.update(changes)
    return data


def test_province_staff_pick_a_county_before_congresses_sessions_and_deputies_fill(
    world, province, client
):
    from renda.deputies.tests import factories as d

    neighbour = d.PersonFactory(name="邻县代表", region=province["township"])
    d.MandateFactory(person=neighbour)
    client.force_login(province["user"])
    url = reverse("suggestions:create")
    page = client.get(url).content.decode()
    assert_waits_for_a_county(page, province, "congress", "session", "lead", "co_signers")
    assert "先选县（市、区）" in page

    page = client.get(url, {"area": world.county.code}).content.decode()
    assert str(world.township_congress.pk) in options(page, "congress")
    assert str(world.session.pk) in options(page, "session")
    assert str(world.person.pk) in options(page, "lead")
    assert str(neighbour.pk) not in options(page, "lead") | options(page, "co_signers")

    # The county narrows what is shown, never what the form takes.
    response = client.post(f"{url}?area={world.county.code}", paper_data(world, action="draft"))
    item = Suggestion.objects.get(title__startswith="关于改善青山镇中学")
    assert response.status_code == 302 and item.entered_by == province["user"]


def test_the_paper_form_opens_on_the_clerk_s_own_congress(world, client_for):
    township = client_for("township").get(reverse("suggestions:create"))
    assert township.context["form"]["congress"].value() == world.township_congress.pk
    county = client_for("county").get(reverse("suggestions:create"))
    assert county.context["form"]["congress"].value() == world.county_congress.pk


def test_staff_enter_a_paper_item_with_an_attachment_and_submit_it(world, client_for):
    scan = SimpleUploadedFile("原件.pdf", PDF, content_type="application/pdf")
    response = client_for("township").post(
        reverse("suggestions:create"), {**paper_data(world), "attachments": [scan]}
    )
    item = Suggestion.objects.get(title__startswith="关于改善青山镇中学")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.status == Status.SUBMITTED and item.number and item.from_paper
    assert item.entered_by == world.user("township")
    assert {(a.person.name, a.role) for a in item.authorships.all()} == {
        ("王春燕", "lead"),
        ("张三", "co"),
    }
    attachment = Attachment.objects.get(suggestion=item)
    download = client_for("liaison").get(reverse("suggestions:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        client_for("other_township")
        .get(reverse("suggestions:attachment", args=[attachment.pk]))
        .status_code
        == 404
    )


def test_staff_keep_a_paper_item_as_a_draft_and_submit_it_later(world, client_for):
    client = client_for("township")
    client.post(reverse("suggestions:create"), paper_data(world, action="draft"))
    item = Suggestion.objects.get(title__startswith="关于改善青山镇中学")
    assert item.status == Status.DRAFT and not item.number
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="submit"' in page
    client.post(reverse("suggestions:submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED and item.number
    # Another township's staff never see it.
    assert client_for("other_township").get(item.get_absolute_url()).status_code == 404


def test_bad_paper_entry_gets_chinese_messages_naming_each_field_and_keeps_the_text(
    world, client_for
):
    fake = SimpleUploadedFile("扫描.pdf", b"\x89PNG\r\n\x1a\nxx", content_type="application/pdf")
    program = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    response = client_for("township").post(
        reverse("suggestions:create"),
        {
            **paper_data(world, session="", lead=world.other_person.pk, title=""),
            "attachments": [fake, program],
        },
    )
    assert response.status_code == 200
    errors = dict(response.context["form"].errors)
    assert errors["session"] == ["大会期间提出的，请选择会议"]
    assert "lead" in errors  # 李四 of 龙泉镇 is not among this office's deputies
    assert errors["title"] == ["该字段是必填项。"]
    assert any("与文件扩展名不符" in e for e in errors["attachments"])
    page = response.content.decode()
    assert "会议：大会期间提出的，请选择会议" in page and "附件：" in page
    assert "上下学时段车辆拥堵" in page
    assert not Suggestion.objects.filter(body__startswith="上下学").exists()


def test_an_attachment_over_10_mb_or_of_another_type_is_refused(world, client_for):
    big = SimpleUploadedFile(
        "big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    response = client_for("township").post(
        reverse("suggestions:create"), {**paper_data(world), "attachments": [big]}
    )
    assert any("不能超过 10 MB" in e for e in response.context["form"].errors["attachments"])
    odd = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    response = client_for("township").post(
        reverse("suggestions:create"), {**paper_data(world), "attachments": [odd]}
    )
    assert any("只能上传" in e for e in response.context["form"].errors["attachments"])
    declared = SimpleUploadedFile("scan.pdf", PDF, content_type="image/png")
    response = client_for("township").post(
        reverse("suggestions:create"), {**paper_data(world), "attachments": [declared]}
    )
    assert any("与声明的类型不符" in e for e in response.context["form"].errors["attachments"])


def test_similar_earlier_items_are_shown_with_scores_while_entering(world, client_for):
    response = client_for("township").get(
        reverse("suggestions:similar"),
        {
            "title": "关于修缮东河村通组公路的建议",
            "body": "东河村三组至五组道路破损严重",
            "congress": world.township_congress.pk,
        },
    )
    results = response.context["results"]
    assert results and results[0][0] == world.suggestion and 0 < results[0][1] <= 1
    assert "相似度" in response.content.decode()
    # Another township's items are not candidates.
    other = client_for("other_township").get(
        reverse("suggestions:similar"),
        {"title": "关于修缮东河村通组公路的建议", "body": "东河村道路破损", "congress": "x"},
    )
    assert other.context["results"] == []


# --- review ----------------------------------------------------------------------------------


def test_review_accepts_an_item_as_a_motion(world, client_for):
    item = submitted_item(world)
    response = client_for("township").post(
        reverse("suggestions:review", args=[item.pk]),
        {"decision": "accept", "final_kind": "motion"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED and item.final_kind == "motion"


def test_review_rejects_an_item_with_a_stated_reason(world, client_for):
    item = submitted_item(world)
    client_for("county").post(
        reverse("suggestions:review", args=[item.pk]),
        {"decision": "reject", "reason_code": "personal", "detail": "系代表亲属宅基地纠纷"},
    )
    item.refresh_from_db()
    assert item.status == Status.NOT_ACCEPTED
    assert item.rejection_reason == "涉及代表本人或亲属个人问题：系代表亲属宅基地纠纷"


def test_review_without_the_needed_choice_names_the_field(world, client_for):
    item = submitted_item(world)
    client = client_for("township")
    for data, field, message in (
        ({}, "decision", "该字段是必填项。"),
        ({"decision": "accept"}, "final_kind", "请选择作为议案或建议办理"),
        ({"decision": "reject"}, "reason_code", "请选择不予立案的理由"),
        ({"decision": "merge"}, "into", "请从相似建议中选择主件，或填写主件编号"),
        (
            {"decision": "merge", "into_number": "9-9-999"},
            "into_number",
            "没有可并入的编号为“9-9-999”的建议",
        ),
    ):
        response = client.post(reverse("suggestions:review", args=[item.pk]), data)
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert message in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_merging_keeps_both_items_and_every_author(world, client_for):
    main = submitted_item(world, title="关于硬化东河村产业路的建议")
    second = submitted_item(world, title="关于东河村产业路硬化的建议", lead=world.county_person)
    client = client_for("township")
    review = client.get(reverse("suggestions:review", args=[second.pk]))
    assert main in [other for other, score in review.context["similar"]]
    client.post(
        reverse("suggestions:review", args=[second.pk]), {"decision": "merge", "into": main.pk}
    )
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.merged_into == main
    assert Suggestion.objects.filter(pk__in=[main.pk, second.pk]).count() == 2
    assert {p.name for p in services.all_authors(main)} == {"王春燕", "张三"}
    page = client.get(main.get_absolute_url()).content.decode()
    assert second.title in page and "并入本件" in page
    merged_page = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="main-item"' in merged_page and main.title in merged_page


def test_an_item_can_be_merged_by_the_main_items_number(world, client_for):
    main = submitted_item(world, title="关于东河村饮水安全的建议")
    second = submitted_item(world, title="关于青山镇集镇停车难的建议")
    client_for("township").post(
        reverse("suggestions:review", args=[second.pk]),
        {"decision": "merge", "into_number": main.number},
    )
    second.refresh_from_db()
    assert second.merged_into == main


# --- assignment ---------------------------------------------------------------------------------


def accepted(world):
    return matrix_staff.accepted_item(world)


def test_assignment_proposes_the_routed_unit_of_the_nearest_region(world, client_for):
    county_route = RoutingRule.objects.create(
        category=world.category, region=world.county, lead_unit=world.township_unit
    )
    item = accepted(world)
    client = client_for("township")
    form = client.get(reverse("suggestions:assign", args=[item.pk])).context["form"]
    assert form.initial["lead_unit"] == world.township_unit
    township_route = RoutingRule.objects.create(
        category=world.category, region=world.township, lead_unit=world.county_unit
    )
    township_route.co_units.add(world.township_unit)
    response = client.get(reverse("suggestions:assign", args=[item.pk]))
    assert response.context["route"] == township_route != county_route
    assert response.context["form"].initial["lead_unit"] == world.county_unit
    assert response.context["form"].initial["co_units"] == [world.township_unit]
    assert "县交通运输局" in response.content.decode()


def test_assignment_saves_and_the_deadlines_show_on_the_file(world, client_for):
    item = accepted(world)
    client = client_for("township")
    response = client.post(
        reverse("suggestions:assign", args=[item.pk]),
        {
            "lead_unit": world.county_unit.pk,
            "co_units": [world.township_unit.pk],
            "is_complex": "on",
        },
        follow=True,
    )
    item.refresh_from_db()
    assert item.status == Status.ASSIGNED and item.is_complex
    reply = item.deadlines.get(kind="reply")
    assert "6 个月" in reply.explanation
    text = " ".join(message for _level, message in shown_messages(response))
    assert f"{reply.due_on:%Y年%m月%d日}" in text
    page = response.content.decode()
    assert "协办意见期限" in page and "suggestion.reply_months_complex" in page


def test_a_missing_rule_is_shown_with_its_message_and_nothing_is_saved(world, client_for):
    Rule.objects.filter(key="suggestion.return_working_days").update(
        effective_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    item = accepted(world)
    response = client_for("township").post(
        reverse("suggestions:assign", args=[item.pk]), {"lead_unit": world.county_unit.pk}
    )
    assert response.status_code == 200
    assert "没有生效的规则“suggestion.return_working_days”" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED and not item.assignments.exists()


def test_bad_assignment_input_names_the_field(world, client_for):
    item = accepted(world)
    response = client_for("township").post(
        reverse("suggestions:assign", args=[item.pk]),
        {"lead_unit": world.other_unit.pk, "co_units": ["x"]},
    )
    errors = response.context["form"].errors
    assert "lead_unit" in errors and "co_units" in errors
    assert "主办单位：" in response.content.decode()


# --- withdrawal and supervision actions -----------------------------------------------------------


def test_withdrawal_needs_a_written_reason(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("suggestions:withdraw", args=[world.suggestion.pk]), {"reason": " "}, follow=True
    )
    assert (constants.ERROR, "撤回理由：撤回须书面说明理由") in shown_messages(response)
    world.suggestion.refresh_from_db()
    assert world.suggestion.status == Status.HANDLING


def test_a_co_signing_deputy_cannot_withdraw_the_item(world, client_for):
    world.county_person.user = f.UserFactory(
        username="zhangsan", role="deputy", region=world.township
    )
    world.county_person.save()
    client = client_for("anonymous")
    client.force_login(world.county_person.user)
    response = client.post(
        reverse("suggestions:withdraw", args=[world.suggestion.pk]), {"reason": "不想提了"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [name for name, case in matrix_staff.MATRIX.items() if case.method == "post"],
)
def test_every_office_action_really_succeeds_with_the_matrix_data(url_name, world, client_for):
    case = matrix_staff.MATRIX[url_name]
    response = client_for("township").post(
        reverse(url_name, kwargs=case.kwargs(world)), case.data(world), follow=True
    )
    levels = [level for level, _message in shown_messages(response)]
    assert levels and constants.ERROR not in levels, shown_messages(response)


def test_supervision_actions_are_recorded_on_the_timeline(world, client_for):
    client = client_for("county")
    pk = world.suggestion.pk
    client.post(reverse("suggestions:urge", args=[pk]), {"note": "请月底前答复"})
    client.post(
        reverse("suggestions:supervise", args=[pk]), {"key_supervised": "1", "group": "第一督办组"}
    )
    world.suggestion.refresh_from_db()
    assert world.suggestion.key_supervised and world.suggestion.supervision_group == "第一督办组"
    page = client.get(world.suggestion.get_absolute_url()).content.decode()
    assert ">催办</span>" in page and "请月底前答复" in page and "第一督办组" in page


def test_bad_supervision_input_is_refused_with_the_field_named(world, client_for):
    client = client_for("township")
    pk = world.suggestion.pk
    response = client.post(
        reverse("suggestions:supervise", args=[pk]), {"key_supervised": "x"}, follow=True
    )
    assert any("重点督办：" in message for _level, message in shown_messages(response))
    extension = matrix_staff.extension(world)
    response = client.post(
        reverse("suggestions:extension_decide", args=[extension.pk]),
        {"decision": "maybe"},
        follow=True,
    )
    assert any("审批结果：" in message for _level, message in shown_messages(response))
    response = client.post(
        reverse("suggestions:commitment_close", args=[pk]), {"note": "x"}, follow=True
    )
    assert (constants.ERROR, "只有承诺落实中的建议可以在此办结") in shown_messages(response)
    response = client.post(
        reverse("suggestions:publish", args=[pk]), {"published": "1"}, follow=True
    )
    assert (constants.ERROR, "尚无答复，不能公开") in shown_messages(response)


def test_an_approved_extension_moves_the_deadline_and_keeps_the_old_date(world, client_for):
    extension = matrix_staff.extension(world)
    old = extension.deadline.due_on
    client_for("township").post(
        reverse("suggestions:extension_decide", args=[extension.pk]), {"decision": "approve"}
    )
    deadline = Deadline.objects.get(pk=extension.deadline_id)
    assert deadline.due_on == extension.requested_until and deadline.extended_from == old


def test_a_paper_evaluation_is_recorded_for_the_chosen_author(world, client_for):
    reply = matrix_staff.replied(world)
    client = client_for("township")
    url = reverse("suggestions:evaluate_paper", args=[world.suggestion.pk])
    response = client.post(url, {"person": world.county_person.pk, "rating": "dissatisfied"})
    assert response.context["form"].errors["comment"] == ["不满意时请写明意见，以便重新办理"]
    client.post(url, {"person": world.county_person.pk, "rating": "satisfied"})
    evaluation = Evaluation.objects.get(reply=reply, person=world.county_person)
    assert evaluation.from_paper and evaluation.entered_by == world.user("township")
    # An author who has evaluated is no longer offered.
    people = client.get(url).context["form"].fields["person"].queryset
    assert list(people) == [world.person]


# --- categories and routing ---------------------------------------------------------------------


def test_office_staff_add_categories_and_a_duplicate_name_is_refused(world, client_for):
    client = client_for("township")
    client.post(
        reverse("suggestions:category_create"),
        {"name": "水利", "region": world.township.pk, "order": 1},
    )
    assert Category.objects.filter(name="水利", region=world.township).exists()
    response = client.post(
        reverse("suggestions:category_create"),
        {"name": "水利", "region": world.township.pk, "order": 2},
    )
    assert response.context["form"].errors["name"] == ["青山镇已有类别“水利”"]
    response = client.post(
        reverse("suggestions:category_create"), {"name": "教育", "region": world.other_township.pk}
    )
    assert "region" in response.context["form"].errors
    listing = client_for("other_township").get(reverse("suggestions:category_list"))
    assert "水利" not in listing.content.decode() and "道路交通" in listing.content.decode()


def test_routing_rows_are_added_and_deleted_only_with_confirmation(world, client_for):
    client = client_for("township")
    client.post(
        reverse("suggestions:routing_create"),
        {
            "category": world.category.pk,
            "region": world.township.pk,
            "lead_unit": world.county_unit.pk,
        },
    )
    route = RoutingRule.objects.get(category=world.category, region=world.township)
    response = client.post(
        reverse("suggestions:routing_create"),
        {
            "category": world.category.pk,
            "region": world.township.pk,
            "lead_unit": world.township_unit.pk,
        },
    )
    assert "已有交办路由" in response.context["form"].errors["category"][0]
    client.post(reverse("suggestions:routing_delete", args=[route.pk]))
    assert RoutingRule.objects.filter(pk=route.pk).exists()
    client.post(reverse("suggestions:routing_delete", args=[route.pk]), {"confirm": "1"})
    assert not RoutingRule.objects.filter(pk=route.pk).exists()


def test_township_staff_cannot_delete_the_countys_routing(world, client_for):
    route = RoutingRule.objects.create(
        category=world.category, region=world.county, lead_unit=world.county_unit
    )
    assert (
        "县交通运输局"
        in client_for("township").get(reverse("suggestions:routing_list")).content.decode()
    )
    response = client_for("township").post(
        reverse("suggestions:routing_delete", args=[route.pk]), {"confirm": "1"}
    )
    assert response.status_code == 403 and RoutingRule.objects.filter(pk=route.pk).exists()


def test_province_staff_keep_a_county_s_routing_table(world, province, client):
    client.force_login(province["user"])
    listing = reverse("suggestions:routing_list")
    url = reverse("suggestions:routing_create")
    form = client.get(url).content.decode()
    assert_waits_for_a_county(form, province, "lead_unit", "co_units")
    assert options(form, "region") == {str(world.county.pk), str(province["other"].pk)}
    picked = client.get(url, {"area": world.county.code}).content.decode()
    assert {str(world.township.pk), str(world.county.pk)} <= options(picked, "region")
    assert str(world.county_unit.pk) in options(picked, "lead_unit")

    response = client.post(
        f"{url}?area={world.county.code}",
        {
            "category": world.category.pk,
            "region": world.county.pk,
            "lead_unit": world.county_unit.pk,
        },
    )
    assert response["Location"] == f"{listing}?area={world.county.code}"
    assert 'data-testid="routes"' in client.get(response["Location"]).content.decode()
    assert "县交通运输局" in client.get(listing, {"area": world.county.code}).content.decode()
    assert "县交通运输局" not in client.get(listing).content.decode()  # waits for a county
    assert "县交通运输局" not in client.get(listing, {"area": "990122"}).content.decode()


def test_the_session_filter_groups_sessions_by_congress_the_county_s_first(world, client_for):
    county_term = f.TermFactory(body=world.county_congress)
    first = f.SessionFactory(term=county_term, number=1, opened_on=datetime.date(2025, 1, 10))
    second = f.SessionFactory(term=county_term, number=2, opened_on=datetime.date(2026, 1, 10))
    page = client_for("county").get(reverse("suggestions:list")).content.decode()
    select = re.search(r'<select name="session"[^>]*>(.*?)</select>', page, re.S).group(1)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups][:2] == [
        world.county_congress.name,
        world.township_congress.name,
    ]
    county_options = re.findall(r'<option value="(\d+)"', groups[0][1])
    assert county_options == [str(second.pk), str(first.pk)]  # the latest first
    assert f">{second.label}</option>" in groups[0][1]  # the congress is the group's name
