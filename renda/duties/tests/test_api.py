"""Contract tests of the duties API for the deputy's app (renda.duties.api):
every response checked against the published OpenAPI schema, a deputy's
scope, entries with photos, scores, publications and corrections. Who may
call what is in the authorization matrix (matrix_api.py)."""

import datetime
import functools

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from renda.core.tests.helpers import assert_pinned_queries
from renda.duties import services
from renda.duties.models import Correction, DutyKind, DutyRecord
from renda.duties.tests.matrix_api import tiny_png

JSON = "application/json"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the contract -------------------------------------------------------------------------


@functools.cache
def _openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(node):
    """OpenAPI 3.0 to JSON Schema: `nullable` becomes a null alternative,
    and objects allow no property the schema does not declare."""
    if isinstance(node, list):
        return [_json_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def assert_contract(response, path: str, method: str = "get"):
    """The response's status is documented for the operation and its body
    matches the documented schema; returns the body."""
    operation = _openapi()["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{method.upper()} {path} does not document {response.status_code}"
    schema = documented["content"]["application/json"]["schema"]
    body = response.json()
    jsonschema.validate(
        body, {**_json_schema(schema), "components": _json_schema(_openapi()["components"])}
    )
    return body


def _entry(**changes):
    return {
        "kind": DutyKind.HOUSEHOLD_VISIT,
        "occurred_on": "2026-11-02",
        "title": "走访东河村独居老人",
        "note": "了解冬季取暖情况，已向村委会反映。",
        **changes,
    }


# --- records ------------------------------------------------------------------------------


def test_a_deputy_reads_their_years_records_and_never_another_deputys(world, client_for):
    client = client_for("deputy")
    body = assert_contract(
        client.get(reverse("api:duty-record-list"), {"year": 2026}), "/api/duties/records/"
    )
    ids = [row["id"] for row in body["results"]]
    assert sorted(ids) == sorted(
        DutyRecord.objects.filter(person=world.person).values_list("pk", flat=True)
    )
    rows = {row["title"]: row for row in body["results"]}
    inspection = rows["视察东河村饮水安全工程"]  # 张三's record of it has the same title
    assert (inspection["source_type"], inspection["attendance"], inspection["counts"]) == (
        "activity",
        "present",
        True,
    )
    pending = rows["调解东河村两户宅基地纠纷"]
    assert (pending["is_own_entry"], pending["status"], pending["counts"]) == (
        True,
        "pending",
        False,
    )
    assert (pending["source_label"], pending["source_url"]) == ("本人录入", None)
    reception = next(row for row in rows.values() if row["source_type"] == "reception")
    assert reception["source_url"].endswith(
        reverse("opinions:reception_detail", args=[world.reception.pk])
    )

    others = client.get(reverse("api:duty-record-detail", args=[world.other_entry.pk]))
    assert others.status_code == 404
    assert assert_contract(others, "/api/duties/records/{id}/") == {
        "code": "not_found",
        "message": "记录不存在或无权查看",
    }
    assert client.get(reverse("api:duty-record-list"), {"year": 2025}).json()["results"] == []
    bad = client.get(reverse("api:duty-record-list"), {"year": "明年"})
    assert "year" in assert_contract(bad, "/api/duties/records/")["errors"]


def test_the_records_list_reads_a_fixed_number_of_queries(world, client_for):
    client = client_for("deputy")

    def load():
        assert client.get(reverse("api:duty-record-list")).status_code == 200

    def add_rows():
        for day in range(1, 21):
            services.entry_submit(
                actor=world.user("deputy"),
                person=world.person,
                **{**_entry(), "occurred_on": datetime.date(2026, 6, day)},
            )

    assert_pinned_queries(load, add_rows, expected=5)


# --- own entries ----------------------------------------------------------------------------


def test_a_deputy_adds_an_entry_with_a_photo_and_sees_it_pending(world, client_for):
    client = client_for("deputy")
    photo = SimpleUploadedFile("走访.png", tiny_png(), content_type="image/png")
    response = client.post(reverse("api:duty-record-list"), {**_entry(), "photo": photo})
    assert response.status_code == 201, response.json()
    body = assert_contract(response, "/api/duties/records/", "post")
    assert (body["status"], body["is_own_entry"], body["kind_label"]) == (
        "pending",
        True,
        "入户走访",
    )
    assert [step["event"] for step in body["timeline"]] == ["submitted"]
    record = DutyRecord.objects.get(pk=body["id"])
    assert record.person == world.person and record.entered_by == world.user("deputy")
    shown = client.get(body["photo_url"])
    assert (shown.status_code, shown["Content-Type"]) == (200, "image/png")
    assert b"".join(shown.streaming_content) == tiny_png()


def test_a_fake_photo_and_bad_fields_are_refused_by_name_and_nothing_is_saved(world, client_for):
    client = client_for("deputy")
    before = DutyRecord.objects.count()
    fake = SimpleUploadedFile("现场.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(reverse("api:duty-record-list"), {**_entry(), "photo": fake})
    error = assert_contract(response, "/api/duties/records/", "post")
    assert (
        response.status_code == 400 and "不是有效的 JPG 或 PNG 图片" in error["errors"]["photo"][0]
    )
    # The service's own checks come back under the field they concern.
    for changes, field in [
        ({"kind": DutyKind.INSPECTION}, "kind"),
        ({"occurred_on": "2099-01-01"}, "occurred_on"),
        ({"note": ""}, "note"),
    ]:
        response = client.post(
            reverse("api:duty-record-list"), _entry(**changes), content_type=JSON
        )
        assert response.status_code == 400 and field in response.json()["errors"], changes
    assert DutyRecord.objects.count() == before


def test_a_returned_entry_is_mended_and_sent_again_once(world, client_for):
    services.entry_return(record=world.entry, actor=world.user("township"), reason="请补充佐证")
    client = client_for("deputy")
    url = reverse("api:duty-record-resubmit", args=[world.entry.pk])
    photo = SimpleUploadedFile("协议.png", tiny_png(), content_type="image/png")
    response = client.post(
        url, {**_entry(kind=DutyKind.DISPUTE, title="调解宅基地纠纷"), "photo": photo}
    )
    body = assert_contract(response, "/api/duties/records/{id}/resubmit/", "post")
    assert (body["status"], body["title"], body["check_comment"]) == (
        "pending",
        "调解宅基地纠纷",
        "请补充佐证",
    )
    assert [step["event"] for step in body["timeline"]] == ["submitted", "returned", "resubmitted"]
    again = client.post(url, _entry(), content_type=JSON)
    assert again.status_code == 400 and "待核实" in again.json()["message"]
    assert (
        client.post(
            reverse("api:duty-record-resubmit", args=[world.other_entry.pk]), _entry()
        ).status_code
        == 404
    )


def test_the_entry_kinds_are_those_a_deputy_may_record(client_for):
    body = assert_contract(
        client_for("deputy").get(reverse("api:duty-record-kinds")), "/api/duties/records/kinds/"
    )
    assert {"value": "household_visit", "label": "入户走访"} in body
    assert "inspection" not in {row["value"] for row in body}


# --- score and publications -------------------------------------------------------------------


def test_the_score_shows_each_item_under_the_local_scheme(world, client_for):
    client = client_for("deputy")
    body = assert_contract(client.get(reverse("api:duty-score")), "/api/duties/score/")
    assert body["scheme"]["name"] == "测试积分办法" and body["year"] == timezone.localdate().year
    lines = {line["item"]: line for line in body["lines"]}
    assert lines["遵纪守法基础分"]["points"] == "20.0"
    assert (lines["参加视察、调研"]["count"], lines["参加视察、调研"]["points"]) == (1, "2.0")
    assert (body["total"], body["band"], body["stars"]) == ("22.0", "不合格", 1)
    earlier = assert_contract(
        client.get(reverse("api:duty-score"), {"year": 2020}), "/api/duties/score/"
    )
    assert (earlier["scheme"], earlier["total"], earlier["lines"]) == (None, None, [])


def test_publications_covering_the_deputy_show_their_own_line(world, client_for):
    county_wide = services.score_publish(
        actor=world.user("county"),
        region=world.county,
        year=2026,
        title="测试县第三季度积分公示",
        as_of=datetime.date(2026, 9, 30),
    )
    services.score_publish(
        actor=world.user("other_township"),
        region=world.other_township,
        year=2026,
        title="龙泉镇积分公示",
        as_of=datetime.date(2026, 9, 30),
    )
    client = client_for("deputy")
    body = assert_contract(
        client.get(reverse("api:duty-publication-list")), "/api/duties/publications/"
    )
    assert {row["title"] for row in body["results"]} == {world.publication.title, county_wide.title}
    mine = next(row for row in body["results"] if row["id"] == world.publication.pk)["mine"]
    assert (mine["name"], mine["person"]) == ("王春燕", world.person.pk)
    detail = assert_contract(
        client.get(reverse("api:duty-publication-detail", args=[county_wide.pk])),
        "/api/duties/publications/{id}/",
    )
    assert {"王春燕", "张三", "李四"} <= {row["name"] for row in detail["rows"]}

    services.score_publication_withdraw(publication=county_wide, actor=world.user("county"))
    rows = client.get(reverse("api:duty-publication-list")).json()["results"]
    assert [row["id"] for row in rows] == [world.publication.pk]


# --- corrections ------------------------------------------------------------------------------


def test_a_deputy_asks_for_a_correction_and_reads_the_answer(world, client_for):
    client = client_for("deputy")
    url = reverse("api:duty-correction-list")
    response = client.post(
        url,
        {"year": 2026, "record": world.entry.pk, "reason": "这次调解已有村委会证明，请尽快核实。"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = assert_contract(response, "/api/duties/corrections/", "post")
    assert (body["status"], body["record_title"]) == ("open", "调解东河村两户宅基地纠纷")
    assert Correction.objects.get(pk=body["id"]).requested_by == world.user("deputy")

    refused = client.post(
        url, {"year": 2026, "record": world.other_entry.pk, "reason": "x"}, content_type=JSON
    )
    error = assert_contract(refused, "/api/duties/corrections/", "post")
    assert "record" in error["errors"]
    assert (
        "reason"
        in client.post(url, {"year": 2026, "reason": " "}, content_type=JSON).json()["errors"]
    )

    services.correction_answer(
        correction=world.correction,
        actor=world.user("township"),
        accept=True,
        answer="经核实，9月执法检查漏记，已补记2分。",
        award_item=world.scheme_items["award"],
        award_points=2,
    )
    rows = assert_contract(client.get(url), "/api/duties/corrections/")["results"]
    answered = next(row for row in rows if row["id"] == world.correction.pk)
    assert (answered["status"], answered["award_points"]) == ("accepted", "2.0")
    assert answered["answer"].startswith("经核实")
    other = client_for("other_township")
    assert other.get(url).status_code == 403


def test_other_roles_are_told_the_api_is_for_deputies(client_for):
    response = client_for("township").get(reverse("api:duty-score"))
    assert response.status_code == 403
    assert assert_contract(response, "/api/duties/score/") == {
        "code": "permission_denied",
        "message": "只有人大代表可以使用此接口",
    }
