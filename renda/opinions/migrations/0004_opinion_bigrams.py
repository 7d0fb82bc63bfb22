"""The search index of opinions on PostgreSQL (renda/core/search.py).

`opinion_bigrams` serves `contains_text(q, "title", "content")`, the
ledger's search: the expression must stay exactly
`renda_bigrams(title, content)` for the planner to use it.

PostgreSQL only (renda/core/postgresql.py says why). Built inside
the migration's transaction, so writes to the table wait for the build
(about 3 s per 96,000 opinions; 6.4 MB beside a 45 MB table).
"""

from django.db import migrations

from renda.core.postgresql import postgresql_only

CREATE = (
    "CREATE INDEX opinion_bigrams ON opinions_opinion USING gin (renda_bigrams(title, content))"
)
DROP = "DROP INDEX opinion_bigrams"


class Migration(migrations.Migration):
    dependencies = [("opinions", "0003_figure_cells"), ("core", "0002_renda_bigrams")]

    operations = [postgresql_only([CREATE], [DROP])]
