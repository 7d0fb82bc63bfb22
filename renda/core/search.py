"""Searching text on list pages: one rule for every database.

A search box matches a word anywhere in a field, ignoring the case of Latin
letters: 道路 finds 关于改善道路交通的建议, x01 finds 闭2026-X01.

On SQLite (a county's server) that is a plain `LIKE '%道路%'` (which ignores
the case of Latin letters) and stays so: a county's tables are small enough
to read.

On PostgreSQL (a city or a province) `LIKE '%…%'` reads every row, and
pg_trgm's trigram indexes cannot serve the two-character words Chinese
searches are made of. So core migration 0002 defines `renda_bigrams(a, b, …)`,
the lower-cased two-character pieces of its texts (关于道路 -> {关于, 于道,
道路}), each table searched gets a GIN index on `renda_bigrams(<its searched
columns>)`, and a word of two or more characters is searched with

    renda_bigrams(title, number) @> renda_bigrams('道路')
    AND (title LIKE '%道路%' OR number LIKE '%道路%')

(ILIKE for a word with Latin letters). Every bigram of a word that occurs
in a field is a bigram of that field, so the containment (which the index
answers) never drops a match, and the LIKE keeps the result exact: the same
rows as on SQLite. The fields' bigrams are taken from each field apart,
never from the fields joined together, so a word does not match across the
end of one field and the start of the next. A one-character word has no
bigram and keeps the plain LIKE.

The planner matches an expression index only to the same expression, so
`contains_text(q, "title", "number")` needs the index on exactly
`renda_bigrams(title, number)`, those columns in that order (the migration
creating each index names the calls it serves, and each page's tests check
on PostgreSQL that its plan uses the index). A small table (categories,
regions) needs none: the LIKE runs first and renda_bigrams only on the few
rows it keeps.

A search through a related table (an item's category, its authors) passes
`among={column: ids}`. On PostgreSQL that is `column = ANY(ARRAY(ids))`,
which an index on `column` answers inside the OR, so the whole condition is
read from indexes; `column IN (ids)` would be a filter applied row by row,
and the indexed word search beside it would be read row by row too.

A word found in thousands of rows is the opposite case: reading its rows
through the index and sorting them all to show the first 50 costs more
than reading the list in its order and keeping the rows whose text holds
the word (路灯 is in 4,209 of 96,000 opinions at 19 counties: 17 ms
against 0.4 ms). PostgreSQL cannot tell the cases apart: it takes the
index condition and the LIKE as independent and expects a few dozen rows
(85 for 4,209). The paginator can, having counted the rows: above
`core.paging.IN_ORDER_FROM` it reads the page `in_list_order()`, where
the index condition is left out and the LIKE alone keeps the result exact
(the count keeps the index).

The cost, measured at 57,000 suggestions: the index is 3 MB beside the
table's 21 MB and builds in 1 s; inserting 1,000 suggestions takes about
20 ms more. A word found in nearly every row (建议, 关于) is still read row
by row, and renda_bigrams (PL/pgSQL, ~8 µs a row) then runs on each row the
capped count reads: up to ~80 ms where a plain LIKE took ~15 ms.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import reduce
from operator import or_

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, F, Func, Lookup, Q, QuerySet, Subquery, TextField, Value
from django.db.models.lookups import Contains

# A shorter word has no bigram: it keeps the plain LIKE.
MIN_INDEXED_LENGTH = 2


class Bigrams(Func):
    """`renda_bigrams(a, b, …)`: PostgreSQL only (core migration 0002)."""

    function = "renda_bigrams"
    output_field = TextField()  # text[] in SQL; only compared there, never read


# Whether searches are being read in the list's order (`in_list_order`).
_IN_LIST_ORDER = ContextVar("renda_search_in_list_order", default=False)


@contextmanager
def in_list_order():
    """Queries compiled inside leave out the bigram condition of their
    searches (`TRUE` instead), so PostgreSQL reads the rows in the list's
    order and the LIKE finds the word in each: for a word in many rows
    (see the module docstring). The rows are the same."""
    token = _IN_LIST_ORDER.set(True)
    try:
        yield
    finally:
        _IN_LIST_ORDER.reset(token)


class _Covers(Func):
    """`a @> b`: every element of array b is in array a."""

    arg_joiner = " @> "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        if _IN_LIST_ORDER.get():
            return "TRUE", ()
        return super().as_sql(compiler, connection, **extra_context)


class _IContains(Contains):
    """`icontains` whose selectivity PostgreSQL can estimate: `title ILIKE
    '%ab%'` is estimated from the column's statistics. Django's own
    `UPPER(title) LIKE UPPER('%ab%')` has none, so the planner expected a
    few rows for a word found in every title, read the whole table instead
    of the first rows of the register's order, and computed renda_bigrams on
    every row (the staff register's 建议 took 700 ms at 57,000 items).
    ILIKE lower-cases both sides, as renda_bigrams does. SQLite's LIKE
    ignores the case of Latin letters already."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", (*lhs_params, *rhs_params)


class InArray(Lookup):
    """`column = ANY(ARRAY(SELECT …))`, PostgreSQL's form of `column IN
    (SELECT …)` that an index on `column` can serve: the subquery runs once
    and its ids are looked up in the index. `IN (SELECT …)` is planned as a
    semi-join or a hashed filter, which reads the whole table. Keep it for
    subqueries returning few ids: if the planner filters row by row after
    all, each row searches the array from its start."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def contains_text(
    text: str,
    *fields: str,
    among: dict[str, QuerySet] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Q:
    """Rows where `text` occurs in one of `fields`, ignoring case, or whose
    `column` is among the ids a queryset of `among` returns (a search in a
    related table, itself built with this function).

    On PostgreSQL, for two or more characters, the condition is the one the
    `renda_bigrams(*fields)` expression index serves and the related ids are
    matched with `= ANY(ARRAY(…))` (see the module docstring); otherwise it
    is a plain LIKE (ILIKE for a word with Latin letters) and `IN (…)`."""
    if not text:
        return Q()
    # A word without cased letters (Chinese, digits) matches the same rows
    # with or without case folding: it takes the plain LIKE, twice as fast
    # as ILIKE on PostgreSQL (which lower-cases every row's text first).
    like = Contains if text.lower() == text.upper() else _IContains
    likes = reduce(or_, (Q(like(F(field), text)) for field in fields), Q())
    among = {column: ids.order_by() for column, ids in (among or {}).items()}
    if connections[using].vendor != "postgresql" or len(text) < MIN_INDEXED_LENGTH:
        return reduce(or_, (Q(**{f"{c}__in": ids}) for c, ids in among.items()), likes)
    related = [Q(InArray(F(column), Subquery(ids))) for column, ids in among.items()]
    if not fields:
        return reduce(or_, related)
    covers = Q(_Covers(Bigrams(*(F(field) for field in fields)), Bigrams(Value(text))))
    # The rows of (covers AND likes) OR related, written so that covers is a
    # condition of its own: where the plan reads the rows the index found,
    # PostgreSQL then drops it instead of computing renda_bigrams on each
    # row again. Where it reads rows one by one (a page in the list's
    # order), the cheaper LIKE goes first and renda_bigrams runs only on the
    # rows that pass it.
    return reduce(or_, [*related, covers]) & reduce(or_, [*related, likes])
