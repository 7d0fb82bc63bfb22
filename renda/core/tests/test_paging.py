"""A list counts at most CAP rows (renda/core/paging.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.core import paging
from renda.core.models import Region
from renda.core.paging import CappedPaginator
from renda.core.search import contains_text


def test_below_the_cap_the_count_is_exact_and_above_it_the_page_says_so(db, monkeypatch):
    for n in range(5):
        Region.objects.create(code=f"9{n}", name=f"区{n}", level="province")
    monkeypatch.setattr(paging, "CAP", 10)
    exact = CappedPaginator(Region.objects.order_by("code"), 2)
    assert (exact.count, exact.capped, exact.num_pages) == (5, False, 3)
    monkeypatch.setattr(paging, "CAP", 3)
    capped = CappedPaginator(Region.objects.order_by("code"), 2)
    assert (capped.count, capped.capped, capped.num_pages) == (3, True, 2)
    assert [r.code for r in capped.page(2)] == ["92"]


def test_a_capped_register_shows_a_plus(world, client_for, monkeypatch):
    monkeypatch.setattr(paging, "CAP", 1)
    page = client_for("county").get(reverse("opinions:list")).content.decode()
    assert "共 1+ 条" in page


def test_a_search_matching_many_rows_reads_its_page_in_the_list_s_order(db, monkeypatch):
    """At IN_ORDER_FROM matches or more the page is read without the search's
    index condition (renda.core.search.in_list_order), the count with it;
    the page is the same either way."""
    for n in range(6):
        Region.objects.create(
            code=f"9{n}", name=f"道路村{n}" if n % 2 else f"河村{n}", level="village"
        )
    search = Region.objects.filter(contains_text("道路", "name")).order_by("-code")

    def first_page():
        with CaptureQueriesContext(connection) as queries:
            page = CappedPaginator(search, 2).page(1)
            codes = [region.code for region in page]
        return codes, [query["sql"] for query in queries]

    monkeypatch.setattr(paging, "IN_ORDER_FROM", 4)
    by_index, (_, indexed_rows) = first_page()
    monkeypatch.setattr(paging, "IN_ORDER_FROM", 3)
    in_order, (count, rows) = first_page()
    assert by_index == in_order == ["95", "93"]
    indexed = connection.vendor == "postgresql"
    assert ("renda_bigrams" in indexed_rows, "renda_bigrams" in rows) == (indexed, False)
    assert ("renda_bigrams" in count) == indexed
