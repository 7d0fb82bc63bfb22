"""factory_boy factories for core records; other apps' factories build on these."""

import datetime

import factory

from renda.core.models import (
    Body,
    BodyKind,
    Region,
    RegionLevel,
    Role,
    Rule,
    Session,
    Term,
    Unit,
    UnitKind,
    User,
)

PASSWORD = "Test-pass-2026"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "990121"
    name = "测试县"
    level = RegionLevel.COUNTY
    parent = None


class TownshipFactory(RegionFactory):
    level = RegionLevel.TOWNSHIP
    parent = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"990121{n % 800 + 103:03d}")
    name = factory.Sequence(lambda n: f"测试{n}镇")


class VillageFactory(RegionFactory):
    level = RegionLevel.VILLAGE
    parent = factory.SubFactory(TownshipFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 700 + 201:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    region = factory.SubFactory(RegionFactory)
    kind = BodyKind.CONGRESS
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.region.name}人民代表大会{n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    body = factory.SubFactory(BodyFactory)
    number = 18
    started_on = datetime.date(2021, 12, 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    opened_on = datetime.date(2026, 1, 10)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = UnitKind.GOVERNMENT
    region = factory.SubFactory(RegionFactory)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    key = "test.rule"
    region = None
    value = 3
    effective_from = datetime.date(2020, 1, 1)
    source = "测试依据第一条"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PUBLIC
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
