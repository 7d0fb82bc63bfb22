"""Background work of the deputies registers (Huey)."""

from huey.contrib.djhuey import db_task

from renda.deputies import roster_io


@db_task()
def roster_import_check_task(import_id: int) -> None:
    """Check an uploaded roster, updating its progress as it goes."""
    roster_io.roster_import_run_check(import_id)


@db_task()
def roster_import_write_task(import_id: int, actor_id: int) -> None:
    """Write the good rows of a confirmed roster import."""
    roster_io.roster_import_run_write(import_id, actor_id)
