"""Suggestions API contract: the deputy's app and the handling unit's
workspace, with the project's one error format."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from renda.deputies.tests.factories import MandateFactory
from renda.suggestions import services
from renda.suggestions.models import Evaluation, Reply, Status, Suggestion
from renda.suggestions.tests.helpers import submitted_item
from renda.suggestions.tests.matrix_workspace import fresh_assignment, reply_to

JSON = "application/json"


def new_item(world, **changes):
    return {
        "congress": world.township_congress.pk,
        "occasion": "interim",
        "category": world.category.pk,
        "title": "关于东河村增设路灯的建议",
        "body": "东河村主干道夜间无照明，建议增设路灯。",
        **changes,
    }


def test_the_openapi_schema_is_valid():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


# --- the deputy's app ------------------------------------------------------------------------


def test_a_deputy_submits_a_suggestion_and_reads_it_with_its_timeline(world, client_for):
    MandateFactory(person=world.county_person, term=world.term, term_label="第十八届乡镇")
    client = client_for("deputy")
    response = client.post(
        reverse("api:suggestion-list"),
        new_item(world, co_signers=[world.county_person.pk]),
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.SUBMITTED and body["number"]
    assert {a["name"] for a in body["authors"]} == {"王春燕", "张三"}
    detail = client.get(reverse("api:suggestion-detail", args=[body["id"]])).json()
    assert [entry["event"] for entry in detail["timeline"]] == ["submitted"]


def test_a_deputy_keeps_a_draft_and_submits_it_later(world, client_for):
    client = client_for("deputy")
    draft = client.post(
        reverse("api:suggestion-list"), new_item(world, submit=False), content_type=JSON
    ).json()
    assert draft["status"] == Status.DRAFT
    submitted = client.post(reverse("api:suggestion-submit", args=[draft["id"]]))
    assert submitted.status_code == 200
    assert submitted.json()["status"] == Status.SUBMITTED


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(world, client_for):
    client = client_for("deputy")
    response = client.post(
        reverse("api:suggestion-list"),
        new_item(world, occasion="session", co_signers=[world.other_person.pk]),
        content_type=JSON,
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid" and error["message"].startswith("提交的内容有误")
    assert "session" in error["errors"] and "co_signers" in error["errors"]
    other = client.post(
        reverse("api:suggestion-list"),
        new_item(world, congress=world.other_congress.pk),
        content_type=JSON,
    )
    assert other.status_code == 400 and "congress" in other.json()["errors"]
    assert not Suggestion.objects.filter(title="关于东河村增设路灯的建议").exists()


def test_a_deputy_lists_only_their_own_items(world, client_for):
    submitted_item(world, title="张三的建议", lead=world.county_person)
    rows = client_for("deputy").get(reverse("api:suggestion-list")).json()["results"]
    assert {row["title"] for row in rows} == {world.suggestion.title, world.draft.title}


def test_a_deputy_evaluates_the_latest_reply_once(world, client_for):
    reply_to(world)
    client = client_for("deputy")
    url = reverse("api:suggestion-evaluate", args=[world.suggestion.pk])
    unhappy = client.post(url, {"rating": "dissatisfied"}, content_type=JSON)
    assert unhappy.status_code == 400 and "comment" in unhappy.json()["errors"]
    response = client.post(url, {"rating": "satisfied", "comment": "很及时"}, content_type=JSON)
    assert response.status_code == 201, response.json()
    assert Evaluation.objects.get(person=world.person).rating == "satisfied"
    again = client.post(url, {"rating": "satisfied"}, content_type=JSON)
    assert again.status_code == 400 and "已评价" in again.json()["message"]


def test_a_deputy_cannot_evaluate_others_items(world, client_for):
    others = submitted_item(world, title="张三的建议", lead=world.county_person)
    response = client_for("deputy").post(
        reverse("api:suggestion-evaluate", args=[others.pk]),
        {"rating": "satisfied"},
        content_type=JSON,
    )
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在或无权查看"}


# --- the handling unit ---------------------------------------------------------------------


def test_a_unit_lists_only_its_items_what_is_due_next_first(world, client_for):
    fresh = fresh_assignment(world).suggestion
    rows = client_for("unit").get(reverse("api:unit-suggestion-list")).json()["results"]
    assert [row["id"] for row in rows] == [fresh.pk, world.suggestion.pk]
    assert rows[1]["deadlines"][0]["rule_source"] == world.rule.source
    assert "mobile" not in rows[1]["authors"][0]


def test_a_unit_signs_an_item(world, client_for):
    item = fresh_assignment(world).suggestion
    response = client_for("unit").post(reverse("api:unit-suggestion-sign", args=[item.pk]))
    assert response.status_code == 200 and response.json()["signed_at"]
    item.refresh_from_db()
    assert item.status == Status.HANDLING


def test_a_unit_returns_an_item_with_a_reason_within_the_window(world, client_for, monkeypatch):
    client = client_for("unit")
    first, second = fresh_assignment(world), fresh_assignment(world)
    url = reverse("api:unit-suggestion-return", args=[first.suggestion_id])
    assert "reason" in client.post(url, {}, content_type=JSON).json()["errors"]
    response = client.post(url, {"reason": "不属于本单位职责"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["active"] is False

    window = second.deadlines.get(kind="return")
    monkeypatch.setattr(services, "_today", lambda: window.due_on + datetime.timedelta(days=1))
    late = client.post(
        reverse("api:unit-suggestion-return", args=[second.suggestion_id]),
        {"reason": "不属于本单位职责"},
        content_type=JSON,
    )
    assert late.status_code == 400 and "已超过退回期限" in late.json()["message"]


def test_a_unit_replies_and_a_b_class_reply_needs_a_commitment(world, client_for):
    client = client_for("unit")
    url = reverse("api:unit-suggestion-reply", args=[world.suggestion.pk])
    reply = {
        "reply_class": "B",
        "text": "已列入明年计划",
        "signed_by": "孙立军",
        "replied_on": timezone.localdate().isoformat(),
    }
    refused = client.post(url, reply, content_type=JSON)
    assert refused.status_code == 400 and "commitment" in refused.json()["errors"]
    response = client.post(url, {**reply, "commitment": "2027年6月前完成"}, content_type=JSON)
    assert response.status_code == 201, response.json()
    assert Reply.objects.get().reply_class == "B"


@pytest.mark.parametrize("name", ["detail", "sign", "return", "reply"])
def test_another_unit_gets_404(world, client_for, name):
    client = client_for("other_unit")
    url = reverse(f"api:unit-suggestion-{name}", args=[world.suggestion.pk])
    response = client.get(url) if name == "detail" else client.post(url, {}, content_type=JSON)
    assert response.status_code == 404
    assert world.suggestion.title not in str(client.get(reverse("api:unit-suggestion-list")).json())


@pytest.mark.parametrize("name", ["api:suggestion-list", "api:unit-suggestion-list"])
def test_the_public_and_anonymous_visitors_are_refused(world, client_for, name):
    assert client_for("public").get(reverse(name)).status_code == 403
    anonymous = client_for("anonymous").get(reverse(name))
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_a_deputy_is_not_a_unit_and_a_unit_is_not_a_deputy(world, client_for):
    assert client_for("deputy").get(reverse("api:unit-suggestion-list")).status_code == 403
    assert client_for("unit").get(reverse("api:suggestion-list")).status_code == 403
