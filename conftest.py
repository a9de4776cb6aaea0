"""Project-wide pytest fixtures.

`bundled_data` gives the test database the real bundled data (every registered load step, see
sdg87.core.loading.LOADER_MODULES) once per test session, i.e. once per pytest-xdist worker,
since each worker has a test database of its own. Tests that use real countries and series
request it together with the db mark:

    @pytest.mark.django_db
    def test_kenya(bundled_data): ...

The data is committed outside the per-test transactions, so ordinary `db` tests see it and
cannot change it for others. Transactional tests (`transactional_db`, `live_server`,
`django_db(transaction=True)`) empty the tables when they finish; once the data has been
given in a session it is given again after such a test, so later tests still find it.

Snapshots. Migrating an empty database and loading the bundled data take about a minute of CPU
per worker, and the load used to be repeated after every emptying test. Instead, the first
worker that migrates (or loads) saves the result as a snapshot, and every later setup, load
and refill restores it in about a second: for SQLite a database file under
var/test-snapshots/ copied with SQLite's backup API, for PostgreSQL a database
`test_<name>_s<key><stage>` cloned with CREATE DATABASE ... TEMPLATE. A snapshot is named by a
key over everything that decides its content (the non-test files of sdg87/ and config/, data/,
the lock file, this file, the database engine and name), so it is rebuilt whenever one of them
changes and reused across runs otherwise; snapshots with another key are deleted when a new
one is saved. `make clean-db` does not remove them; `rm -r var/test-snapshots` does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

# Fixtures shared across apps, importable by any test module.
pytest_plugins = ["sdg87.api.tests.fixtures", "sdg87.catalog.tests.mini_catalog"]

ROOT = Path(__file__).resolve().parent
SNAPSHOT_DIR = ROOT / "var" / "test-snapshots"
MIGRATED, LOADED = "migrated", "loaded"


class _BundledState:
    blocker: Any = None  # pytest-django's DjangoDbBlocker, once the data has been given
    key: str = ""
    database_name: str = ""  # the configured (not the test) database name


_state = _BundledState()


def _snapshot_inputs() -> Iterator[Path]:
    for top in ("sdg87", "config"):
        for path in (ROOT / top).rglob("*"):
            parts = path.relative_to(ROOT).parts
            skipped = "tests" in parts or "__pycache__" in parts
            if path.is_file() and not skipped and path.suffix not in {".pyc", ".po", ".mo"}:
                yield path
    yield from (path for path in (ROOT / "data").rglob("*") if path.is_file())
    yield ROOT / "requirements" / "lock.txt"
    yield Path(__file__).resolve()


def _snapshot_key() -> str:
    """The content key of this checkout's snapshots (computed once, before the test database
    replaces the configured one in the settings)."""
    if not _state.key:
        from django.conf import settings

        database = settings.DATABASES["default"]
        _state.database_name = str(database["NAME"])
        digest = hashlib.sha256(
            f"{database['ENGINE']}|{database['NAME']}|{sys.version_info[:2]}".encode()
        )
        for path in sorted(_snapshot_inputs()):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            with contextlib.suppress(FileNotFoundError):  # removed while we walk: skip it
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        _state.key = digest.hexdigest()[:12]
    return _state.key


def _forget_cached_rows() -> None:
    """After the database was swapped under this process: nothing cached may point into the
    old one (content-type ids, Wagtail's site root paths, pages and API answers cached per
    data version)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()


class _SqliteSnapshots:
    """Snapshots as SQLite files, copied in and out with the backup API (page by page, so the
    in-memory test database shared with the live server's thread stays the same object)."""

    def path(self, stage: str) -> Path:
        return SNAPSHOT_DIR / f"sqlite-{_snapshot_key()}-{stage}.sqlite3"

    def restore(self, stage: str) -> bool:
        from django.db import connection

        try:
            source = sqlite3.connect(f"file:{self.path(stage)}?mode=ro", uri=True)
        except sqlite3.OperationalError:  # no snapshot (yet)
            return False
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError:  # a half-written or foreign file: build instead
            return False
        finally:
            source.close()
        return True

    def save(self, stage: str) -> None:
        from django.db import connection

        SNAPSHOT_DIR.mkdir(parents=True, exist_ok=True)
        target = self.path(stage)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        copy = sqlite3.connect(partial)
        try:
            connection.ensure_connection()
            connection.connection.backup(copy)
        finally:
            copy.close()
        os.replace(partial, target)  # atomic: a reader sees the whole file or none
        for stale in SNAPSHOT_DIR.glob("sqlite-*"):
            if f"-{_snapshot_key()}-" not in stale.name:
                stale.unlink(missing_ok=True)


class _PostgresSnapshots:
    """Snapshots as template databases. Cloning needs the source without other sessions, so
    this worker's connections to its test database are closed (the live server's threads
    reconnect: the test settings turn on CONN_HEALTH_CHECKS, see django_db_setup)."""

    def name(self, stage: str) -> str:
        return f"test_{_state.database_name[:30]}_s{_snapshot_key()}{stage[0]}"

    @contextlib.contextmanager
    def _admin_cursor(self) -> Iterator[Any]:
        from django.db import connection

        connection.close()
        with connection._nodb_cursor() as cursor:
            yield cursor

    @staticmethod
    def _end_sessions(cursor: Any, database: str) -> None:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )

    @staticmethod
    def _retry(action: Callable[[], None]) -> None:
        from django.db import OperationalError

        for attempt in range(10):  # another worker may be cloning the same template
            try:
                action()
                return
            except OperationalError:
                if attempt == 9:
                    raise
                time.sleep(0.5)

    def restore(self, stage: str) -> bool:
        from django.db import connection

        current = connection.settings_dict["NAME"]
        with self._admin_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name(stage)])
            if cursor.fetchone() is None:
                return False
            self._end_sessions(cursor, current)
            cursor.execute(f'DROP DATABASE IF EXISTS "{current}"')
            self._retry(
                lambda: cursor.execute(f'CREATE DATABASE "{current}" TEMPLATE "{self.name(stage)}"')
            )
        return True

    def save(self, stage: str) -> None:
        from django.db import ProgrammingError, connection

        current = connection.settings_dict["NAME"]
        target = self.name(stage)
        partial = f"{target}_{os.getpid()}"
        with self._admin_cursor() as cursor:
            self._end_sessions(cursor, current)
            cursor.execute(f'DROP DATABASE IF EXISTS "{partial}"')
            self._retry(lambda: cursor.execute(f'CREATE DATABASE "{partial}" TEMPLATE "{current}"'))
            try:  # atomic: another worker may have saved the same snapshot meanwhile
                cursor.execute(f'ALTER DATABASE "{partial}" RENAME TO "{target}"')
            except ProgrammingError:
                cursor.execute(f'DROP DATABASE "{partial}"')
            prefix = f"test_{_state.database_name[:30]}_s"
            cursor.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s) "
                "AND length(datname) = %s AND substr(datname, %s, 12) <> %s",
                [prefix, len(target), len(prefix) + 1, _snapshot_key()],
            )
            for (stale,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')


def _snapshots() -> _SqliteSnapshots | _PostgresSnapshots | None:
    from django.db import connection

    if connection.vendor == "sqlite":
        return _SqliteSnapshots()
    if connection.vendor == "postgresql":
        return _PostgresSnapshots()
    return None


def _from_snapshot(stage: str, build: Callable[[], object]) -> None:
    """Restore the stage's snapshot, or build the stage and save it for the others."""
    snapshots = _snapshots()
    if snapshots is None:
        build()
    elif snapshots.restore(stage):
        _forget_cached_rows()
    else:
        build()
        snapshots.save(stage)


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Generator[None]:
    """pytest-django's django_db_setup, with migrate answered by the migrated snapshot."""
    from django.conf import settings
    from django.core import management
    from django.test.utils import setup_databases, teardown_databases

    _snapshot_key()
    # A snapshot restore replaces the database under open connections (PostgreSQL: ends
    # their sessions); a thread that kept one (the live server's) must notice and reconnect.
    for database in settings.DATABASES.values():
        database["CONN_HEALTH_CHECKS"] = True
    migrate_for_real = management.call_command

    def call_command(name: Any, *args: Any, **options: Any) -> Any:
        if name != "migrate":
            return migrate_for_real(name, *args, **options)
        _from_snapshot(MIGRATED, lambda: migrate_for_real(name, *args, **options))
        return None

    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock(), mock.patch.object(management, "call_command", call_command):
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, keepdb=keepdb
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
            except Exception as exc:  # as pytest-django: the live server may still hold a session
                request.node.warn(pytest.PytestWarning(f"Test databases not torn down: {exc!r}"))


def _load_bundled_data() -> None:
    from sdg87.core.loading import load_all

    _from_snapshot(LOADED, load_all)


@pytest.fixture(scope="session")
def bundled_data(django_db_setup: None, django_db_blocker: Any) -> None:
    """The bundled real data (data/), given once per session (per xdist worker)."""
    with django_db_blocker.unblock():
        _load_bundled_data()
    _state.blocker = django_db_blocker


def _flushes_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    return bool(transaction or marker.kwargs.get("reset_sequences"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    yield
    # After the session's last test the test database is already gone (nextitem is None):
    # nothing needs the data any more, and a query would reach the configured database.
    if _state.blocker is not None and nextitem is not None and _flushes_database(item):
        from sdg87.core.models import DataLoad

        with _state.blocker.unblock():
            # The flush removed the DataLoad records too: the data is given again.
            if not DataLoad.objects.exists():
                _load_bundled_data()


@pytest.fixture(autouse=True)
def _english_by_default() -> Generator[None]:
    """Each test starts in English: a request in another language must not leak into the
    next test (Django keeps the active language per thread)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
