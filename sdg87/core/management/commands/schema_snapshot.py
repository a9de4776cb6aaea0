from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdg87.core import schema_snapshot


def _manage(database: Path, *args: str) -> None:
    """manage.py in a child process on the SQLite database `database`."""
    env = {**os.environ, "SDG87_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(  # noqa: S603 (this interpreter, this project's manage.py)
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        check=True,
        cwd=settings.BASE_DIR,
    )


class Command(BaseCommand):
    help = (
        "The SQLite schema snapshot (ADR 0017): `migrate` applies it to an empty database, then "
        "migrates; `write` regenerates it from a fresh migrate; `check` compares it with one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["migrate", "write", "check"])
        parser.add_argument("--path", type=Path, default=schema_snapshot.SNAPSHOT_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        action = options["action"]
        if action == "migrate":
            started = time.perf_counter()
            if schema_snapshot.apply_if_empty(path=path) and options["verbosity"]:
                self.stdout.write(
                    f"Empty database: schema snapshot applied in "
                    f"{time.perf_counter() - started:.1f} s"
                )
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
            return
        if action == "check" and schema_snapshot.Snapshot.read(path) is None:
            raise CommandError(f"{path}: no schema snapshot; run `make schema-snapshot`")
        with tempfile.TemporaryDirectory(prefix="sdg87-schema-") as tmp:
            migrated = Path(tmp) / "migrated.sqlite3"
            _manage(migrated, "migrate", "--noinput", "--verbosity", "0")
            if action == "write":
                with sqlite3.connect(migrated) as conn:
                    text = schema_snapshot.dump(conn, schema_snapshot.migration_hashes())
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {path} ({len(text):,} characters)")
                return
            self._check(path, migrated, Path(tmp) / "from_snapshot.sqlite3")

    def _check(self, path: Path, migrated: Path, restored: Path) -> None:
        snapshot = schema_snapshot.Snapshot.read(path)
        if snapshot is None:
            raise CommandError(f"{path}: no schema snapshot; run `make schema-snapshot`")
        current = schema_snapshot.migration_hashes()
        problems = snapshot.problems(current) + [
            f"migration {name} is not in the snapshot" for name in snapshot.missing(current)
        ]
        _manage(restored, "schema_snapshot", "migrate", "--path", str(path), "--verbosity", "0")
        with sqlite3.connect(migrated) as a, sqlite3.connect(restored) as b:
            if schema_snapshot.schema_rows(a) != schema_snapshot.schema_rows(b):
                problems.append("the schema differs from what migrate builds")
            # UUID columns (char(32) on SQLite: Wagtail's translation_key) are drawn at random
            # by each migrate; the snapshot keeps the ones it was built with.
            digests_a = schema_snapshot.table_digests(a, skip_types=("char(32)",))
            digests_b = schema_snapshot.table_digests(b, skip_types=("char(32)",))
            problems.extend(
                f"table {table}: migrate {digests_a.get(table)}, snapshot {digests_b.get(table)}"
                for table in sorted(set(digests_a) | set(digests_b))
                if digests_a.get(table) != digests_b.get(table)
            )
        if problems:
            raise CommandError(
                "Schema snapshot out of date (run `make schema-snapshot`): " + "; ".join(problems)
            )
        self.stdout.write(f"{path}: equal to a fresh migrate ({len(current)} migrations)")
