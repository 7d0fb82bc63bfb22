"""Numbers read from what a browser or a script sent (?station=12, ?year=2026,
value_34=…): typed or edited by anyone, so anything at all. Each reader
gives a number the database can take, or None; never an exception.

`str.isdigit()` alone is not the test: it is true for "²" and "１２"
(which int() refuses or reads as 12), and for a digit string longer than
the database's integers (SQLite then raises OverflowError in the query).
"""

# The largest primary key: Django's BigAutoField, a signed 64-bit integer.
MAX_ID = 2**63 - 1
FIRST_YEAR = 2000


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
