"""The search index of suggestions on PostgreSQL (renda/core/search.py).

`suggestion_bigrams` serves `contains_text(q, "title", "number")`, the
staff register's search and the public list's: the expression must stay
exactly `renda_bigrams(title, number)` for the planner to use it.

PostgreSQL only (renda/core/postgresql.py says why). Built inside
the migration's transaction, so writes to the table wait for the build
(about 1 s per 57,000 suggestions).
"""

from django.db import migrations

from renda.core.postgresql import postgresql_only

CREATE = (
    "CREATE INDEX suggestion_bigrams ON suggestions_suggestion "
    "USING gin (renda_bigrams(title, number))"
)
DROP = "DROP INDEX suggestion_bigrams"


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0004_figure_cells"), ("core", "0002_renda_bigrams")]

    operations = [postgresql_only([CREATE], [DROP])]
