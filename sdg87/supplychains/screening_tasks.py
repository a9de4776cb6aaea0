"""Background work of sourcing-list screenings (django.tasks): ids in, one service call each."""

from __future__ import annotations

from django.tasks import TaskContext, task

from sdg87.core.task_priority import BACKGROUND, PERSON_WAITS


@task(priority=PERSON_WAITS)
def screening_run_task(screening_id: int) -> bool:
    """Screen a queued sourcing list (screening_services.screening_run). Idempotent."""
    from sdg87.supplychains.screening_services import screening_run

    return screening_run(screening_id=screening_id)


@task(priority=BACKGROUND)
def screenings_expire_task() -> int:
    """Delete the unsaved screenings past their expiry (screening_services.screenings_expire)."""
    from sdg87.supplychains.screening_services import screenings_expire

    return screenings_expire()


@task(takes_context=True, priority=BACKGROUND)
def screenings_expire_periodic_task(context: TaskContext) -> int:
    """The expiry sweep that schedules its own next run an hour later (no cron needed):
    started once by `manage.py screenings_expire --schedule` (run by `make run`'s data load),
    at most one run pending at a time (screening_services.screenings_expiry_schedule)."""
    from sdg87.supplychains.screening_services import (
        screenings_expire,
        screenings_expiry_schedule,
    )

    deleted = screenings_expire()
    screenings_expiry_schedule(current=context.task_result.id)
    return deleted
