"""Background work of the data directory (django.tasks): ids in, one service call each.

NOTE for other editors of this file: keep every task here (statistics visibility, upload
validation, ...); do not overwrite the file.
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from sdg87.catalog.models import Dataset
from sdg87.core.task_priority import PERSON_WAITS, VISIBILITY


@task(priority=VISIBILITY)
def dataset_statistics_sync_task(dataset_id: int) -> int:
    """Show or hide a dataset's imported statistics now (run when a schedule or embargo ends).
    Idempotent; a deleted dataset is a no-op."""
    from sdg87.catalog.statistics import dataset_statistics_sync

    dataset = Dataset.objects.filter(pk=dataset_id).first()
    if dataset is None:
        return 0
    with transaction.atomic():
        return dataset_statistics_sync(dataset=dataset)


@task(priority=PERSON_WAITS)
def distribution_validate_task(
    distribution_id: int, file_name: str, with_types: bool = False
) -> bool:
    """Validate an uploaded file and record its report (services.distribution_validate),
    outside the upload's transaction. Idempotent; stops if the file changed meanwhile."""
    from sdg87.catalog.services.validation import distribution_validate

    return distribution_validate(
        distribution_id=distribution_id, file_name=file_name, with_types=with_types
    )


@task(priority=PERSON_WAITS)
def distribution_statistics_import_task(distribution_id: int) -> bool:
    """Import a published tidy file's statistics (services.observations.
    distribution_statistics_import), after its publication. Idempotent."""
    from sdg87.catalog.services.observations import distribution_statistics_import

    return distribution_statistics_import(distribution_id=distribution_id)
