"""Test helpers shared by every app."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


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
