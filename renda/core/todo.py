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

from renda.core.paging import CAP, capped_count


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    count: int  # counted up to CAP + 1 (renda.core.paging)
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
    return Todo(label, url, capped_count(rows), hint, urgent)
