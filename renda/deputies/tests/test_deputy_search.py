"""Searching deputies by name and constituencies by name or place
(renda/core/search.py): the same rows on SQLite and on PostgreSQL, and on
PostgreSQL through the `person_name_bigrams` and `constituency_name_bigrams`
indexes."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from renda.core.tests import factories as f
from renda.core.tests.helpers import on_postgresql, search_plans
from renda.deputies.models import Constituency, Mandate, Person
from renda.deputies.names import pinyin_keys
from renda.deputies.tests import factories as d


@pytest.fixture
def more(world):
    """Two more deputies of 青山镇 (one with Latin letters in the name) and
    two more constituencies with a serving deputy, one in a village named
    for its ridge."""
    for name in ("Anna春燕", "王_春"):
        person = d.PersonFactory(name=name, region=world.township)
        d.MandateFactory(person=person, term=world.term, level="township")
    ridge = f.VillageFactory(code="990121101202", name="青山岭村", parent=world.township)
    for number, name, region in ((2, "东河村第2选区", world.village), (3, "第3选区", ridge)):
        constituency = d.ConstituencyFactory(
            term=world.term, number=number, name=name, region=region
        )
        d.MandateFactory(term=world.term, constituency=constituency, person__region=world.township)


@pytest.mark.parametrize("word", ["春燕", "燕", "anna", "ANNA", "_春", "_", "张三", "zs", "没有"])
def test_the_roster_finds_a_name_by_characters_or_pinyin(world, more, client_for, word):
    page = client_for("township").get(reverse("deputies:list"), {"q": word}).context["page"]
    everyone = client_for("township").get(reverse("deputies:list")).context["page"]
    key = word.lower()
    spelled = key.isascii() and key.isalpha()
    expected = {
        p.pk
        for p in everyone
        if key in p.name.lower()
        or (spelled and any(k.startswith(key) for k in pinyin_keys(p.name)))
    }
    assert {p.pk for p in page} == expected


@pytest.mark.parametrize("word", ["青山", "青", "东河村", "村第", "第2", "岭村", "选区", "没有"])
def test_the_public_index_finds_a_constituency_by_its_name_or_its_place(world, more, client, word):
    page = client.get(reverse("deputies:disclosure_index"), {"q": word}).context["page"]
    serving = Constituency.objects.filter(
        pk__in=Mandate.objects.filter(ended_on__isnull=True).values("constituency")
    ).select_related("region")
    expected = {c.pk for c in serving if word in c.name or word in c.region.name}
    assert {c.pk for c in page} == expected


@pytest.fixture
def many(world):
    """2,000 more deputies of 青山镇, each serving a constituency of their
    own, so the planner weighs the indexes as on a province's tables
    (analysed)."""
    people = Person.objects.bulk_create(
        Person(
            name=f"赵{n}",
            name_pinyin=f"zhao{n}",
            name_initials=f"z{n}",
            gender="male",
            birth_date=datetime.date(1970, 1, 1),
            party="cpc",
            occupation="farmer",
            education="junior",
            region=world.township,
        )
        for n in range(2000)
    )
    places = Constituency.objects.bulk_create(
        Constituency(term=world.term, number=100 + n, name=f"第{100 + n}选区", region=world.village)
        for n in range(2000)
    )
    Mandate.objects.bulk_create(
        Mandate(
            person=person,
            constituency=place,
            term=world.term,
            level="township",
            term_label="第十八届",
            elected_on=datetime.date(2021, 11, 20),
        )
        for person, place in zip(people, places, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE deputies_person, deputies_constituency, deputies_mandate, core_region"
        )


@on_postgresql
def test_the_roster_search_reads_the_name_index(many, client_for):
    client = client_for("township")
    for plan in search_plans(lambda: client.get(reverse("deputies:list"), {"q": "春燕"})):
        assert "Bitmap Index Scan on person_name_bigrams" in plan, plan


@on_postgresql
def test_the_public_index_search_reads_the_constituency_index(many, client):
    index = reverse("deputies:disclosure_index")
    for plan in search_plans(lambda: client.get(index, {"q": "青山"})):
        assert "Bitmap Index Scan on constituency_name_bigrams" in plan, plan
