"""A checked-in image of an empty, fully migrated SQLite database, for a fresh machine's first
migrate (ADR 0017).

Running every migration of every app on an empty SQLite database costs 30-45 s of CPU (Wagtail's
84 migrations alone about half, SQLite's table remakes the rest). `schema_snapshot.sql` holds the
result once: the schema as SQLite stores it (sqlite_master), every row the migrations and their
post_migrate handlers wrote (django_migrations, content types, permissions, Wagtail's root page,
site, locale and collection), as plain SQL text. Its header names the Django version and a
SHA-256 of every migration file it contains.

`apply_if_empty()` runs it on an EMPTY SQLite database when it still fits: the same Django version
and every migration it recorded unchanged on disk. `migrate` then runs as always: it applies the
migrations written after the snapshot (so a snapshot that is behind is still correct, only
slower) and the post_migrate handlers. Anything else (a migration edited or removed, another
Django, a non-empty database, PostgreSQL) leaves the database alone and `migrate` does all the
work. `make schema-snapshot` regenerates the file; `manage.py schema_snapshot check` and the tests
compare it with what `migrate` builds, so it cannot drift silently.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

SNAPSHOT_PATH = Path(__file__).with_name("schema_snapshot.sql")
_MAGIC = "-- sdg87 schema snapshot"
_ROWS_PER_INSERT = 200


def migration_hashes() -> dict[str, str]:
    """`app_label.migration_name` -> SHA-256 (hex) of its file, for every installed app."""
    from django.apps import apps

    hashes: dict[str, str] = {}
    for app_config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            spec = importlib.util.find_spec(module_name)
        except ModuleNotFoundError:
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            for path in sorted(Path(location).glob("*.py")):
                if path.name.startswith(("_", "~")):
                    continue
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                hashes[f"{app_config.label}.{path.stem}"] = digest
    return hashes


@dataclass(frozen=True)
class Snapshot:
    django_version: str
    migrations: dict[str, str]  # app_label.name -> sha256 of the file it was built from
    sql: str

    @classmethod
    def read(cls, path: Path = SNAPSHOT_PATH) -> Snapshot | None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not text.startswith(_MAGIC):
            return None
        version, migrations = "", {}
        for line in text.splitlines():
            if not line.startswith("-- "):
                break
            key, _, value = line[3:].partition(" ")
            if key == "django":
                version = value.strip()
            elif key == "migration":
                name, _, digest = value.partition(" ")
                migrations[name] = digest.strip()
        return cls(version, migrations, text)

    def problems(self, current: dict[str, str]) -> list[str]:
        """Why this snapshot cannot stand for these migrations (empty: it can). New migrations
        that it lacks are no problem: `migrate` applies them after it."""
        found = []
        if self.django_version != django.__version__:
            found.append(f"built with Django {self.django_version}, not {django.__version__}")
        for name, digest in sorted(self.migrations.items()):
            if name not in current:
                found.append(f"migration {name} no longer exists")
            elif current[name] != digest:
                found.append(f"migration {name} changed since the snapshot")
        return found

    def missing(self, current: dict[str, str]) -> list[str]:
        """Migrations on disk that the snapshot lacks (applied by `migrate` after it)."""
        return sorted(set(current) - set(self.migrations))


def apply_if_empty(using: str = DEFAULT_DB_ALIAS, path: Path = SNAPSHOT_PATH) -> bool:
    """Load the snapshot into the database `using` if it is an empty SQLite database and the
    snapshot fits the migrations on disk. True if it did; `migrate` must run after either way."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False  # PostgreSQL keeps plain migrate (ADR 0017)
    if connection.introspection.table_names(include_views=True):
        return False
    snapshot = Snapshot.read(path)
    if snapshot is None or snapshot.problems(migration_hashes()):
        return False
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    raw.executescript(snapshot.sql)  # one transaction (BEGIN ... COMMIT in the text)
    return True


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _objects(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(type, name, tbl_name, sql) of the schema in creation order, without SQLite's own
    objects and the shadow tables of virtual tables (their CREATE VIRTUAL TABLE makes them)."""
    shadow = {row[1] for row in conn.execute("PRAGMA table_list") if row[2] == "shadow"}
    return [
        row
        for row in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )
        if row[1] not in shadow and row[2] not in shadow
    ]


def _inserts(conn: sqlite3.Connection, table: str) -> Iterator[str]:
    # Table names come from the database's own sqlite_master, quoted.
    rows = conn.execute(f"SELECT * FROM {_name(table)} ORDER BY rowid").fetchall()  # noqa: S608
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        values = ",\n".join(
            "(" + ",".join(_literal(v) for v in row) + ")"
            for row in rows[start : start + _ROWS_PER_INSERT]
        )
        yield f"INSERT INTO {_name(table)} VALUES\n{values};"


def dump(conn: sqlite3.Connection, migrations: dict[str, str]) -> str:
    """The snapshot text of the migrated database behind `conn`, for these migration files."""
    header = [
        _MAGIC,
        "-- Generated by `make schema-snapshot` from a freshly migrated database; do not edit.",
        "-- See sdg87/core/schema_snapshot.py and docs/adr/0017-schema-snapshot.md.",
        f"-- django {django.__version__}",
        *(f"-- migration {name} {digest}" for name, digest in sorted(migrations.items())),
    ]
    objects = _objects(conn)
    body: list[str] = ["BEGIN;"]
    virtual = {name for type_, name, _t, sql in objects if sql.upper().startswith("CREATE VIRTUAL")}
    # Every table before any row (a row's foreign key names its parent table, which a table
    # remade by a later migration creates later), indexes and triggers after the rows.
    tables = [(name, sql) for type_, name, _tbl, sql in objects if type_ == "table"]
    body.extend(f"{sql};" for _name, sql in tables)
    for name, _sql in tables:
        if name not in virtual:
            body.extend(_inserts(conn, name))
    for type_, _name, _tbl, sql in objects:
        if type_ != "table":
            body.append(f"{sql};")
    sequences = conn.execute(
        "SELECT s.name, s.seq FROM sqlite_master m JOIN sqlite_sequence s ON s.name = m.name "
        "WHERE m.type = 'table' ORDER BY m.rowid"
    ).fetchall()
    if sequences:  # the inserts above counted their own; the source's counters win
        body.append("DELETE FROM sqlite_sequence;")
    for name, seq in sequences:
        body.append(
            f"INSERT INTO sqlite_sequence (name, seq) VALUES ({_literal(name)}, {int(seq)});"  # noqa: S608
        )
    body.append("COMMIT;")
    return "\n".join([*header, *body]) + "\n"


def schema_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """The schema, order-independent, for comparing two databases."""
    return sorted(
        conn.execute(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%'"
        )
    )


def table_digests(
    conn: sqlite3.Connection,
    *,
    skip_tables: Iterable[str] = (),
    skip_types: Iterable[str] = (),
) -> dict[str, str]:
    """Table (with sqlite_sequence) -> row count and SHA-256 of its rows, independent of row
    order; django_migrations
    without its `applied` times (and ids, which follow the order migrations ran in); columns
    whose declared type contains one of `skip_types` left out."""
    skipped = set(skip_tables)
    types = tuple(t.lower() for t in skip_types)
    digests = {}
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_sequence') ORDER BY name"
    ):
        if table in skipped:
            continue
        if table == "django_migrations":
            query = 'SELECT app, name FROM "django_migrations"'
        else:
            columns = [
                _name(row[1])
                for row in conn.execute(f"PRAGMA table_info({_name(table)})")
                if not any(t in (row[2] or "").lower() for t in types)
            ]
            select = ", ".join(columns) or "1"
            query = f"SELECT {select} FROM {_name(table)}"  # noqa: S608 (names from the db)
        rows = sorted(repr(row) for row in conn.execute(query))
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        digests[table] = f"{len(rows)} {digest}"
    return digests
