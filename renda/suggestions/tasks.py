"""Background work of the suggestions workflow (Huey)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from renda.core.cells import CELL_MINUTES
from renda.suggestions.figures import cells_rebuild
from renda.suggestions.supervision import deadline_sweep


@db_periodic_task(crontab(hour="6", minute="30"))
def deadline_sweep_task() -> dict:
    """Every morning before office hours: mark deadlines due soon or
    overdue and leave the notices (idempotent, so a missed or repeated run
    does no harm)."""
    return deadline_sweep(timezone.localdate())


@db_periodic_task(crontab(minute=f"*/{CELL_MINUTES}"))
def figure_cells_task() -> int:
    """Every few minutes: recount the cells a province's or a city's
    figures add up (renda.suggestions.figures.cells_rebuild)."""
    return cells_rebuild()
