"""Searching the activity list (renda/core/search.py): a word in the title,
the place or the content, the same activities on SQLite and on PostgreSQL,
and on PostgreSQL through `activity_bigrams`."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from renda.core.tests.helpers import on_postgresql, search_plans
from renda.duties.models import Activity, DutyKind

ACTIVITIES = [
    ("视察饮水工程", "东河村水厂", "查看ABC型净水设备的运行。"),
    ("调研茶叶产业", "龙泉镇茶园", "50%的茶农加入了合作社。"),
    ("小组活动", "", "走访a_b组的困难群众。"),
]
WORDS = [
    "饮水",  # the title
    "水厂",  # the place
    "合作社",  # the content
    "abc",  # Latin letters ignore case
    "0%",  # % and _ are themselves, not wildcards
    "a_b",
    "茶",  # one character: a plain LIKE
    "水厂查看",  # the place's end and the content's start: never one text
]


@pytest.fixture
def activities(world):
    return [
        Activity.objects.create(
            region=world.township,
            kind=DutyKind.SURVEY,
            title=title,
            place=place,
            content=content,
            held_on=datetime.date(2026, 5, 1),
            recorded_by=world.user("township"),
        )
        for title, place, content in ACTIVITIES
    ]


@pytest.mark.parametrize("word", WORDS)
def test_the_list_finds_a_word_in_the_title_the_place_or_the_content(
    world, activities, client_for, word
):
    response = client_for("county").get(reverse("duties:activity_list"), {"q": word})
    found = {activity.pk for activity in response.context["page"].object_list}
    word = word.lower()
    expected = {
        a.pk
        for a in Activity.objects.visible_to(world.user("county"))
        if any(word in text.lower() for text in (a.title, a.place, a.content))
    }
    assert found == expected
    assert found or word == "水厂查看"


@on_postgresql
def test_the_list_search_reads_the_bigram_index(world, activities, client_for):
    """Among 2,000 more activities (table analysed), so the planner weighs
    the indexes as on a real list."""
    template = activities[0]
    Activity.objects.bulk_create(
        Activity(
            region=template.region,
            kind=template.kind,
            title=f"第{n}次活动",
            held_on=template.held_on,
            recorded_by=template.recorded_by,
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE duties_activity")
    client = client_for("county")
    plans = search_plans(lambda: client.get(reverse("duties:activity_list"), {"q": "饮水"}))
    for plan in plans:
        assert "Bitmap Index Scan on activity_bigrams" in plan, plan
