"""An index for the query that reads an opinion's outcome.

`renda.opinions.registers.with_outcome` reads, for each opinion, its latest
real move into an outcome state: a subquery on core_statechange run once per
opinion counted. The figures page groups by it (`figures._opinion_counts`: at
a province's scale, a year's opinions are tens of thousands of lookups), and
every register and drill-down reads it. Over the general
`statechange_record_at` index each lookup read and sorted the opinion's
moves from the table; this partial index holds just the outcome moves, in
the subquery's order and with the state, so a lookup is its first entry.
PostgreSQL, scale data of 20 counties, the grouped query of the figures for
January to November: a province's 1,077 -> 362 ms, a county's 74 -> 19 ms.

The index is on core's table but belongs to the opinions' query, so it is
created here, outside the model state (the condition repeats
`registers.OUTCOME_STATES` and `registers._moves` as they stood).
"""

from django.db import migrations, models
from django.db.models import F, Q

OUTCOME_STATES = ["sorted", "merged", "solved", "assigned", "escalated", "converted", "declined"]

INDEX = models.Index(
    fields=["content_type", "object_id", "-at", "-id"],
    include=["to_state"],
    condition=Q(to_state__in=OUTCOME_STATES) & ~Q(from_state=F("to_state")),
    name="statechange_opinion_outcome",
)


def add_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model("core", "StateChange"), INDEX)


def remove_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("core", "StateChange"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("opinions", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_index, remove_index)]
