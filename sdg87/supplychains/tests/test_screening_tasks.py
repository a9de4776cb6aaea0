"""The hourly expiry of unsaved screenings without cron: a task that schedules its own next
run, at most one run pending at a time. The tests' immediate backend cannot defer, so these
tests use Django's DummyBackend, which records each enqueued run (with its run_after)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import TaskContext, TaskResultStatus, task_backends
from django.utils import timezone

from sdg87.supplychains.models import ScheduledRun, Screening, ScreeningChannel
from sdg87.supplychains.screening_services import (
    EXPIRY_INTERVAL,
    EXPIRY_SCHEDULE,
    screenings_expiry_schedule,
)
from sdg87.supplychains.screening_tasks import screenings_expire_periodic_task

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


@pytest.fixture
def deferring(settings: Any) -> Iterator[Any]:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend: Any = task_backends["default"]
    yield backend
    backend.clear()


def _status(result: Any, status: TaskResultStatus) -> None:
    object.__setattr__(result, "status", status)  # what the worker does to a run it takes


def test_one_run_pending_at_a_time(deferring: Any) -> None:
    assert screenings_expiry_schedule(now=NOW) is True
    assert screenings_expiry_schedule(now=NOW) is False  # already pending: nothing more
    out = StringIO()
    call_command("screenings_expire", schedule=True, stdout=out)  # what `make run` does
    assert "already pending" in out.getvalue()
    assert len(deferring.results) == 1
    pending = deferring.results[0]
    assert pending.task.name == screenings_expire_periodic_task.name
    assert pending.task.run_after == NOW + EXPIRY_INTERVAL == NOW + timedelta(hours=1)
    row = ScheduledRun.objects.get(name=EXPIRY_SCHEDULE)
    assert (row.task_id, row.run_after) == (pending.id, pending.task.run_after)


def test_the_run_sweeps_and_schedules_the_next_one(deferring: Any) -> None:
    expired = Screening.objects.create(
        token="zz-expired",
        channel=ScreeningChannel.API,
        file_name="list.csv",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    screenings_expiry_schedule()
    first = deferring.results[0]
    _status(first, TaskResultStatus.RUNNING)
    # the worker runs it: the sweep, then the next run (its own pending run does not count)
    deleted = screenings_expire_periodic_task.call(TaskContext(task_result=first))  # type: ignore[call-arg]
    assert deleted == 1 and not Screening.objects.filter(pk=expired.pk).exists()
    assert len(deferring.results) == 2
    second = deferring.results[1]
    assert ScheduledRun.objects.get(name=EXPIRY_SCHEDULE).task_id == second.id
    _status(first, TaskResultStatus.SUCCESSFUL)
    assert screenings_expiry_schedule() is False  # the second one waits
    assert len(deferring.results) == 2


def test_a_lost_or_failed_run_does_not_block_the_schedule(deferring: Any) -> None:
    screenings_expiry_schedule(now=NOW)
    _status(deferring.results[0], TaskResultStatus.FAILED)
    assert screenings_expiry_schedule(now=NOW) is True
    deferring.clear()  # the backend forgot every run (a new task database)
    assert screenings_expiry_schedule(now=NOW) is True
    assert len(deferring.results) == 1


def test_a_backend_that_cannot_defer_gets_nothing() -> None:
    """The immediate backend (tests) would run the sweep at once, forever: nothing is enqueued
    and the command is the way (cron)."""
    assert screenings_expiry_schedule() is False
    assert not ScheduledRun.objects.exists()
