"""Cells: figures counted ahead, once per county and period, so that a
province's or a city's figures add up a few thousand rows instead of
counting millions of records on every page (the suggestion, opinion and
duty figures). A county's figures, and any filter a cell does not keep,
are counted live from the records.

Cells are derived data: each app's periodic task (its `tasks.py`) rebuilds
its cells whole every `CELL_MINUTES`, and the pages say how old they are
(`as_of_note`). Each cell keeps its counts as JSON {figure key: number},
added up in SQL (`summed`)."""

import datetime

from django.db import connection, transaction
from django.db.models import IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from renda.core.models import CODE_LENGTH, STAFF_ROLES, RegionLevel

# How often the cells are rebuilt, as the pages say.
CELL_MINUTES = 10


def county_code(field: str):
    """The code in `field` cut to a county's length: a county's records and
    its townships' share one cell; a province's or a city's own records keep
    their shorter code (their 本级 line)."""
    return Substr(field, 1, CODE_LENGTH[RegionLevel.COUNTY])


def scope_code(user) -> str | None:
    """The region code whose cells stand for the records `user` sees
    (`visible_to`): "" for a superuser (every cell), the region's own code
    for staff of a province or a city (its subtree); None where the figures
    are counted live from the records: a county or below (a few thousand
    records), and anyone whose scope is not a region's subtree."""
    if user.is_superuser:
        return ""
    if user.role not in STAFF_ROLES or user.region is None:
        return None
    code = user.region.code
    return code if len(code) < CODE_LENGTH[RegionLevel.COUNTY] else None


def replace(model, cells: list) -> int:
    """Put `cells` in place of every row of `model` in one transaction:
    readers see the last build until it commits. Returns how many."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One build at a time (SQLite writes one at a time anyway);
            # readers go on reading the last cells meanwhile.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        model.objects.all().delete()
        model.objects.bulk_create(cells, batch_size=2000)
    return len(cells)


def summed(keys) -> dict:
    """Aggregates adding up each key of the cells' `counts`."""
    return {key: Sum(Cast(KT(f"counts__{key}"), IntegerField())) for key in keys}


def last_built(model, rows: list[dict]):
    """When the cells added up into `rows` (each with its `built_at`) were
    built; with no row (no cell under the filters), when the last build
    was; None if the cells were never built."""
    if rows:
        return max(row["built_at"] for row in rows)
    return model.objects.values_list("built_at", flat=True).first()


def whole_months(date_from: datetime.date, date_to: datetime.date) -> bool:
    """Whether the period is made of whole months (what monthly cells can add up)."""
    return date_from.day == 1 and (date_to + datetime.timedelta(days=1)).day == 1


def as_of_note(as_of: datetime.datetime | None, listed: str) -> str:
    """What the page says of figures added up from cells built at `as_of`
    ("" for figures counted now); `listed` names what a figure's drill-down
    lists (it is read live)."""
    if as_of is None:
        return ""
    return (
        f"统计截至 {timezone.localtime(as_of):%Y年%m月%d日 %H:%M}：汇总数每 {CELL_MINUTES} 分钟"
        f"更新一次；选择县（市、区）后为实时数，点开数字列出的是当前的{listed}。"
    )
