"""What a browser or a script sent (?station=12, ?year=2026, value_34=…,
a note): typed or edited by anyone, so anything at all. Each reader gives a
number the database can take, or None; never an exception. A text holding a
NUL character, which PostgreSQL refuses in any text it is given, is named by
`nul_problem` wherever it is refused.

`str.isdigit()` alone is not the test: it is true for "²" and "１２"
(which int() refuses or reads as 12), and for a digit string longer than
the database's integers (SQLite then raises OverflowError in the query).
"""

from django.utils.http import url_has_allowed_host_and_scheme

# The largest primary key: Django's BigAutoField, a signed 64-bit integer.
MAX_ID = 2**63 - 1
FIRST_YEAR = 2000
NUL = "\x00"


def as_id(value) -> int | None:
    """A primary key: ASCII digits, at most `MAX_ID`."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def as_year(value, *, latest: int) -> int | None:
    """A year from `FIRST_YEAR` to `latest`, written as four ASCII digits."""
    text = str(value if value is not None else "").strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= latest else None


def nul_problem(what: str, *texts: str, advice: str = "请删除后重试") -> str | None:
    """The message naming `what` when one of `texts` holds a NUL character
    (no one types one); None when none does."""
    if any(NUL in text for text in texts):
        return f"{what}含有无效字符（空字符），{advice}"
    return None


def next_url(request, fallback: str) -> str:
    """The posted `next`, where a page sends the user back after an action,
    if it stays on this site (never an address elsewhere); else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
