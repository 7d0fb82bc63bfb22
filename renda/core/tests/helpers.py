"""Test helpers shared by every app."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# For what PostgreSQL alone has: renda_bigrams and the bigram indexes
# (renda/core/search.py).
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="renda_bigrams and its indexes exist on PostgreSQL only",
)


def count_queries(action) -> int:
    """Run `action()` and return how many SQL queries it made."""
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def assert_pinned_queries(action, add_rows, *, expected: int) -> None:
    """Pin a page's query count and show it does not grow with rows.

    Runs `action` (for example a client GET that must return 200), then
    `add_rows()` to add many more rows, then `action` again: both runs must
    make exactly `expected` queries.
    """
    before = count_queries(action)
    add_rows()
    after = count_queries(action)
    assert (before, after) == (expected, expected), (
        f"query count {before} → {after} after adding rows; pinned at {expected}"
    )


def options(html: str, name: str) -> set[str]:
    """The values offered by the select named `name` of a page."""
    body = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return set(re.findall(r'<option value="([^"]*)"', body)) - {""}


def assert_waits_for_a_county(html: str, province: dict, *held_back: str) -> None:
    """A province's page (the `province` fixture) offers its counties and
    holds back the region-bound selects until one is picked."""
    assert options(html, "area") == province["counties"]
    for name in held_back:
        assert options(html, name) == set(), name


def search_plans(action) -> list[str]:
    """PostgreSQL's plans for the searches `action` runs (its queries calling
    renda_bigrams, see renda/core/search.py), planned as for a table too big
    to read whole: sequential and plain index scans off, so the word can
    only be looked up through a bitmap of an index whose expression matches.
    A search whose expression no longer matches its index shows no bitmap
    scan of it."""
    with CaptureQueriesContext(connection) as context:
        action()
    searches = [q["sql"] for q in context.captured_queries if "renda_bigrams(" in q["sql"]]
    assert searches, "no query searched with renda_bigrams"
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            for sql in searches:
                # A queryset read in chunks is a cursor: explain its query.
                sql = re.sub(r"^DECLARE .*? CURSOR .*? FOR ", "", sql)
                cursor.execute(f"EXPLAIN {sql}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    return plans
