"""The guard counts on PostgreSQL: a table of its own kind, after 0006 has
created it and its indexes (Django adds a model's indexes at the end of the
migration that creates it)."""

from django.db import migrations

from renda.core.postgresql import postgresql_only

# The counts are a cache's data: on PostgreSQL the table writes no WAL, so a
# count's commit does not wait for the disk (a crash empties the table, and
# the limits start again); its varchar_pattern_ops index serves no query.
UNLOGGED = "ALTER TABLE opinions_guardcount SET UNLOGGED"
LOGGED = "ALTER TABLE opinions_guardcount SET LOGGED"
NO_LIKE_INDEX = """DO $$ DECLARE name text; BEGIN
  FOR name IN SELECT indexname FROM pg_indexes
    WHERE tablename = 'opinions_guardcount' AND right(indexname, 5) = '_like'
  LOOP EXECUTE 'DROP INDEX ' || quote_ident(name); END LOOP;
END $$"""


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0006_guard_counts"),
    ]

    operations = [
        postgresql_only([UNLOGGED, NO_LIKE_INDEX], [LOGGED]),
    ]
