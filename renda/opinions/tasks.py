"""Background work of the opinions (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from renda.core.cells import CELL_MINUTES
from renda.opinions import abuse
from renda.opinions.figures import cells_rebuild


@db_periodic_task(crontab(minute=f"*/{CELL_MINUTES}"))
def figure_cells_task() -> int:
    """Every few minutes: recount the cells a province's or a city's
    figures add up (renda.opinions.figures.cells_rebuild)."""
    return cells_rebuild()


@db_periodic_task(crontab(minute="40"))
def guard_sweep_task() -> int:
    """Every hour: delete the rate-limit and captcha counts that have
    expired (renda.opinions.abuse.sweep)."""
    return abuse.sweep()
