"""Pages of long lists.

A province's register holds hundreds of thousands of rows, and counting
them all is the slowest query of its list page. `CappedPaginator` counts
at most `CAP` rows (`SELECT COUNT(*) FROM (… LIMIT CAP+1)`): below that the
count is exact, above it the page says "10,000+" and pages through the
first 10,000 — a filter narrows the rest.

A search that matches at least `IN_ORDER_FROM` rows reads its page in the
list's order (renda.core.search.in_list_order): with that many matches the
page's 50 come early in the list, and reading them all through the index
to sort them costs more.
"""

from functools import cached_property

from django.core.paginator import Paginator

from renda.core.search import in_list_order

CAP = 10_000
IN_ORDER_FROM = 2_000


def capped_count(queryset, cap: int = CAP) -> int:
    """The rows of `queryset`, counted up to `cap + 1` (more than `cap` reads
    "10,000+"). Unordered: the LIMIT then stops the scan instead of sorting
    every row first. Ids only: a scoped queryset's DISTINCT (a unit's items)
    then compares ids, not every column and annotation of each row."""
    return queryset.order_by().values("pk")[: cap + 1].count()


class CappedPaginator(Paginator):
    @cached_property
    def _counted(self) -> int:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self._counted, CAP)

    @property
    def capped(self) -> bool:
        """More rows than were counted."""
        return self._counted > CAP

    def page(self, number):
        page = super().page(number)
        if self._counted >= IN_ORDER_FROM:
            with in_list_order():
                page.object_list = list(page.object_list)
        return page
