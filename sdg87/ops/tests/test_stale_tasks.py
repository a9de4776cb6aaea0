"""A task a killed worker left RUNNING goes back to READY once it is older than the limit, and
a worker then runs it (the real database backend and db_worker); younger ones are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sdg87.ops.stale_tasks import stale_tasks_requeue

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RAN: list[int] = []


@task()
def remember(number: int) -> int:
    RAN.append(number)
    return number


def _claimed(number: int, *, minutes_ago: int) -> DBTaskResult:
    result = remember.enqueue(number)
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("dead-worker-1")
    DBTaskResult.objects.filter(id=row.id).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return row


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_stale_running_task_is_requeued_and_run_again() -> None:
    RAN.clear()
    old = _claimed(1, minutes_ago=180)
    young = _claimed(2, minutes_ago=5)
    assert stale_tasks_requeue(older_than=timedelta(hours=2)) == [str(old.id)]
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.status == TaskResultStatus.READY and old.started_at is None
    assert old.worker_ids == ["dead-worker-1"]  # the lost attempt stays on record
    assert young.status == TaskResultStatus.RUNNING
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    old.refresh_from_db()
    assert old.status == TaskResultStatus.SUCCESSFUL and RAN == [1]
    assert len(old.worker_ids) == 2


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_command_with_zero_age_requeues_every_running_task() -> None:
    _claimed(3, minutes_ago=0)
    call_command("tasks_requeue_stale", older_than=0, verbosity=0)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
