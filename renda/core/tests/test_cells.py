"""Whose figures cells may stand for (renda/core/cells.py): a superuser's
and a province's or a city's staff; everyone else's figures are counted
live through visible_to."""

from renda.core.cells import scope_code
from renda.core.models import Role
from renda.core.tests import factories as f


def test_cells_stand_for_a_superuser_and_staff_above_a_county(world, province):
    superuser = f.UserFactory(is_superuser=True)
    assert scope_code(superuser) == ""
    assert scope_code(province["user"]) == province["region"].code
    for role in ("county", "township", "deputy", "liaison", "unit", "public"):
        assert scope_code(world.user(role)) is None, role
    deputy_of_the_province = f.UserFactory(role=Role.DEPUTY, region=province["region"])
    assert scope_code(deputy_of_the_province) is None
