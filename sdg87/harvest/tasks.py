"""Background work of the harvester (django.tasks): ids in, one service call."""

from __future__ import annotations

from django.tasks import task


@task()
def harvest_source_run_task(source_id: int, force: bool = False) -> int | None:
    """Harvest one source if it is due (or `force`); the run's id, or None when there was
    nothing to do. Idempotent: a second copy of a scheduled task finds the slot taken."""
    from sdg87.harvest.services import harvest_source_run

    run = harvest_source_run(source_id=source_id, force=force)
    return run.pk if run else None
