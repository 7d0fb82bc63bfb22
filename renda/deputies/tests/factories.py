"""factory_boy factories for the deputies registers."""

import datetime

import factory

from renda.core.tests.factories import RegionFactory, TermFactory
from renda.deputies.models import (
    Assessment,
    AssessmentResult,
    Checklist,
    ChecklistItem,
    Constituency,
    ContactLink,
    Group,
    Mandate,
    Person,
    ReceptionSchedule,
    Station,
)
from renda.deputies.names import pinyin_keys
from renda.deputies.services import group_add_member


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"代表{n}")
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[0])
    name_initials = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[1])
    gender = "male"
    birth_date = datetime.date(1975, 5, 1)
    party = "cpc"
    occupation = "farmer"
    education = "senior"
    unit_and_post = "东河村党支部书记"
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    region = factory.SubFactory(RegionFactory)


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}选区")
    region = factory.SubFactory(RegionFactory)
    seats = 2


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    level = "township"
    term = None
    term_label = "第十八届"
    elected_on = datetime.date(2021, 11, 20)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    kind = "area"
    name = factory.Sequence(lambda n: f"代表小组{n}")
    region = factory.SubFactory(RegionFactory)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):  # noqa: N805
        for index, person in enumerate(extracted or []):
            group_add_member(group=obj, person=person, role="leader" if index == 0 else "member")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        skip_postgeneration_save = True

    kind = "liaison_station"
    name = factory.Sequence(lambda n: f"代表联络站{n}")
    region = factory.SubFactory(RegionFactory)
    address = "村委会一楼"

    @factory.post_generation
    def liaison_officers(obj, create, extracted, **kwargs):  # noqa: N805
        if extracted:
            obj.liaison_officers.set(extracted)

    @factory.post_generation
    def resident_deputies(obj, create, extracted, **kwargs):  # noqa: N805
        if extracted:
            obj.resident_deputies.set(extracted)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionSchedule

    station = factory.SubFactory(StationFactory)
    kind = "weekly"
    weekday = 1


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist
        skip_postgeneration_save = True

    name = "七有"

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):  # noqa: N805
        for order, title in enumerate(extracted or [], start=1):
            ChecklistItem.objects.create(checklist=obj, order=order, title=title)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    checklist = factory.SubFactory(ChecklistFactory)
    assessed_on = datetime.date(2026, 6, 30)

    @factory.post_generation
    def met(obj, create, extracted, **kwargs):  # noqa: N805
        for item, met in zip(obj.checklist.items.order_by("order"), extracted or [], strict=False):
            AssessmentResult.objects.create(assessment=obj, item=item, met=met)


class ContactLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLink

    kind = "deputy_voter"
    linker = factory.SubFactory(PersonFactory)
    target_name = "选民"
    started_on = datetime.date(2022, 3, 1)
