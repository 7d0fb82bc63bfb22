"""Deputies API: scope, public fields, writes by office staff with the same validation as the pages."""

from django.core.management import call_command
from django.urls import reverse

from renda.deputies.idcard import check_character
from renda.deputies.models import Person


def valid_id(birth="19800101", seq="123"):
    first17 = "990121" + birth + seq
    return first17 + check_character(first17)


def test_the_openapi_schema_is_valid():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_a_deputy_reads_others_public_fields_only_and_their_own_private_ones(world, client_for):
    client = client_for("deputy")
    own = client.get(reverse("api:deputy-detail", args=[world.person.pk])).json()
    other = client.get(reverse("api:deputy-detail", args=[world.county_person.pk])).json()
    assert "mobile" in own and "birth_date" in own
    assert "mobile" not in other and "birth_date" not in other and "id_number_masked" not in other
    assert "id_number" not in own  # the full number never leaves through the API


def test_search_by_pinyin_initials(world, client_for):
    rows = client_for("township").get(reverse("api:deputy-list"), {"q": "zs"}).json()["results"]
    assert [row["name"] for row in rows] == ["张三"]


def test_township_staff_create_a_deputy_and_bad_identity_is_refused_by_field(world, client_for):
    client = client_for("township")
    base = {
        "name": "赵六",
        "gender": "male",
        "birth_date": "1980-01-01",
        "ethnicity": "汉族",
        "party": "masses",
        "occupation": "farmer",
        "education": "junior",
        "region": world.township.pk,
    }
    response = client.post(
        reverse("api:deputy-list"),
        {**base, "id_number": valid_id(seq="123")},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert Person.objects.get(name="赵六").name_initials == "zl"

    bad = client.post(
        reverse("api:deputy-list"),
        {**base, "name": "赵七", "gender": "female", "id_number": valid_id(seq="125")},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "gender" in bad.json()["errors"]


def test_township_staff_cannot_file_a_deputy_under_another_township(world, client_for):
    response = client_for("township").post(
        reverse("api:deputy-list"),
        {
            "name": "钱八",
            "gender": "male",
            "birth_date": "1980-01-01",
            "party": "masses",
            "occupation": "farmer",
            "education": "junior",
            "region": world.other_township.pk,
            "id_number": valid_id(seq="127"),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["region"]


def test_units_and_the_public_are_refused(world, client_for):
    for role in ("unit", "public"):
        assert client_for(role).get(reverse("api:deputy-list")).status_code == 403


def test_township_staff_add_a_station_through_the_api_but_not_in_another_township(
    world, client_for
):
    client = client_for("township")
    payload = {
        "kind": "liaison_station",
        "name": "西河村代表联络站",
        "region": world.township.pk,
        "resident_deputies": [world.person.pk],
    }
    response = client.post(reverse("api:station-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["resident_deputies"] == [world.person.pk]
    refused = client.post(
        reverse("api:station-list"),
        {**payload, "region": world.other_township.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "region" in refused.json()["errors"]
    assert (
        client_for("deputy")
        .post(reverse("api:station-list"), payload, content_type="application/json")
        .status_code
        == 403
    )
