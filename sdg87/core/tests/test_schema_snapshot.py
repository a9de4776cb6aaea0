"""The SQLite schema snapshot (sdg87.core.schema_snapshot, ADR 0017): the checked-in file fits the
migrations on disk, gives the schema and migration records `migrate` gives (the test database is
built by a real migrate), and its dump/restore keeps every row, quote and sequence."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.db import connection

from sdg87.core import schema_snapshot
from sdg87.core.schema_snapshot import Snapshot

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the schema snapshot is for SQLite; PostgreSQL keeps plain migrate (ADR 0017)",
)


def _restored(snapshot: Snapshot) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(snapshot.sql)
    return conn


def test_the_snapshot_fits_every_migration_on_disk() -> None:
    snapshot = Snapshot.read()
    assert snapshot is not None, "no sdg87/core/schema_snapshot.sql: run `make schema-snapshot`"
    current = schema_snapshot.migration_hashes()
    assert snapshot.problems(current) == [], "run `make schema-snapshot`"
    assert snapshot.missing(current) == [], "new migrations: run `make schema-snapshot`"


def test_a_changed_or_removed_migration_or_another_django_voids_the_snapshot() -> None:
    recorded = {"geo.0001_initial": "aa", "geo.0002_x": "bb"}
    assert Snapshot("5.0", recorded, "").problems(recorded) == [
        f"built with Django 5.0, not {django.__version__}"
    ]
    same_django = Snapshot(django.__version__, recorded, "")
    assert same_django.problems({"geo.0001_initial": "aa", "geo.0002_x": "bb"}) == []
    assert same_django.problems({"geo.0001_initial": "aa", "geo.0002_x": "cc"}) == [
        "migration geo.0002_x changed since the snapshot"
    ]
    assert same_django.problems({"geo.0001_initial": "aa"}) == [
        "migration geo.0002_x no longer exists"
    ]
    # A migration written after the snapshot is no problem: migrate applies it afterwards.
    newer = {"geo.0001_initial": "aa", "geo.0002_x": "bb", "geo.0003_y": "dd"}
    assert same_django.problems(newer) == []
    assert same_django.missing(newer) == ["geo.0003_y"]


@sqlite_only
@pytest.mark.django_db
def test_the_snapshot_has_the_schema_and_migration_records_of_migrate() -> None:
    snapshot = Snapshot.read()
    assert snapshot is not None
    connection.ensure_connection()
    migrated = connection.connection
    restored = _restored(snapshot)
    assert schema_snapshot.schema_rows(restored) == schema_snapshot.schema_rows(migrated)
    records = "SELECT app, name FROM django_migrations ORDER BY app, name"
    assert restored.execute(records).fetchall() == list(migrated.execute(records).fetchall())


@sqlite_only
@pytest.mark.django_db
def test_a_database_that_is_not_empty_is_left_alone() -> None:
    before = schema_snapshot.schema_rows(connection.connection or _connected())
    assert schema_snapshot.apply_if_empty() is False
    assert schema_snapshot.schema_rows(connection.connection or _connected()) == before


def _connected() -> sqlite3.Connection:
    connection.ensure_connection()
    assert connection.connection is not None
    return connection.connection


@sqlite_only
@pytest.mark.django_db
def test_migrate_of_an_empty_database_through_the_snapshot(tmp_path: Path) -> None:
    """The real path of `make prepare` (a child process, its own empty database file)."""
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "SDG87_DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "schema_snapshot", "migrate", "--verbosity", "1"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "schema snapshot applied" in done.stdout
    assert "No migrations to apply." in done.stdout
    with sqlite3.connect(database) as fresh:
        assert schema_snapshot.schema_rows(fresh) == schema_snapshot.schema_rows(_connected())


def test_dump_and_restore_keep_rows_quotes_sequences_triggers_and_full_text_tables() -> None:
    source = sqlite3.connect(":memory:")
    source.executescript(
        """
        CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id INTEGER
            REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED, note TEXT, blob BLOB,
            ratio REAL);
        CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
        CREATE INDEX child_parent ON child (parent_id);
        CREATE TABLE log (n INTEGER);
        CREATE TRIGGER child_log AFTER INSERT ON child BEGIN INSERT INTO log VALUES (1); END;
        CREATE VIRTUAL TABLE words USING fts5 (body);
        INSERT INTO parent (name) VALUES ('O''Brien'), ('line
        break');
        INSERT INTO child (parent_id, note, blob, ratio) VALUES (2, NULL, X'00ff', 0.1),
            (1, 'ünï', NULL, -2.5e-300);
        DELETE FROM child WHERE id = 2;
        """
    )
    snapshot = Snapshot("x", {}, schema_snapshot.dump(source, {}))
    restored = _restored(snapshot)
    assert schema_snapshot.schema_rows(restored) == schema_snapshot.schema_rows(source)
    assert schema_snapshot.table_digests(restored) == schema_snapshot.table_digests(source)
    # The trigger came after the rows (log holds the 2 source inserts, not 2 more).
    assert restored.execute("SELECT count(*) FROM log").fetchone() == (2,)
    sequences = "SELECT name, seq FROM sqlite_sequence ORDER BY name"
    assert restored.execute(sequences).fetchall() == source.execute(sequences).fetchall()
    restored.execute("INSERT INTO words (body) VALUES ('child labour')")
    assert restored.execute("SELECT count(*) FROM words WHERE words MATCH 'labour'").fetchone()[0]
