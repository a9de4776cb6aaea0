"""Backups you can restore: one archive holding a consistent database snapshot and the stored
files, with a manifest that lets a restore prove the archive is whole before it changes
anything.

Archive (``sdg87-backup-<UTC time>.tar.gz``), members in this order:

- ``database/sqlite3.db``: a copy made with SQLite's online backup API (one read transaction,
  so a consistent snapshot while the site keeps serving), or ``database/postgresql.dump``:
  ``pg_dump -Fc`` run on a snapshot exported by a REPEATABLE READ transaction, the same
  snapshot the row counts are taken in;
- ``media/...`` and ``private/...``: every file under MEDIA_ROOT and SDG87_PRIVATE_ROOT;
- ``manifest.json`` (last, so each member's checksum is the one of the bytes written): format
  version, creation time, database engine, the applied Django migrations, rows per table and
  the SHA-256 and size of every other member.

A restore reads the whole archive into a staging directory first and refuses (changing
nothing) when it is truncated, a member is missing, extra, unsafe or differs from its checksum,
the engine differs, or the target database or file roots are not empty (unless ``force``).
Then it restores the database (SQLite backup API into the target file; ``pg_restore`` in one
transaction), puts the files in place, and compares every table's row count with the manifest.

The write side is `backup_create`, the read side `backup_restore`; `manage.py backup` and
`manage.py restore` only parse arguments and call them (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "sdg87-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/sqlite3.db", "postgresql": "database/postgresql.dump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot be made safely; the message says why."""


@dataclass(frozen=True)
class DatabaseFacts:
    row_counts: dict[str, int]
    migrations: dict[str, list[str]]
    server_version: str


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def engine_of(database: Mapping[str, Any]) -> str:
    engine = str(database.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine!r}")


# --- pure helpers -------------------------------------------------------------------------


def member_name_is_safe(name: str) -> bool:
    """A relative POSIX path inside the archive: no absolute path, no `..`, no empty part."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and "\\" not in name
        and all(part not in {"", ".", ".."} for part in name.split("/"))
    )


def manifest_check(manifest: Mapping[str, Any], staged: Mapping[str, tuple[str, int]]) -> None:
    """Raises BackupError unless `staged` (member -> (sha256, size)) is exactly what the
    manifest lists, byte for byte, and the manifest is of a format this code reads."""
    if manifest.get("format") != FORMAT:
        raise BackupError("not an sdg87 backup (manifest format is missing or different)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')!r} is not supported "
            f"(this version reads {FORMAT_VERSION})"
        )
    listed: Mapping[str, Mapping[str, Any]] = manifest.get("members", {})
    missing = sorted(set(listed) - set(staged))
    extra = sorted(set(staged) - set(listed))
    if missing:
        raise BackupError(f"archive is incomplete: missing {', '.join(missing[:5])}")
    if extra:
        raise BackupError(f"archive has members not in its manifest: {', '.join(extra[:5])}")
    for name, (digest, size) in sorted(staged.items()):
        if listed[name].get("sha256") != digest or listed[name].get("size") != size:
            raise BackupError(f"checksum mismatch for {name}: the archive is damaged")
    database = manifest.get("database", {})
    if database.get("member") not in listed:
        raise BackupError("the manifest names no database member")


# --- database snapshots ---------------------------------------------------------------------


def _sqlite_facts(db: sqlite3.Connection) -> DatabaseFacts:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {
        # table names come from sqlite_master, quoted as identifiers
        t: db.execute(f'SELECT COUNT(*) FROM "{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]  # noqa: S608
        for t in tables
    }
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY id"):
            migrations.setdefault(app, []).append(name)
    version = db.execute("SELECT sqlite_version()").fetchone()[0]
    return DatabaseFacts(row_counts=counts, migrations=migrations, server_version=str(version))


def _sqlite_snapshot(
    database: Mapping[str, Any], dest: Path, source: sqlite3.Connection | None
) -> DatabaseFacts:
    if source is not None and source.in_transaction:
        # SQLite's backup would wait forever on the connection's own write lock
        raise BackupError("the database connection is inside a transaction; back up outside it")
    own = source is None
    src = source if source is not None else sqlite3.connect(str(database["NAME"]))
    try:
        copy = sqlite3.connect(str(dest))
        try:
            src.backup(copy)  # all pages in one step: one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            facts = _sqlite_facts(copy)
        finally:
            copy.close()
    finally:
        if own:
            src.close()
    return facts


def _pg_env(database: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = database.get(key)
        if value:
            env[var] = str(value)
    return env


@contextlib.contextmanager
def _pg_connect(database: Mapping[str, Any], *, autocommit: bool = False) -> Iterator[Any]:
    import psycopg

    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }
    conn = psycopg.connect(
        **{k: v for k, v in params.items() if v is not None}, autocommit=autocommit
    )
    try:
        yield conn
    finally:
        conn.close()


def _pg_facts(conn: Any) -> DatabaseFacts:
    from psycopg import sql

    with conn.cursor() as cur:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [row[0] for row in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cur.fetchone()[0]
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in counts:
            cur.execute("SELECT app, name FROM django_migrations ORDER BY id")
            for app, name in cur.fetchall():
                migrations.setdefault(app, []).append(name)
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    return DatabaseFacts(row_counts=counts, migrations=migrations, server_version=str(version))


def _pg_snapshot(database: Mapping[str, Any], dest: Path) -> DatabaseFacts:
    """Counts rows and dumps in one snapshot: the counting transaction exports it and stays
    open while pg_dump imports it (--snapshot)."""
    with _pg_connect(database) as conn:
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
        facts = _pg_facts(conn)
        run = subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(dest)],  # noqa: S607
            env=_pg_env(database),
            capture_output=True,
            text=True,
            check=False,
        )
        conn.rollback()
    if run.returncode != 0:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
    return facts


# --- archive ---------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes it hands over."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o640
    with path.open("rb") as raw:
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    return {"sha256": reader.sha.hexdigest(), "size": reader.size}


def _files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(
    *,
    output_dir: Path,
    database: Mapping[str, Any],
    file_roots: Mapping[str, Path],
    sqlite_connection: sqlite3.Connection | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Writes one archive of the database and the files under `file_roots` (archive prefix ->
    directory) into `output_dir`, and returns its path and manifest. The archive appears under
    its final name only once complete."""
    import django

    engine = engine_of(database)
    created = (now or datetime.now(tz=UTC)).astimezone(UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    final = output_dir / f"sdg87-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    partial = final.with_name(final.name + ".partial")
    db_member = DATABASE_MEMBERS[engine]
    with tempfile.TemporaryDirectory(prefix="sdg87-backup-") as staging:
        db_file = Path(staging) / PurePosixPath(db_member).name
        if engine == "sqlite":
            facts = _sqlite_snapshot(database, db_file, sqlite_connection)
        else:
            facts = _pg_snapshot(database, db_file)
        members: dict[str, dict[str, Any]] = {}
        try:
            with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
                members[db_member] = _add_file(tar, db_member, db_file)
                for prefix, root in sorted(file_roots.items()):
                    for path in _files_under(root):
                        name = f"{prefix}/{path.relative_to(root).as_posix()}"
                        members[name] = _add_file(tar, name, path)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": created.isoformat(),
                    "django": django.get_version(),
                    "database": {
                        "engine": engine,
                        "member": db_member,
                        "server_version": facts.server_version,
                    },
                    "migrations": facts.migrations,
                    "row_counts": facts.row_counts,
                    "file_roots": sorted(file_roots),
                    "members": members,
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created.timestamp())
                info.mode = 0o640
                tar.addfile(info, _BytesReader(data))
            with partial.open("rb") as done:
                os.fsync(done.fileno())
            partial.replace(final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=final, manifest=manifest)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _stage(archive: Path, staging: Path) -> tuple[dict[str, Any], dict[str, tuple[str, int]]]:
    """Extracts every member into `staging`, hashing as it writes; returns the manifest and
    member -> (sha256, size). A damaged, truncated or unsafe archive raises BackupError."""
    staged: dict[str, tuple[str, int]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if not info.isfile() or not member_name_is_safe(info.name):
                    raise BackupError(f"unsafe or unexpected archive member {info.name!r}")
                if info.name in staged or (info.name == MANIFEST and manifest is not None):
                    raise BackupError(f"archive member {info.name!r} appears twice")
                source = tar.extractfile(info)
                assert source is not None  # a regular file
                if info.name == MANIFEST:
                    manifest = json.loads(source.read())
                    continue
                target = staging / info.name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                staged[info.name] = (sha.hexdigest(), size)
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"cannot read the archive (truncated or damaged): {exc}") from exc
    if manifest is None:
        raise BackupError("the archive has no manifest (truncated or not a backup)")
    return manifest, staged


def _database_is_empty(engine: str, database: Mapping[str, Any]) -> bool:
    if engine == "sqlite":
        name = _sqlite_target(database)
        if not name.exists() or name.stat().st_size == 0:
            return True
        db = sqlite3.connect(str(name))
        try:
            row = db.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()
        finally:
            db.close()
        return bool(row[0] == 0)
    with _pg_connect(database) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema()"
        )
        return bool(cur.fetchone()[0] == 0)


def database_row_counts(database: Mapping[str, Any]) -> dict[str, int]:
    """Rows per table of the database described by a Django settings dict."""
    if engine_of(database) == "sqlite":
        db = sqlite3.connect(str(database["NAME"]))
        try:
            return _sqlite_facts(db).row_counts
        finally:
            db.close()
    with _pg_connect(database) as conn:
        return _pg_facts(conn).row_counts


def backup_restore(
    *,
    archive: Path,
    database: Mapping[str, Any],
    file_roots: Mapping[str, Path],
    force: bool = False,
) -> dict[str, Any]:
    """Restores `archive` into the (empty, unless `force`) database and file roots; returns
    its manifest. Nothing is changed unless the whole archive checks out first."""
    engine = engine_of(database)
    with tempfile.TemporaryDirectory(prefix="sdg87-restore-") as tmp:
        staging = Path(tmp)
        manifest, staged = _stage(archive, staging)
        manifest_check(manifest, staged)
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                f"the archive holds a {manifest['database']['engine']} database; "
                f"the target is {engine}"
            )
        prefixes = {name.split("/", 1)[0] for name in staged} - {"database"}
        unknown = prefixes - set(file_roots)
        if unknown:
            raise BackupError(f"no file root to restore {', '.join(sorted(unknown))} into")
        if not force:
            busy = [] if _database_is_empty(engine, database) else ["the database"]
            busy += [str(root) for root in file_roots.values() if _files_under(root)]
            if busy:
                raise BackupError(
                    f"refusing to restore over data: {', '.join(busy)} not empty "
                    "(restore into an empty database, or use --force to replace it)"
                )

        db_file = staging / manifest["database"]["member"]
        if engine == "sqlite":
            _sqlite_restore(db_file, database)
        else:
            _pg_restore(db_file, database, force=force)

        for prefix, root in file_roots.items():
            if force and root.is_dir():
                for child in root.iterdir():
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
            source_root = staging / prefix
            if not source_root.is_dir():
                continue
            for path in _files_under(source_root):
                target = root / path.relative_to(source_root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), target)

    restored = database_row_counts(database)
    expected = manifest.get("row_counts", {})
    differing = sorted(t for t in expected if restored.get(t) != expected[t])
    if differing:
        raise BackupError(
            f"restored row counts differ from the manifest in {', '.join(differing[:5])}"
        )
    return manifest


def _sqlite_target(database: Mapping[str, Any]) -> Path:
    name = str(database["NAME"])
    if name == ":memory:" or "mode=memory" in name or name.startswith("file:"):
        raise BackupError(f"cannot restore into an in-memory or URI database ({name})")
    return Path(name)


def _sqlite_restore(db_file: Path, database: Mapping[str, Any]) -> None:
    target_name = _sqlite_target(database)
    target_name.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    target = sqlite3.connect(str(target_name))
    try:
        source.backup(target)  # replaces every page of the target: one consistent copy
    finally:
        target.close()
        source.close()


def _pg_restore(db_file: Path, database: Mapping[str, Any], *, force: bool) -> None:
    if force:
        with _pg_connect(database, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cur.execute("CREATE SCHEMA public")
    run = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(database["NAME"]),
            str(db_file),
        ],
        env=_pg_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()}")
