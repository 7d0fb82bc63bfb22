"""Background work of duty performance (Huey)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from renda.core.cells import CELL_MINUTES
from renda.duties.figures import cells_rebuild
from renda.duties.points import score_recompute


@db_periodic_task(crontab(hour="2", minute="15"))
def score_recompute_task() -> int:
    """Every night: recompute the current year's scores everywhere, so a
    deputy added to the roster or a mandate that ended is reflected even
    without a new record (records themselves recompute at once)."""
    year = timezone.localdate().year
    score_recompute(year=year)
    return year


@db_periodic_task(crontab(minute=f"*/{CELL_MINUTES}"))
def figure_cells_task() -> int:
    """Every few minutes: recount the cells a province's or a city's duty
    figures add up (renda.duties.figures.cells_rebuild)."""
    return cells_rebuild()
