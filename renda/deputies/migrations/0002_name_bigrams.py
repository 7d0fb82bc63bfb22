"""The search indexes of deputies and constituencies on PostgreSQL
(renda/core/search.py).

`person_name_bigrams` serves `contains_text(q, "name")` on people: the
roster's search and the public suggestion list's search by author.
`constituency_name_bigrams` serves it on constituencies (the disclosure
board's index). Each expression must stay exactly `renda_bigrams(name)`
for the planner to use it.

PostgreSQL only (renda/core/postgresql.py says why).
"""

from django.db import migrations

from renda.core.postgresql import postgresql_only

INDEXES = {
    "person_name_bigrams": "deputies_person",
    "constituency_name_bigrams": "deputies_constituency",
}


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial"), ("core", "0002_renda_bigrams")]

    operations = [
        postgresql_only(
            [
                f"CREATE INDEX {name} ON {table} USING gin (renda_bigrams(name))"
                for name, table in INDEXES.items()
            ],
            [f"DROP INDEX {name}" for name in INDEXES],
        )
    ]
