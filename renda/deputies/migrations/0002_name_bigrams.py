"""The search indexes of deputies and constituencies on PostgreSQL
(renda/core/search.py).

`person_name_bigrams` serves `contains_text(q, "name")` on people: the
roster's search and the public suggestion list's search by author.
`constituency_name_bigrams` serves it on constituencies (the disclosure
board's index). Each expression must stay exactly `renda_bigrams(name)`
for the planner to use it.

Not in Meta.indexes: Django cannot declare an index for one database only,
and SQLite has no renda_bigrams (its search is a plain LIKE).
"""

from django.db import migrations

INDEXES = {
    "person_name_bigrams": "deputies_person",
    "constituency_name_bigrams": "deputies_constituency",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (renda_bigrams(name))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial"), ("core", "0002_renda_bigrams")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
