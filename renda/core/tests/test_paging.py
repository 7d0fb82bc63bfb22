"""A list counts at most CAP rows (renda/core/paging.py)."""

from django.urls import reverse

from renda.core import paging
from renda.core.models import Region
from renda.core.paging import CappedPaginator


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
