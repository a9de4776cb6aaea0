"""Background work of sourcing-list screenings (django.tasks): ids in, one service call each."""

from __future__ import annotations

from django.tasks import task


@task()
def screening_run_task(screening_id: int) -> bool:
    """Screen a queued sourcing list (screening_services.screening_run). Idempotent."""
    from sdg87.supplychains.screening_services import screening_run

    return screening_run(screening_id=screening_id)


@task()
def screenings_expire_task() -> int:
    """Delete the unsaved screenings past their expiry (screening_services.screenings_expire)."""
    from sdg87.supplychains.screening_services import screenings_expire

    return screenings_expire()
