"""A second instance of the platform for the harvest tests: a real gunicorn process on its own
database, a copy of this test run's snapshot with the bundled data (a file copy on SQLite, a
CREATE DATABASE ... TEMPLATE on PostgreSQL: a second or two instead of migrating and loading).

It shares no memory with the test process: its own settings module (the test settings with a
file cache that its `manage.py shell -c` commands share, so a change made there reaches the
pages the server caches by data version), its own media directory, its own port. Its records
named zz-* are synthetic test data.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[3]
PY = sys.executable

SETTINGS = """
from config.settings.test import *  # noqa: F403

CACHES = {{"default": {{
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": {cache!r},
}}}}
MEDIA_ROOT = {media!r}
SDG87_PRIVATE_ROOT = {private!r}
"""

# Three published public datasets of one organisation, with one link each (synthetic).
SEED = """
from django.contrib.auth import get_user_model
from sdg87.catalog.services import datasets, distributions, review
from sdg87.orgs.services import organisation_upsert

admin = get_user_model().objects.create_superuser("zz-second-admin", "zz2@example.org", "x-Pw-9z")
org = organisation_upsert(
    slug="zz-second-ministry", name="ZZ second ministry (synthetic test data)", type="ngo"
)
for slug in ("zz-steady", "zz-renamed", "zz-withdrawn"):
    d = datasets.dataset_create(
        actor=admin, publisher=org, title=f"Second instance {slug}", slug=slug,
        description="Synthetic test record", keywords=[slug], frequency="irregular",
    )
    distributions.distribution_add_link(
        actor=admin, dataset=d, url=f"https://example.org/{slug}.csv", title=slug, format="CSV"
    )
    d = review.dataset_submit(actor=admin, dataset=d)
    d = review.dataset_approve(actor=admin, dataset=d)
    review.dataset_publish(actor=admin, dataset=d)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SecondInstance:
    url: str
    env: dict[str, str]
    proc: subprocess.Popen[Any] | None = None

    def shell(self, code: str) -> str:
        """Run Python in the second instance (`manage.py shell -c`, against its database)."""
        done = subprocess.run(
            [PY, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def freeze(self, frozen: bool = True) -> None:
        """Stop (SIGSTOP) or continue the server: stopped, it accepts connections (the kernel
        queues them) but answers nothing, as a source that hangs."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGSTOP if frozen else signal.SIGCONT)


def _root_conftest(config: Any) -> Any:
    """The project's root conftest module (its snapshots), among pytest's plugins: not by
    `import conftest`, which gives whichever package-less conftest pytest imported last under
    that bare name (tests/e2e's, tests/fuzz's, ...), or none."""
    root = (Path(__file__).resolve().parents[3] / "conftest.py").resolve()
    for plugin in config.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None)
        if file and Path(file).resolve() == root:
            return plugin
    raise RuntimeError(f"the root conftest ({root}) is not loaded")


def _database_copy(tmp: Path, config: Any) -> tuple[str, str | None]:
    """(database URL, PostgreSQL database to drop afterwards) of a copy of the loaded
    snapshot; the `bundled_data` fixture has made sure the snapshot exists."""
    from django.db import connection

    conftest = _root_conftest(config)
    snapshots = conftest._snapshots()
    if isinstance(snapshots, conftest._SqliteSnapshots):
        target = tmp / "second.sqlite3"
        shutil.copyfile(snapshots.path(conftest.LOADED), target)
        return f"sqlite:///{target}", None
    assert isinstance(snapshots, conftest._PostgresSnapshots), connection.vendor
    name = f"sdg87_second_{os.getpid()}"
    template = snapshots.name(conftest.LOADED)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    settings = connection.settings_dict
    port = settings.get("PORT") or 5432
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
    return f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{port}/{name}", name


def _drop(name: str) -> None:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_second_instance(tmp: Path, config: Any) -> Iterator[SecondInstance]:
    """Generator for a fixture (`config`: pytest's): the running second instance, stopped and
    removed after."""
    db_url, pg_name = _database_copy(tmp, config)
    (tmp / "second_settings.py").write_text(
        SETTINGS.format(
            cache=str(tmp / "cache"), media=str(tmp / "media"), private=str(tmp / "private")
        )
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDG87_", "DJANGO_"))}
    env.update(
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join([str(tmp), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="second_settings",
        SDG87_DATABASE_URL=db_url,
        SDG87_SITE_URL=url,
        SDG87_LOG_LEVEL="WARNING",
    )
    log = (tmp / "second.log").open("ab")
    proc: subprocess.Popen[Any] | None = None
    try:
        instance = SecondInstance(url, env)
        instance.shell(SEED)
        proc = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "120",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        instance.proc = proc
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp / "second.log").read_text()[-3000:]
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the second instance did not start in 90 s"
            time.sleep(0.3)
        yield instance
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGCONT)  # if a test left it frozen
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        log.close()
        if pg_name:
            _drop(pg_name)
