"""The search index of suggestions on PostgreSQL (renda/core/search.py).

`suggestion_bigrams` serves `contains_text(q, "title", "number")`, the
staff register's search and the public list's: the expression must stay
exactly `renda_bigrams(title, number)` for the planner to use it.

Not in Meta.indexes: Django cannot declare an index for one database only,
and SQLite has no renda_bigrams (its search is a plain LIKE). Built inside
the migration's transaction, so writes to the table wait for the build
(about 1 s per 57,000 suggestions).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX suggestion_bigrams ON suggestions_suggestion "
    "USING gin (renda_bigrams(title, number))"
)
DROP = "DROP INDEX suggestion_bigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0004_figure_cells"), ("core", "0002_renda_bigrams")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
