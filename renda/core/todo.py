"""What a user has to do now, shown on the dashboard (renda.reports).

Each domain app says what is waiting in its part of the work, in its own
`todo.py`: `todo_for(user)` gives one `Todo` per kind of waiting work the
user's role acts on. A to-do counts, from the queryset of the list page it
links to, the rows that wait; where that page has a filter for them, the
link sets it, so the number on the dashboard is the number of rows the
user finds on opening it.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from renda.core.paging import capped_count

# A to-do reads "999+" past this. Lower than the lists' cap: the planner then
# stops at the first thousand rows, where counting to 10,000 read all of a
# province's overdue deadlines (the dashboard took 170 ms at province scale).
CAP = 999


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    count: int  # counted up to CAP + 1
    hint: str = ""
    urgent: bool = False  # shown red while there is any

    @property
    def shown(self) -> str:
        return f"{CAP:,}+" if self.count > CAP else f"{self.count:,}"


def todo(label: str, url_name: str, rows, *, query=None, hint: str = "", urgent: bool = False):
    """A to-do counting `rows` (a queryset), linked to `url_name` with the
    query string `query` that lists the same rows."""
    url = reverse(url_name)
    if query:
        url = f"{url}?{urlencode(query)}"
    return Todo(label, url, capped_count(rows, CAP), hint, urgent)
