"""The demo county builds the same way every time and can be run again."""

from io import StringIO

from django.core.management import call_command

from renda.core.models import Body, Region, RegionLevel, Role, Session, Unit, User


def counts():
    return (
        Region.objects.count(),
        Body.objects.count(),
        Session.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
    )


def test_seed_demo_builds_a_county_once_and_prints_one_account_per_role(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first

    county = Region.objects.get(level=RegionLevel.COUNTY)
    assert 14 <= county.children.count() <= 16
    assert 25 <= Unit.objects.count() <= 35
    assert set(User.objects.exclude(is_superuser=True).values_list("role", flat=True)) == set(
        Role.values
    )
    printed = out.getvalue()
    for username in User.objects.values_list("username", flat=True):
        assert username in printed
    for region in Region.objects.exclude(parent=None):
        assert region.code.startswith(region.parent.code)
