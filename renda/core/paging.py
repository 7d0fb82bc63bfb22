"""Pages of long lists.

A province's register holds hundreds of thousands of rows, and counting
them all is the slowest query of its list page. `CappedPaginator` counts
at most `CAP` rows (`SELECT COUNT(*) FROM (… LIMIT CAP+1)`): below that the
count is exact, above it the page says "10,000+" and pages through the
first 10,000 — a filter narrows the rest.
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000


class CappedPaginator(Paginator):
    @cached_property
    def _counted(self) -> int:
        # Unordered: the LIMIT then stops the scan instead of sorting every row first.
        return self.object_list.order_by()[: CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, CAP)

    @property
    def capped(self) -> bool:
        """More rows than were counted."""
        return self._counted > CAP
