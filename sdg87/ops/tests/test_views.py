"""/healthz and /readyz: plain, uncached answers outside the language prefix; readiness
names the dependency that fails."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def _task(*, waited: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="sdg87.ops.tests.no_such_task",
        backend_name="default",
        run_after=timezone.now() - waited,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


@pytest.mark.django_db
def test_healthz_touches_nothing_and_is_never_cached(
    django_assert_num_queries: object,
) -> None:
    """200 text/plain without a database query, a session cookie, a language redirect or a
    cacheable header; POST is not a CSRF failure (only GET/HEAD are served)."""
    client = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response and not response.cookies
    assert client.post("/healthz").status_code == 405
    assert client.get("/healthz/").status_code == 404  # no redirect to /fr/healthz/


@pytest.mark.django_db
def test_readyz_reports_each_check_and_the_queue() -> None:
    """Database, cache and task queue pass; the queue's depth and the age of its oldest
    ready task are reported (a scheduled task is not ready)."""
    _task(waited=timedelta(seconds=90))
    _task(waited=timedelta(seconds=-3600))  # scheduled for an hour from now
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["failing"] == []
    assert {"database", "cache", "tasks"} <= set(body["checks"])
    assert body["checks"]["tasks"]["ready"] == 1
    assert 85 <= body["checks"]["tasks"]["oldest_ready_age_seconds"] < 200


@pytest.mark.django_db
def test_readyz_fails_on_a_stale_queue_only_when_asked() -> None:
    """With SDG87_READY_MAX_TASK_AGE=60 a task waiting two minutes makes readiness 503,
    naming the tasks check."""
    _task(waited=timedelta(minutes=2))
    with override_settings(SDG87_READY_MAX_TASK_AGE=60):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["tasks"]
    assert "SDG87_READY_MAX_TASK_AGE" in body["checks"]["tasks"]["error"]


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_cannot_keep_a_value(tmp_path: Path) -> None:
    """A file cache whose directory cannot be created (a file is in the way) fails the cache
    check; the database still passes."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache"),
        }
    }
    with override_settings(CACHES=broken):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["error"]
