"""Searching the opinions ledger (renda/core/search.py): the same opinions on
SQLite and on PostgreSQL, and on PostgreSQL through `opinion_bigrams`."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.core import paging
from renda.core.tests.helpers import on_postgresql, search_plans
from renda.opinions import services
from renda.opinions.models import Opinion

OPINIONS = [
    ("村口路灯不亮", "东河村村口的路灯坏了一个月，晚上看不清路。"),
    ("ABC小区停水", "小区这周停水三次，老人提水困难。"),
    ("50%的农户没有自来水", "希望尽快接通自来水管网。"),
    ("a_b渠需要清淤", "渠道堵塞，雨季容易淹田。"),
]
WORDS = [
    "路灯",  # two characters: through the index on PostgreSQL
    "灯",  # one character: a plain LIKE
    "abc",  # Latin letters ignore case
    "0%",  # % and _ are themselves, not wildcards
    "a_b",
    "停水",  # in the title and in the content
    "提水",  # in the content only
    "亮东",  # the title's end and the content's start: never one text
    "没有人",
]


@pytest.fixture
def opinions(world):
    return [
        services.opinion_receive(
            channel="web",
            region=world.village,
            title=title,
            content=content,
            submitter_name="刘女士",
            submitter_phone=f"1390000{n:04d}",
        )[0]
        for n, (title, content) in enumerate(OPINIONS)
    ]


@pytest.mark.parametrize("word", WORDS)
def test_the_ledger_finds_a_word_in_the_title_or_the_content(world, opinions, client_for, word):
    response = client_for("township").get(reverse("opinions:list"), {"q": word})
    found = {row.pk for row in response.context["page"].object_list}
    shown = Opinion.objects.visible_to(world.user("township"))
    word = word.lower()
    expected = {o.pk for o in shown if word in o.title.lower() or word in o.content.lower()}
    assert found == expected
    assert found or word in {"亮东", "没有人"}


def more_opinions(template: Opinion, title: str, n: int) -> None:
    """`n` more opinions like `template`, titled `title` and a number, the
    table analysed so the planner weighs the indexes as on a real ledger."""
    fields = [f.attname for f in Opinion._meta.concrete_fields if not f.primary_key]
    Opinion.objects.bulk_create(
        Opinion(
            **{
                **{name: getattr(template, name) for name in fields},
                "title": f"{title}{k}",
                "content": "……",
                "receipt_code": f"R{k:08d}",
                "received_at": template.received_at - datetime.timedelta(minutes=k + 1),
            }
        )
        for k in range(n)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opinions_opinion")


@on_postgresql
def test_the_ledger_search_reads_the_bigram_index(world, opinions, client_for):
    """Among 2,000 more opinions in the township without the word."""
    more_opinions(opinions[0], "第号意见", 2000)
    client = client_for("township")
    plans = search_plans(lambda: client.get(reverse("opinions:list"), {"q": "路灯"}))
    for plan in plans:
        assert "Bitmap Index Scan on opinion_bigrams" in plan, plan


@on_postgresql
def test_a_word_in_thousands_of_opinions_is_read_in_the_ledger_s_order(world, opinions, client_for):
    """A word in paging.IN_ORDER_FROM opinions or more: the page walks the
    ledger's date index and keeps the opinions holding the word, instead of
    reading them all through the bigram index to sort them; the count still
    reads the bigram index."""
    more_opinions(opinions[0], "路灯不亮第", paging.IN_ORDER_FROM)
    client = client_for("township")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("opinions:list"), {"q": "路灯"})
    shown = [row.pk for row in response.context["page"].object_list]
    expected = Opinion.objects.filter(title__contains="路灯").order_by("-received_at", "-pk")
    assert shown == list(expected.values_list("pk", flat=True)[: len(shown)])
    assert len(shown) == 50
    count, rows = (
        next(q["sql"] for q in queries.captured_queries if q["sql"].startswith(start))
        for start in ("SELECT COUNT(*)", 'SELECT "opinions_opinion"."id"')
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {rows}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "renda_bigrams" in count and "renda_bigrams" not in rows
    assert "Index Scan Backward using opinions_opinion_received_at" in plan, plan
