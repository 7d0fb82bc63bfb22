"""A province's staff pick a county before a list offers townships, sessions,
units, groups and stations (renda/core/areas.py); county staff never see
the county select."""

import re

import pytest
from django.urls import reverse

from renda.core.tests.helpers import assert_waits_for_a_county, options

PAGES = {
    # page: the region-bound select it narrows
    "deputies:list": "township",
    "opinions:list": "township",
    "duties:activity_list": "township",
    "suggestions:list": "unit",
}


@pytest.mark.parametrize("name", PAGES)
def test_a_province_user_picks_a_county_first_and_sees_only_its_choices(
    world, province, client, name
):
    client.force_login(province["user"])
    url, select = reverse(name), PAGES[name]
    mine = world.township.code if select == "township" else str(world.county_unit.pk)
    before = client.get(url).content.decode()
    assert_waits_for_a_county(before, province, select)

    assert mine not in options(
        client.get(url, {"area": province["other"].code}).content.decode(), select
    )
    assert mine in options(client.get(url, {"area": world.county.code}).content.decode(), select)


def test_the_list_itself_is_narrowed_to_the_picked_county(world, province, client):
    client.force_login(province["user"])
    url = reverse("deputies:list")
    everyone = client.get(url).context["page"].paginator.count
    assert everyone > 0
    assert client.get(url, {"area": province["other"].code}).context["page"].paginator.count == 0
    assert client.get(url, {"area": world.county.code}).context["page"].paginator.count == everyone


def test_county_staff_never_see_the_county_select(world, province, client_for):
    page = client_for("county").get(reverse("deputies:list")).content.decode()
    assert 'data-testid="area-select"' not in page
    assert f'<option value="{world.township.code}"' in page


def test_a_link_naming_a_unit_still_filters_without_its_county(world, province, client):
    client.force_login(province["user"])
    response = client.get(reverse("suggestions:list"), {"unit": world.county_unit.pk})
    assert response.context["form"].is_valid()
    assert options(response.content.decode(), "unit") == set()  # still held back in the select


def test_a_select_offered_for_an_area_keeps_the_labels_set_after_offering(world, client_for):
    """Forms name their empty choice ("全部会议") after offering the area's
    options; the select showed Django's "---------" instead."""
    html = client_for("county").get(reverse("suggestions:list")).content.decode()
    for name, label in (("session", "全部会议"), ("unit", "全部承办单位")):
        assert re.search(rf'<select name="{name}"[^>]*>\s*<option value="" selected>{label}<', html)
