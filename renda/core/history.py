"""Bulk inserts that keep the change history (django-simple-history).

`bulk_create_with_history` from simple-history builds one Python history
object per row, which is half the time of a large roster import. Here the
database copies the rows it has just stored into the history table with one
`INSERT … SELECT` per batch: the same rows simple-history would write (type
"+", the acting user, one timestamp), built where the data already is.
"""

from django.db import connection
from django.utils import timezone


def bulk_create_with_history(objects: list, model, *, user=None, batch_size: int = 1000) -> list:
    """Insert `objects` (their primary keys are set, as bulk_create does on
    SQLite and PostgreSQL) and their "created" history rows."""
    created = model.objects.bulk_create(objects, batch_size=batch_size)
    history = model.history.model
    tracked = [
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in tracked)
    extra = ", ".join(
        quote(c)
        for c in ("history_date", "history_change_reason", "history_type", "history_user_id")
    )
    target, source, pk = (
        quote(history._meta.db_table),
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
    )
    # Names come from the models' metadata, never from input; values are parameters.
    sql = f"INSERT INTO {target} ({columns}, {extra}) SELECT {columns}, %s, NULL, '+', %s FROM {source} WHERE {pk} IN "  # noqa: S608, E501
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for start in range(0, len(created), batch_size):
            pks = [obj.pk for obj in created[start : start + batch_size]]
            cursor.execute(sql + f"({', '.join(['%s'] * len(pks))})", [now, user_id, *pks])
    return created
