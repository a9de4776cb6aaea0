"""Background work of disclosure control (django.tasks): ids in, one service call each."""

from __future__ import annotations

from django.tasks import task

from sdg87.core.task_priority import PERSON_WAITS


@task(priority=PERSON_WAITS)
def review_compute_task(review_id: int) -> bool:
    """Measure the risk of a declared file and compute its protected version. Idempotent."""
    from sdg87.disclosure.services import review_compute

    return review_compute(review_id=review_id)
