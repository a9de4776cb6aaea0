"""Backups round-trip: an archive restored into an empty SQLite file or an empty PostgreSQL
database has the same rows (counts and content checksums) and files; a damaged, truncated or
foreign archive, or a target that is not empty, is refused without changing anything."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from sdg87.ops import backup
from sdg87.ops.backup import BackupError, backup_create, backup_restore


def _sqlite_digests(db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Rows and a SHA-256 over the sorted rows of every table."""
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    digests = {}
    for table in tables:
        # quote() renders each value as SQL text, so the connection's type converters (Django
        # registers some) cannot make equal rows look different
        columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
        row_text = " || ',' || ".join(f'quote("{c}")' for c in columns)
        rows = sorted(r[0] for r in db.execute(f'SELECT {row_text} FROM "{table}"'))
        digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


@pytest.fixture
def roots(tmp_path: Path) -> dict[str, Path]:
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "report.pdf").write_bytes(b"%PDF-1.4 small report\n")
    (media / "données.csv").write_text("iso3,value\nNPL,2.5\n", encoding="utf-8")
    private.mkdir()
    (private / "workspace.txt").write_bytes(b"members only")
    return {"media": media, "private": private}


def _empty_roots(tmp_path: Path) -> dict[str, Path]:
    return {"media": tmp_path / "r-media", "private": tmp_path / "r-private"}


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the test database is not SQLite (PostgreSQL: test_postgresql_round_trip_...)",
)
@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip_into_an_empty_database(tmp_path: Path, roots: dict[str, Path]) -> None:
    """The migrated test database (committed rows) and three files go into one archive;
    restored into an empty file, every table has the same rows and the files the same bytes;
    the manifest records engine, migrations, counts and checksums."""
    from django.contrib.auth.models import User

    User.objects.create_user("ops-backup", "ops@example.org", "x")
    connection.ensure_connection()
    source = connection.connection
    result = backup_create(
        output_dir=tmp_path / "out",
        database=connection.settings_dict,
        file_roots=roots,
        sqlite_connection=source,
    )
    manifest = result.manifest
    assert result.path.name.startswith("sdg87-backup-") and result.path.suffixes[-2:] == [
        ".tar",
        ".gz",
    ]
    assert manifest["database"]["engine"] == "sqlite"
    assert "0001_initial" in manifest["migrations"]["auth"]
    assert manifest["row_counts"]["auth_user"] == 1
    assert set(manifest["members"]) >= {
        "database/sqlite3.db",
        "media/documents/report.pdf",
        "media/données.csv",
        "private/workspace.txt",
    }
    assert manifest["members"]["private/workspace.txt"]["sha256"] == (
        hashlib.sha256(b"members only").hexdigest()
    )

    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.db")}
    restored_roots = _empty_roots(tmp_path)
    backup_restore(archive=result.path, database=target, file_roots=restored_roots)

    restored = sqlite3.connect(target["NAME"])
    try:
        assert _sqlite_digests(restored) == _sqlite_digests(source)
    finally:
        restored.close()
    for prefix, root in roots.items():
        for path in root.rglob("*"):
            if path.is_file():
                copy = restored_roots[prefix] / path.relative_to(root)
                assert copy.read_bytes() == path.read_bytes()

    # restoring again into the now non-empty target is refused, and --force replaces it
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(archive=result.path, database=target, file_roots=restored_roots)
    (restored_roots["media"] / "stray.txt").write_text("not in the backup")
    backup_restore(archive=result.path, database=target, file_roots=restored_roots, force=True)
    assert not (restored_roots["media"] / "stray.txt").exists()


def _archive(tmp_path: Path, members: dict[str, bytes], manifest: dict[str, Any]) -> Path:
    path = tmp_path / f"{uuid.uuid4().hex}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _small_backup(tmp_path: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    """A tiny valid SQLite backup, built by backup_create from a file database."""
    source = tmp_path / "small.db"
    db = sqlite3.connect(source)
    db.execute("CREATE TABLE place (iso3 TEXT PRIMARY KEY, name TEXT)")
    db.executemany("INSERT INTO place VALUES (?, ?)", [("NPL", "Nepal"), ("PER", "Perú")])
    db.commit()
    db.close()
    result = backup_create(
        output_dir=tmp_path / "small-out",
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)},
        file_roots={},
    )
    with tarfile.open(result.path) as tar:
        members = {
            m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar
            if m.name != "manifest.json"
        }
    return members, result.manifest


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("flip", "checksum mismatch"),
        ("missing", "incomplete"),
        ("extra", "not in its manifest"),
        ("traversal", "unsafe"),
        ("version", "format version"),
        ("truncated", "truncated"),
    ],
)
def test_a_damaged_archive_is_refused_before_anything_changes(
    tmp_path: Path, damage: str, message: str
) -> None:
    """Each kind of damage is named, and the target database file is left as it was."""
    members, manifest = _small_backup(tmp_path)
    if damage == "flip":
        data = bytearray(members["database/sqlite3.db"])
        data[200] ^= 0xFF
        members["database/sqlite3.db"] = bytes(data)
    elif damage == "missing":
        manifest["members"]["media/gone.pdf"] = {"sha256": "0" * 64, "size": 1}
    elif damage == "extra":
        members["media/smuggled.txt"] = b"x"
    elif damage == "traversal":
        members["../evil.txt"] = b"x"
    elif damage == "version":
        manifest["format_version"] = 99
    path = _archive(tmp_path, members, manifest)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    target = tmp_path / "target.db"
    target.write_bytes(b"")
    with pytest.raises(BackupError, match=message):
        backup_restore(
            archive=path,
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
            file_roots={"media": tmp_path / "m"},
        )
    assert target.read_bytes() == b""


def test_the_intact_small_archive_restores(tmp_path: Path) -> None:
    """The same archive as the damage cases, undamaged, restores (the cases fail for their
    damage, not for something else)."""
    members, manifest = _small_backup(tmp_path)
    target = tmp_path / "target.db"
    backup_restore(
        archive=_archive(tmp_path, members, manifest),
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
        file_roots={"media": tmp_path / "m"},
    )
    db = sqlite3.connect(target)
    assert db.execute("SELECT name FROM place ORDER BY iso3").fetchall() == [("Nepal",), ("Perú",)]
    db.close()


def test_member_names_must_stay_inside_the_archive() -> None:
    assert backup.member_name_is_safe("media/documents/a.pdf")
    for name in ("/etc/passwd", "../x", "media/../../x", "media//x", "a\\b", "", "./x"):
        assert not backup.member_name_is_safe(name), name


@pytest.mark.django_db
def test_the_commands_write_an_archive_and_refuse_a_non_empty_target(
    tmp_path: Path, roots: dict[str, Path]
) -> None:
    """`manage.py backup --output DIR` reports what it wrote; `manage.py restore` of it into
    the (non-empty, in use) test database is refused."""
    out = io.StringIO()
    with override_settings(MEDIA_ROOT=roots["media"], SDG87_PRIVATE_ROOT=roots["private"]):
        if connection.vendor == "sqlite":
            with pytest.raises(CommandError, match="inside a transaction"):
                call_command("backup", output=str(tmp_path), stdout=out)
            return
        call_command("backup", output=str(tmp_path), stdout=out)
        archive = next(tmp_path.glob("sdg87-backup-*.tar.gz"))
        assert str(archive) in out.getvalue()
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(archive))


# --- PostgreSQL: real pg_dump / pg_restore on 127.0.0.1, throwaway databases ---------------

PG = {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": "5432"}


@pytest.fixture
def pg_database() -> Iterator[dict[str, str]]:
    """One throwaway database (CREATE/DROP DATABASE are slow on a busy server, so the round
    trip empties and reuses it as the restore target)."""
    psycopg = pytest.importorskip("psycopg")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore not installed")
    name = f"sdg87_ops_backup_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True)
    try:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        yield {**PG, "NAME": name, "USER": "postgres"}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _pg_digests(database: dict[str, str]) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=database["NAME"]) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(
                "SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
            for table in tables
        }


def test_postgresql_round_trip_into_an_empty_database(
    tmp_path: Path, pg_database: dict[str, str], roots: dict[str, Path]
) -> None:
    """pg_dump -Fc of a database with a Django migration table, a foreign key, text in three
    scripts, numeric, bytea and a sequence; pg_restore into an empty database gives the same
    counts and content checksums, the sequence continues, and a second restore is refused."""
    import psycopg

    source = target = pg_database
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=source["NAME"]) as conn:
        conn.execute(
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app text, name text);"
            "INSERT INTO django_migrations (app, name) VALUES ('geo', '0001_initial'),"
            " ('geo', '0002_regions'), ('indicators', '0001_initial');"
            "CREATE TABLE place (id serial PRIMARY KEY, iso3 char(3) UNIQUE, name text,"
            " shape bytea);"
            "INSERT INTO place (iso3, name, shape) VALUES ('NPL', 'नेपाल', '\\x00ff'),"
            " ('PER', 'Perú', NULL), ('CIV', 'Côte d''Ivoire', '\\x01');"
            "CREATE TABLE obs (id bigserial PRIMARY KEY, place_id int REFERENCES place(id),"
            " period int, value numeric(12, 4));"
            "INSERT INTO obs (place_id, period, value)"
            " SELECT 1 + g % 3, 2000 + g % 20, g / 7.0 FROM generate_series(1, 500) g;"
        )
    result = backup_create(output_dir=tmp_path / "out", database=source, file_roots=roots)
    assert result.manifest["database"]["engine"] == "postgresql"
    assert result.manifest["row_counts"] == {"django_migrations": 3, "obs": 500, "place": 3}
    assert result.manifest["migrations"] == {
        "geo": ["0001_initial", "0002_regions"],
        "indicators": ["0001_initial"],
    }

    before = _pg_digests(source)
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=source["NAME"]) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")  # now empty
    restored_roots = _empty_roots(tmp_path)
    backup_restore(archive=result.path, database=target, file_roots=restored_roots)
    assert set(before) == {"django_migrations", "obs", "place"}
    assert _pg_digests(target) == before
    assert (restored_roots["private"] / "workspace.txt").read_bytes() == b"members only"
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=target["NAME"]) as conn:
        next_id = conn.execute("INSERT INTO obs (place_id) VALUES (2) RETURNING id").fetchone()
        assert next_id == (501,)
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(archive=result.path, database=target, file_roots=_empty_roots(tmp_path))
    # an SQLite target cannot take a PostgreSQL archive
    with pytest.raises(BackupError, match="postgresql database"):
        backup_restore(
            archive=result.path,
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")},
            file_roots={"media": tmp_path / "m2", "private": tmp_path / "p2"},
        )
