"""A person's task runs before the housekeeping a data load leaves queued (the real database
backend and db_worker): a screening enqueued after Wagtail's, the page index's and the page
warm-up's tasks is run first, and what shows or hides data (an embargo's end, the search
refresh that hides a withdrawn dataset) before everything else."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import Page

from sdg87.catalog.tasks import dataset_statistics_sync_task, distribution_validate_task
from sdg87.core.cache import data_version
from sdg87.search.tasks import documents_refresh_task
from sdg87.site.tasks import pages_warm_task
from sdg87.supplychains.screening_tasks import screening_run_task, screenings_expire_task

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_runs_what_a_person_waits_for_first() -> None:
    # Queued first, as after `make prepare`: housekeeping at default and background priority.
    # Ids that match nothing, a stale data version, the root page: each task is cheap.
    warm = pages_warm_task.enqueue(data_version() - 1)
    expire = screenings_expire_task.enqueue()
    root = Page.get_first_root_node()
    index = insert_or_update_object_task.enqueue("wagtailcore", "page", str(root.pk))
    # Then what a person is waiting for, and an embargo that ends.
    screening = screening_run_task.enqueue(999_999)
    validate = distribution_validate_task.enqueue(999_999, "missing.csv")
    embargo = dataset_statistics_sync_task.enqueue(999_999)
    # And the search refresh that hides a withdrawn dataset (an id that matches nothing).
    hide = documents_refresh_task.enqueue("dataset", ["999999"])

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    rows = {row.id: row for row in DBTaskResult.objects.all()}
    failed = [
        (row.task_path, row.exception_class_path, row.traceback[-300:])
        for row in rows.values()
        if row.status != TaskResultStatus.SUCCESSFUL
    ]
    assert not failed
    started = {str(row.id): row.started_at for row in rows.values() if row.started_at}
    order = sorted(started, key=started.__getitem__)
    assert len(order) == 7
    assert set(order[:2]) == {str(embargo.id), str(hide.id)}
    assert set(order[2:4]) == {str(screening.id), str(validate.id)}
    assert order[4] == str(index.id)
    assert set(order[5:]) == {str(warm.id), str(expire.id)}
