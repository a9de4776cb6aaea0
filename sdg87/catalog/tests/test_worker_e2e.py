"""End to end through the real task backend (issue 8 item 3): django_tasks_db and a
`manage.py db_worker` process, as in production. The upload request returns with the file
awaiting validation and the worker validates it; the publish request returns with the
statistics awaiting import, the dataset page says so, and the worker imports them.

The worker is another process, so it must see this test's rows: on PostgreSQL the test
database itself (committed writes: the test is transactional); on SQLite, whose test database lives
in this process's memory, a copy of it in a file that this process then uses as well."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.local import Local
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.tasks import task_backends
from django.test import Client
from django.urls import reverse

from sdg87.catalog import statistics
from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import datasets
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Observation
from sdg87.orgs.services import membership_set, organisation_upsert

ROOT = Path(__file__).resolve().parents[3]
TIDY = b"series,geo,year,value,unit\nRATE,ZZA,2019,41.2345,PERCENT\n"


def _use_tasks(settings: Any, backend: str) -> None:
    settings.TASKS = {"default": {"BACKEND": backend}}
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # type: ignore[attr-defined]
    task_backends._connections = Local(False)  # type: ignore[attr-defined]


@pytest.fixture
def shared_database(django_db_setup: None, django_db_blocker: Any, tmp_path: Path) -> Iterator[str]:
    """A database this process and a worker process both see; its URL for the worker."""
    if connection.vendor != "sqlite":
        s = connection.settings_dict
        yield (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )
        return
    path = tmp_path / "shared.sqlite3"
    with django_db_blocker.unblock():
        original = connections["default"]
        original.ensure_connection()
        copy = sqlite3.connect(path)
        original.connection.backup(copy)  # migrated (and loaded) as the test database is
        copy.close()
        shared = original.__class__({**original.settings_dict, "NAME": str(path)}, "default")
        connections["default"] = shared
        try:
            yield f"sqlite:///{path}"
        finally:
            shared.close()
            connections["default"] = original


@pytest.fixture
def database_tasks(settings: Any) -> Iterator[None]:
    _use_tasks(settings, "django_tasks_db.DatabaseBackend")
    yield
    _use_tasks(settings, "django.tasks.backends.immediate.ImmediateBackend")


def _worker(url: str, media: Path) -> None:
    """Run every queued task in a `manage.py db_worker` process, then return."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sdg87.catalog.tests.worker_settings",
        "SDG87_DATABASE_URL": url,
        "SDG87_TEST_MEDIA_ROOT": str(media),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


# Committed writes, so that the worker process sees them (a marker, not a fixture requested
# from inside another fixture: pytest-django decides by the marker and the test's own
# fixture names, and would give a rolled-back transaction otherwise).
@pytest.mark.django_db(transaction=True)
def test_the_worker_validates_uploads_and_imports_published_statistics(
    shared_database: str, database_tasks: None, settings: Any
) -> None:
    """Each request only records the change and queues the work: right after the upload the
    file awaits validation, right after the publication the statistics await import (the
    page says so and links to itself). The worker process then does both."""
    from django_tasks_db.models import DBTaskResult

    Geography.objects.get_or_create(
        code="ZZA", defaults={"kind": GeographyKind.COUNTRY, "name_en": "Zedland"}
    )
    org = organisation_upsert(slug="zz-e2e", name="ZZ End to end", type="ngo")
    editor = get_user_model().objects.create_user(
        username="zz_e2e", email="zz_e2e@example.org", password="pw-Zz-12345"
    )
    membership_set(user=editor, organisation=org, role="editor")
    ds = datasets.dataset_create(actor=editor, publisher=org, title="ZZ worker")
    client = Client()
    client.force_login(editor)

    response = client.post(
        reverse("catalog:distribution_upload", args=[ds.slug]),
        {"file": SimpleUploadedFile("rate.csv", TIDY), "map_to_observations": "on"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    dist = Distribution.objects.get(dataset=ds)
    assert dist.is_valid is None  # the request did not validate it
    assert DBTaskResult.objects.filter(status="READY").exists()

    _worker(shared_database, Path(settings.MEDIA_ROOT))
    dist.refresh_from_db()
    assert dist.is_valid is True, dist.validation_report

    for action in ("submit", "approve", "publish"):
        response = client.post(reverse("catalog:dataset_action", args=[ds.slug, action]))
        assert response.status_code == 302, (action, response.content.decode()[-2000:])
    ds = Dataset.objects.get(pk=ds.pk)
    assert ds.live
    code = f"ORG{org.pk}__RATE"
    assert not Observation.all_objects.filter(series__code=code).exists()
    assert list(statistics.distributions_importing(dataset=ds)) == [dist]
    page = client.get(ds.get_absolute_url()).content.decode()
    assert "being imported" in page and 'href="">reload this page</a>' in page

    _worker(shared_database, Path(settings.MEDIA_ROOT))
    assert Observation.objects.get(series__code=code, geography__code="ZZA").value == 41.2345
    assert not statistics.distributions_importing(dataset=ds).exists()
    assert "being imported" not in client.get(ds.get_absolute_url()).content.decode()
