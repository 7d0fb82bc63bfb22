"""Searching the staff register and the public list (renda/core/search.py):
the same items on SQLite and on PostgreSQL, and on PostgreSQL through the
`suggestion_bigrams` and `person_name_bigrams` indexes."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from renda.core.tests.helpers import on_postgresql, search_plans
from renda.suggestions.models import Category, Suggestion
from renda.suggestions.tests.helpers import submitted_item
from renda.suggestions.views.reports import public_search

ITEMS = [
    ("关于建设青山镇敬老院的建议", "18-1-101"),
    ("关于改善ABC村道路的建议", "闭2026-X01"),
    ("关于50%农户改厕的建议", "18-1-103"),
    ("关于a_b渠清淤的建议", "18-1-104"),
    ("关于axb渠清淤的建议", "18-1-105"),
]

WORDS = [
    "敬老",  # two characters: through the index on PostgreSQL
    "敬",  # one character: a plain LIKE
    "abc",  # Latin letters ignore case, in the title ...
    "x01",  # ... and in the number
    "0%",  # % and _ are themselves, not wildcards
    "%",
    "a_b",
    "_",
    "18-1",
    "议18",  # the title's end and the number's start: never one text
    "没有",
]
# The public list also searches the category's name and the authors' names.
PUBLIC_WORDS = [*WORDS, "交通", "通", "春燕", "燕", "张三"]


@pytest.fixture
def items(world):
    """The items above, submitted by 王春燕 and published, beside the
    world's item (category 道路交通, co-signed by 张三), published too."""
    made = []
    for title, number in ITEMS:
        item = submitted_item(world, title=title)
        Suggestion.objects.filter(pk=item.pk).update(number=number)
        made.append(item)
    Suggestion.objects.filter(pk__in=[world.suggestion.pk, *(i.pk for i in made)]).update(
        published=True, published_at=timezone.now()
    )
    return made


def matching(queryset, word):
    """The items whose title, number, category or author names contain the
    word, found in Python."""
    word = word.lower()
    return {
        item.pk
        for item in queryset.select_related("category").prefetch_related("authors")
        if any(
            word in text.lower()
            for text in (
                item.title,
                item.number,
                item.category.name if item.category else "",
                *(person.name for person in item.authors.all()),
            )
        )
    }


@pytest.mark.parametrize("word", WORDS)
def test_the_register_finds_a_word_in_the_title_or_the_number(world, items, client_for, word):
    response = client_for("township").get(reverse("suggestions:list"), {"q": word})
    found = {row.pk for row in response.context["rows"]}
    shown = Suggestion.objects.visible_to(world.user("township")).exclude(status="draft")
    word = word.lower()
    assert found == {i.pk for i in shown if word in i.title.lower() or word in i.number.lower()}


@pytest.mark.parametrize("word", PUBLIC_WORDS)
def test_the_public_list_finds_a_word_in_title_number_category_or_author(items, client_for, word):
    html = client_for("anonymous").get(reverse("suggestions:public_list"), {"q": word})
    found = {int(pk) for pk in re.findall(r'data-item="(\d+)"', html.content.decode())}
    assert found == matching(Suggestion.objects.filter(published=True), word)


@pytest.fixture
def many_items(world, items):
    """2,000 more published items in 200 categories, so the planner weighs
    the indexes as on a real register (tables analysed)."""
    model = world.suggestion
    categories = Category.objects.bulk_create(Category(name=f"类别{n}") for n in range(200))
    Suggestion.objects.bulk_create(
        Suggestion(
            number=f"18-2-{n:04d}",
            title=f"关于第{n}号事项的建议",
            body="……",
            kind=model.kind,
            occasion=model.occasion,
            congress_id=model.congress_id,
            session_id=model.session_id,
            region_id=model.region_id,
            category=categories[n % 200],
            status=model.status,
            submitted_at=model.submitted_at,
            entered_by_id=model.entered_by_id,
            published=True,
            published_at=timezone.now(),
        )
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE suggestions_suggestion, suggestions_category, suggestions_authorship,"
            " deputies_person"
        )


@on_postgresql
def test_the_register_search_reads_the_bigram_index(many_items, client_for):
    client = client_for("township")
    plans = search_plans(lambda: client.get(reverse("suggestions:list"), {"q": "敬老"}))
    for plan in plans:
        assert "Bitmap Index Scan on suggestion_bigrams" in plan, plan


@on_postgresql
def test_the_public_search_reads_the_item_and_author_indexes(many_items):
    """The list's condition alone: on the page it comes with `published`,
    whose own index a plan for a small table may prefer."""
    found = Suggestion.objects.filter(public_search("春燕"))
    for plan in search_plans(lambda: list(found)):
        assert "Bitmap Index Scan on suggestion_bigrams" in plan, plan
        assert "Bitmap Index Scan on person_name_bigrams" in plan, plan
