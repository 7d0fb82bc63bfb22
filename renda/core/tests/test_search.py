"""contains_text (renda/core/search.py): the same rows on SQLite and on
PostgreSQL, whichever way each database looks for them."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.core.models import Region, RegionLevel
from renda.core.search import contains_text, in_list_order
from renda.core.tests.helpers import on_postgresql

PLACES = [
    ("道路村", "T01"),
    ("关于道路", "T02"),
    ("AbC镇", "T03"),
    ("50%达标村", "T04"),
    ("a_b村", "T05"),
    ("axb村", "T06"),
    ("反\\斜", "T07"),
    ("东河村", "99X"),
]

WORDS = [
    "道路",  # two characters: the index's case on PostgreSQL
    "道",  # one character: a plain LIKE everywhere
    "abc",  # Latin letters ignore case ...
    "ABC",
    "bC",
    "9x",  # ... in the code too
    "0%",  # % and _ are themselves, not wildcards
    "%",
    "a_b",
    "_",
    "\\斜",
    "河村",
    "村99",  # the end of the name and the start of the code: not one text
    "T0",
    "没有",
]


def found_in_python(rows, word, *fields):
    return {row.pk for row in rows if any(word.lower() in getattr(row, f).lower() for f in fields)}


@pytest.fixture
def places(db):
    county = Region.objects.create(code="T", name="测试", level=RegionLevel.COUNTY)
    for name, code in PLACES:
        Region.objects.create(code=code, name=name, level=RegionLevel.VILLAGE, parent=county)
    return Region.objects.all()


@pytest.mark.parametrize("word", WORDS)
def test_a_word_finds_the_rows_that_contain_it_in_any_field_ignoring_case(places, word):
    found = set(places.filter(contains_text(word, "name", "code")).values_list("pk", flat=True))
    assert found == found_in_python(places, word, "name", "code")


@pytest.mark.parametrize("word", WORDS)
def test_read_in_the_list_s_order_a_word_finds_the_same_rows_without_the_index(places, word):
    """in_list_order leaves the bigram condition out (the paginator's way
    for a word in many rows); the LIKE alone keeps the rows the same."""
    search = places.filter(contains_text(word, "name", "code")).order_by("code")
    with in_list_order():
        sql = str(search.query)
        found = [place.pk for place in search]
    assert "renda_bigrams" not in sql
    assert found == [place.pk for place in search]
    assert ("renda_bigrams" in str(search.query)) == (
        connection.vendor == "postgresql" and len(word) >= 2
    )


def test_a_word_never_runs_across_two_fields(places):
    """东河村 and 99X: 村99 spans the end of the name and the start of the
    code, and finds nothing (the bigram 村9 is in neither field)."""
    assert not places.filter(contains_text("村99", "name", "code")).exists()
    assert places.filter(contains_text("河村", "name", "code")).get().code == "99X"


@pytest.mark.parametrize("word", ["道路", "道", "关于道"])
def test_among_adds_the_rows_whose_related_row_matches(places, word):
    """Places named with the word, and places whose parent is."""
    Region.objects.create(
        code="T0101", name="子一", level=RegionLevel.VILLAGE, parent=places.get(code="T01")
    )
    parents = Region.objects.filter(contains_text(word, "name")).values("pk")
    found = set(
        Region.objects.filter(contains_text(word, "name", among={"parent": parents})).values_list(
            "pk", flat=True
        )
    )
    expected = {
        r.pk
        for r in Region.objects.select_related("parent")
        if word in r.name or (r.parent is not None and word in r.parent.name)
    }
    assert found == expected
    assert ("子一" in {r.name for r in Region.objects.filter(pk__in=found)}) == (word in "道路村")


def test_an_empty_word_finds_everything(places):
    assert places.filter(contains_text("", "name")).count() == places.count()


@on_postgresql
def test_renda_bigrams_takes_each_texts_pieces_apart_lower_cased(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT renda_bigrams('关于Ab路', NULL, '', 'x', '18-4')")
        assert cursor.fetchone()[0] == ["关于", "于a", "ab", "b路", "18", "8-", "-4"]


TEXT = st.text(alphabet="道路关于建议村AaBbZz09%_\\ -·", max_size=12)


@on_postgresql
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT, start=st.integers(0, 12), length=st.integers(2, 6), swap=st.booleans())
def test_a_word_ilike_finds_always_has_its_bigrams_in_the_text(db, text, start, length, swap):
    """The index never drops a row the ILIKE (or the LIKE) keeps."""
    word = text[start : start + length]
    word = word.swapcase() if swap else word
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s ILIKE %s, renda_bigrams(%s) @> renda_bigrams(%s)",
            [text, f"%{escaped}%", text, word],
        )
        found, covered = cursor.fetchone()
    assert covered or not found
