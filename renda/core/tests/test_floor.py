"""The speed floor of `make bench`: the base layout with no database query."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("role", ["anonymous", "county", "unit", "public"])
def test_floor_page_makes_no_query_for_anyone(role, world, client_for, django_assert_num_queries):
    """Signed in or not, the floor reads neither the session nor the user."""
    client = client_for(role)
    with django_assert_num_queries(0):
        response = client.get(reverse("core:floor"))
    assert response.status_code == 200


def test_floor_page_draws_the_layout_a_signed_in_county_clerk_sees(client):
    """The full navigation and the user menu, for a stand-in that shows no data."""
    page = client.get(reverse("core:floor")).content.decode()
    for label in (
        "建议台账",
        "社情民意台账",
        "规则设置",
        "退出登录",
        "示范县",
        'data-testid="floor"',
    ):
        assert label in page
