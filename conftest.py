"""The fixed cast every test can use (healthchecks-style): one county with two
townships, their units and congresses, and one user per role, including
an outsider of each kind who must be refused."""

from dataclasses import dataclass, field

import pytest

from renda.core.models import BodyKind, RegionLevel, Role, User
from renda.core.tests import factories as f

ROLES = [
    "anonymous",
    "public",
    "county",
    "township",
    "other_township",
    "deputy",
    "liaison",
    "unit",
    "other_unit",
    "admin",
]


@dataclass
class World:
    county: object
    township: object
    other_township: object
    village: object
    county_unit: object
    township_unit: object
    other_unit: object
    county_congress: object
    township_congress: object
    other_congress: object
    session: object
    other_session: object
    rule: object
    township_rule: object
    other_rule: object
    users: dict = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return self.users.get(role)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    county = f.RegionFactory(code="990121", name="测试县", level=RegionLevel.COUNTY)
    township = f.TownshipFactory(code="990121101", name="青山镇", parent=county)
    other = f.TownshipFactory(code="990121102", name="龙泉镇", parent=county)
    village = f.VillageFactory(code="990121101201", name="东河村", parent=township)
    county_unit = f.UnitFactory(name="县交通运输局", region=county)
    township_unit = f.UnitFactory(name="青山镇农业服务中心", region=township)
    other_unit = f.UnitFactory(name="龙泉镇村建中心", region=other)
    county_congress = f.BodyFactory(
        region=county, kind=BodyKind.CONGRESS, name="测试县人民代表大会"
    )
    township_congress = f.BodyFactory(
        region=township, kind=BodyKind.CONGRESS, name="青山镇人民代表大会"
    )
    other_congress = f.BodyFactory(region=other, kind=BodyKind.CONGRESS, name="龙泉镇人民代表大会")
    session = f.SessionFactory(term=f.TermFactory(body=township_congress), number=1)
    other_session = f.SessionFactory(term=f.TermFactory(body=other_congress), number=1)
    w = World(
        county=county,
        township=township,
        other_township=other,
        village=village,
        county_unit=county_unit,
        township_unit=township_unit,
        other_unit=other_unit,
        county_congress=county_congress,
        township_congress=township_congress,
        other_congress=other_congress,
        session=session,
        other_session=other_session,
        rule=f.RuleFactory(key="suggestion.reply_months", region=None, value=3),
        township_rule=f.RuleFactory(key="township.rule", region=township, value=1),
        other_rule=f.RuleFactory(key="township.rule", region=other, value=2),
    )
    w.users = {
        "public": f.UserFactory(username="public", role=Role.PUBLIC),
        "county": f.UserFactory(username="county", role=Role.COUNTY_STAFF, region=county),
        "township": f.UserFactory(username="township", role=Role.TOWNSHIP_STAFF, region=township),
        "other_township": f.UserFactory(
            username="other_township", role=Role.TOWNSHIP_STAFF, region=other
        ),
        "deputy": f.UserFactory(username="deputy", role=Role.DEPUTY, region=township),
        "liaison": f.UserFactory(username="liaison", role=Role.LIAISON, region=township),
        "unit": f.UserFactory(username="unit", role=Role.UNIT, unit=county_unit),
        "other_unit": f.UserFactory(username="other_unit", role=Role.UNIT, unit=other_unit),
        "admin": f.UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    return w


@pytest.fixture
def client_for(client, world):
    """A test client signed in as one of the cast (or anonymous)."""

    def sign_in(role: str):
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
