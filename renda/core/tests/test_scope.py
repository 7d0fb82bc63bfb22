"""Scope is enforced by visible_to: townships never see each other's records."""

from django.urls import reverse

from renda.core.models import Body, Region, Rule, Unit


def test_township_staff_see_their_own_township_and_the_county_above(world):
    user = world.user("township")
    regions = set(Region.objects.visible_to(user))
    assert world.township in regions
    assert world.village in regions
    assert world.other_township not in regions
    assert world.county not in regions


def test_county_staff_see_every_township(world):
    regions = set(Region.objects.visible_to(world.user("county")))
    assert {world.county, world.township, world.other_township, world.village} <= regions


def test_township_staff_see_county_units_but_not_another_townships(world):
    units = set(Unit.objects.visible_to(world.user("township")))
    assert units == {world.county_unit, world.township_unit}


def test_unit_account_sees_only_its_own_unit(world):
    assert list(Unit.objects.visible_to(world.user("unit"))) == [world.county_unit]
    assert not Region.objects.visible_to(world.user("unit")).exists()


def test_public_and_anonymous_see_nothing_through_visible_to(world):
    from django.contrib.auth.models import AnonymousUser

    for user in (world.user("public"), AnonymousUser()):
        assert not Unit.objects.visible_to(user).exists()
        assert not Body.objects.visible_to(user).exists()


def test_rules_visible_include_national_and_own_but_not_other_township(world):
    rules = set(Rule.objects.visible_to(world.user("township")))
    assert world.rule in rules
    assert world.township_rule in rules
    assert world.other_rule not in rules


def test_township_staff_are_refused_another_townships_pages(world, client_for):
    client = client_for("township")
    for url in (
        reverse("core:region_detail", args=[world.other_township.pk]),
        reverse("core:body_detail", args=[world.other_congress.pk]),
        reverse("core:session_detail", args=[world.other_session.pk]),
        reverse("core:unit_detail", args=[world.other_unit.pk]),
        reverse("core:unit_edit", args=[world.other_unit.pk]),
        reverse("core:rule_detail", args=[world.other_rule.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "龙泉镇" not in response.content.decode()


def test_township_staff_are_refused_another_townships_records_in_the_api(world, client_for):
    client = client_for("township")
    for url in (
        reverse("api:region-detail", args=[world.other_township.pk]),
        reverse("api:body-detail", args=[world.other_congress.pk]),
        reverse("api:unit-detail", args=[world.other_unit.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"code": "not_found", "message": "记录不存在或无权查看"}
    listed = {row["name"] for row in client.get(reverse("api:unit-list")).json()["results"]}
    assert listed == {"县交通运输局", "青山镇农业服务中心"}


def test_township_staff_cannot_move_another_townships_session(world, client_for):
    response = client_for("township").post(
        reverse("core:session_move", args=[world.other_session.pk]), {"to": "open"}
    )
    assert response.status_code == 404
    world.other_session.refresh_from_db()
    assert world.other_session.status == "planned"
