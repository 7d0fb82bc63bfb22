"""API wiring: authentication by session and token, one error format, an offline schema."""

from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.authtoken.models import Token

from renda.core.tests.factories import PASSWORD


def test_anonymous_requests_get_401_in_the_common_format(world, client):
    response = client.get(reverse("api:unit-list"))
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录"}


def test_a_token_is_issued_for_good_credentials_and_authenticates(world, client):
    response = client.post(reverse("api:token"), {"username": "unit", "password": PASSWORD})
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == world.user("unit")
    me = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["role"] == "unit"


def test_bad_credentials_get_a_validation_error_with_fields(world, client):
    response = client.post(reverse("api:token"), {"username": "unit"})
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert body["message"].startswith("提交的内容有误")
    assert "password" in body["errors"]


def test_a_user_name_longer_than_any_account_is_refused_before_it_is_tried(world, client):
    """It used to be tried and recorded as a failed sign-in, which overflowed
    the record's column on PostgreSQL (a 500)."""
    response = client.post(reverse("api:token"), {"username": "长" * 151, "password": "x"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["username"]
    assert not AccessAttempt.objects.exists()


def test_a_unit_account_lists_only_its_own_unit(world, client_for):
    rows = client_for("unit").get(reverse("api:unit-list")).json()["results"]
    assert [row["name"] for row in rows] == ["县交通运输局"]


def test_schema_and_docs_are_served_without_internet(world, client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    assert b"/api/units/" in schema.content
    docs = client.get(reverse("api:docs")).content.decode()
    assert "//cdn" not in docs.lower() and "unpkg" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
