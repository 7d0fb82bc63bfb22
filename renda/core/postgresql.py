"""Migration steps for PostgreSQL alone: the search's bigram function and
its expression indexes (renda/core/search.py), which SQLite, searching with
a plain LIKE, has no use for and could not build. Django declares indexes
for every database alike (Meta.indexes), so these go in as SQL."""

from django.db import migrations


def postgresql_only(create: list[str], drop: list[str]) -> migrations.RunPython:
    """A step running the `create` statements on PostgreSQL (and `drop` when
    migrating back), and nothing on SQLite."""

    def run(statements):
        def step(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return step

    return migrations.RunPython(run(create), run(drop), elidable=False)
