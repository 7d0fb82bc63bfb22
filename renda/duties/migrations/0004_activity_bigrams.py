"""The search index of activities on PostgreSQL (renda/core/search.py).

`activity_bigrams` serves `contains_text(q, "title", "place", "content")`,
the activity list's search: the expression must stay exactly
`renda_bigrams(title, place, content)` for the planner to use it.

PostgreSQL only (renda/core/postgresql.py says why). Built inside the
migration's transaction, so writes to the table wait for the build.
"""

from django.db import migrations

from renda.core.postgresql import postgresql_only

CREATE = (
    "CREATE INDEX activity_bigrams ON duties_activity "
    "USING gin (renda_bigrams(title, place, content))"
)
DROP = "DROP INDEX activity_bigrams"


class Migration(migrations.Migration):
    dependencies = [("duties", "0003_dutyrecord_queue"), ("core", "0002_renda_bigrams")]

    operations = [postgresql_only([CREATE], [DROP])]
