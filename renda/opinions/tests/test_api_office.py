"""Contract tests of the opinions API for staff, deputies, liaison officers
and units (renda.opinions.api_office): scope, masking, each step with the
pages' rules, the error format and the schema. Who may call what is in the
authorization matrix (renda/opinions/tests/matrix_reports.py, API_MATRIX).
"""

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from renda.core.tests.helpers import assert_pinned_queries
from renda.opinions import services
from renda.opinions.models import Opinion, OpinionStatus, Reception
from renda.suggestions.models import Suggestion

JSON = "application/json"


def post(client, name, pk, data):
    return client.post(reverse(f"api:opinion-{name}", args=[pk]), data, content_type=JSON)


def sort(world, opinion):
    services.opinion_sort(
        opinion=opinion, actor=world.user("township"), category=world.category, urgency="normal"
    )


def test_the_openapi_schema_is_valid_with_these_endpoints(world, client):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/opinions/{id}/assign/" in schema and "/api/receptions/" in schema


# --- reading ------------------------------------------------------------------------------------


def test_the_unit_lists_only_what_was_assigned_to_it(world, client_for):
    rows = client_for("unit").get(reverse("api:opinion-list")).json()["results"]
    assert [row["id"] for row in rows] == [world.opinion.pk]
    other = client_for("other_unit").get(reverse("api:opinion-list")).json()["results"]
    assert [row["id"] for row in other] == [world.other_opinion.pk]


def test_a_township_clerk_never_sees_another_township(world, client_for):
    client = client_for("other_township")
    rows = client.get(reverse("api:opinion-list")).json()["results"]
    assert {row["id"] for row in rows} == {world.other_opinion.pk}
    response = client.get(reverse("api:opinion-detail", args=[world.opinion.pk]))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在或无权查看"}


def test_the_person_is_masked_for_a_deputy_and_shown_to_those_handling_it(world, client_for):
    url = reverse("api:opinion-detail", args=[world.opinion.pk])
    deputy = client_for("deputy").get(url).json()
    assert (deputy["submitter_name"], deputy["submitter_phone"]) == ("刘*", "139****5678")
    assert deputy["submitter_visible"] is False and deputy["receipt_code"] is None
    for role in ("township", "liaison", "unit"):
        shown = client_for(role).get(url).json()
        assert (shown["submitter_name"], shown["submitter_phone"]) == ("刘大妈", "13912345678")
        assert shown["receipt_code"] == world.opinion.receipt_code


def test_each_opinion_says_which_steps_the_user_may_take_now(world, client_for):
    url = reverse("api:opinion-detail", args=[world.opinion.pk])
    assert client_for("unit").get(url).json()["actions"] == ["handle", "return"]
    assert client_for("township").get(url).json()["actions"] == ["handle"]
    assert client_for("deputy").get(url).json()["actions"] == []


def test_the_list_filters_like_the_ledger(world, client_for):
    client = client_for("county")
    rows = client.get(reverse("api:opinion-list"), {"status": "received"}).json()["results"]
    assert [row["id"] for row in rows] == [world.new_opinion.pk]
    rows = client.get(reverse("api:opinion-list"), {"q": "自来水"}).json()["results"]
    assert [row["title"] for row in rows] == ["龙泉镇自来水停水"]


def test_the_list_makes_the_same_queries_however_many_opinions(world, client_for):
    client = client_for("liaison")

    def load():
        assert client.get(reverse("api:opinion-list")).status_code == 200

    def add_rows():
        Opinion.objects.bulk_create(
            Opinion(
                receipt_code=f"LIST{n:04d}",
                channel="station",
                station=world.station,
                region=world.village,
                title=f"意见{n}",
                content="内容",
                submitter_name="群众",
                submitter_phone="13700000000",
                content_digest=f"list{n}",
            )
            for n in range(30)
        )

    # session, user, the user's region (scope), count, the page, its
    # stations, units and collecting deputies, the liaison officer's
    # stations (privacy and steps).
    assert_pinned_queries(load, add_rows, expected=9)


# --- entering ---------------------------------------------------------------------------------


def test_a_liaison_officer_enters_an_opinion_heard_at_the_station(world, client_for):
    client = client_for("liaison")
    data = {
        "channel": "station",
        "station": world.station.pk,
        "title": "河堤护栏缺失",
        "content": "东河村河堤护栏缺失，孩子上学有危险。",
        "submitter_name": "钱大姐",
        "submitter_phone": "13800002222",
        "collected_by": world.person.pk,
    }
    response = client.post(reverse("api:opinion-list"), data, content_type=JSON)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received" and body["region"] == world.village.pk
    assert body["submitter_name"] == "钱大姐"  # their station: shown
    opinion = Opinion.objects.get(pk=body["id"])
    assert opinion.entered_by == world.user("liaison") and opinion.collected_by == world.person
    again = client.post(reverse("api:opinion-list"), data, content_type=JSON)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_a_deputy_is_the_collector_of_what_they_enter(world, client_for):
    response = client_for("deputy").post(
        reverse("api:opinion-list"),
        {
            "channel": "household",
            "title": "独居老人取暖",
            "content": "三组独居老人冬季取暖困难。",
            "submitter_name": "赵大爷",
            "submitter_phone": "13900001111",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["collected_by"] == world.person.pk
    assert response.json()["region"] == world.township.pk


def test_bad_input_is_refused_by_field_in_the_common_format(world, client_for):
    response = client_for("township").post(
        reverse("api:opinion-list"),
        {
            "channel": "station",
            "title": "",
            "submitter_phone": "abc",
            "region": world.other_township.pk,
        },
        content_type=JSON,
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid"
    assert body["message"].startswith("提交的内容有误")
    assert {"title", "content", "submitter_name", "submitter_phone", "region"} <= set(
        body["errors"]
    )


def test_units_may_not_enter_opinions(world, client_for):
    response = client_for("unit").post(reverse("api:opinion-list"), {}, content_type=JSON)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- the steps --------------------------------------------------------------------------------


def test_the_office_sorts_assigns_and_the_unit_handles_then_the_office_answers(world, client_for):
    opinion = world.new_opinion
    clerk = client_for("township")
    sorted_ = post(clerk, "sort", opinion.pk, {"category": world.category.pk, "urgency": "urgent"})
    assert sorted_.status_code == 200, sorted_.json()
    assert sorted_.json()["number"] and sorted_.json()["urgency"] == "urgent"
    assigned = post(clerk, "assign", opinion.pk, {"unit": world.county_unit.pk})
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["unit_name"] == "县交通运输局" and assigned.json()["due_on"]
    handled = post(client_for("unit"), "handle", opinion.pk, {"result": "已清理占道摊点"})
    assert handled.json()["status"] == "handled"
    clerk = client_for("township")  # one test client: sign the clerk in again
    answered = post(clerk, "answer", opinion.pk, {"answer": "已整治", "method": "电话"})
    assert answered.json()["status"] == "answered" and answered.json()["answer"] == "已整治"


def test_a_unit_returns_what_is_not_its_duty(world, client_for):
    response = post(client_for("unit"), "return", world.opinion.pk, {"reason": "属镇村职责"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "sorted" and response.json()["unit"] is None
    world.opinion.refresh_from_db()
    assert world.opinion.status == OpinionStatus.SORTED


def test_another_unit_cannot_touch_it_and_office_staff_cannot_return_it(world, client_for):
    assert (
        post(client_for("other_unit"), "handle", world.opinion.pk, {"result": "x"}).status_code
        == 404
    )
    refused = post(client_for("township"), "return", world.opinion.pk, {"reason": "x"})
    assert refused.status_code == 403


def test_a_step_the_state_does_not_allow_is_explained(world, client_for):
    response = post(
        client_for("township"), "answer", world.new_opinion.pk, {"answer": "好", "method": "电话"}
    )
    body = response.json()
    assert response.status_code == 400
    assert body["errors"]["non_field_errors"] == ["这条意见当前为“已收集待整理”，不能答复群众"]


def test_a_missing_field_names_the_field(world, client_for):
    sort(world, world.new_opinion)
    response = post(client_for("township"), "decline", world.new_opinion.pk, {})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = post(
        client_for("township"), "assign", world.new_opinion.pk, {"unit": world.other_unit.pk}
    )
    assert response.status_code == 400 and "unit" in response.json()["errors"]


def test_convert_links_the_suggestion_both_ways(world, client_for):
    sort(world, world.new_opinion)
    response = post(
        client_for("township"),
        "convert",
        world.new_opinion.pk,
        {
            "congress": world.township_congress.pk,
            "lead": world.person.pk,
            "title": "关于整治集镇占道经营的建议",
            "body": "建议划定临时摊位。",
        },
    )
    assert response.status_code == 200, response.json()
    item = Suggestion.objects.get(pk=response.json()["suggestion"])
    assert item.source_opinion == world.new_opinion


def test_merge_and_escalate(world, client_for):
    clerk = client_for("county")
    merged = post(clerk, "merge", world.new_opinion.pk, {"into": world.opinion.pk})
    assert merged.json()["status"] == "merged" and merged.json()["merged_into"] == world.opinion.pk
    other = world.other_opinion
    services.opinion_unit_return(opinion=other, actor=world.user("other_unit"), reason="退回")
    escalated = post(client_for("other_township"), "escalate", other.pk, {"to": "县人大常委会"})
    assert escalated.json()["escalated_to"] == "县人大常委会"


def test_a_liaison_officer_solves_what_their_station_collected(world, client_for):
    opinion, _ = services.opinion_receive(
        channel="station",
        region=world.village,
        station=world.station,
        title="水井盖丢失",
        content="村口水井盖丢失。",
        submitter_name="何大哥",
        submitter_phone="13800003333",
    )
    client = client_for("liaison")
    assert (
        post(
            client, "sort", opinion.pk, {"category": world.category.pk, "urgency": "normal"}
        ).status_code
        == 200
    )
    solved = post(client, "solve", opinion.pk, {"result": "已补盖"})
    assert solved.json()["status"] == "solved"
    assert post(client, "assign", opinion.pk, {"unit": world.county_unit.pk}).status_code == 403


# --- receptions -------------------------------------------------------------------------------


def test_a_liaison_officer_records_a_reception_at_their_station(world, client_for):
    response = client_for("liaison").post(
        reverse("api:reception-list"),
        {
            "station": world.station.pk,
            "kind": "scheduled",
            "held_on": "2026-11-10",
            "deputies": [world.person.pk, world.county_person.pk],
            "people_received": 9,
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"] == world.village.pk and body["opinion_count"] == 0
    assert sorted(body["deputy_names"]) == sorted(["王春燕", "张三"])
    assert Reception.objects.get(pk=body["id"]).recorded_by == world.user("liaison")


def test_a_reception_in_the_future_or_at_another_township_is_refused(world, client_for):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for("township").post(
        reverse("api:reception-list"),
        {
            "station": world.station.pk,
            "kind": "scheduled",
            "held_on": future,
            "deputies": [world.person.pk],
        },
        content_type=JSON,
    )
    assert response.status_code == 400 and "held_on" in response.json()["errors"]
    response = client_for("other_township").post(
        reverse("api:reception-list"),
        {
            "station": world.station.pk,
            "kind": "scheduled",
            "held_on": "2026-11-10",
            "deputies": [world.person.pk],
        },
        content_type=JSON,
    )
    assert response.status_code == 400 and "station" in response.json()["errors"]


def test_receptions_list_with_their_opinion_counts(world, client_for):
    rows = client_for("township").get(reverse("api:reception-list")).json()["results"]
    assert [(row["id"], row["opinion_count"]) for row in rows] == [(world.reception.pk, 1)]
    assert client_for("other_township").get(reverse("api:reception-list")).json()["results"] == []
