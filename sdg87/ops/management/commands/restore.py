"""manage.py restore ARCHIVE [--force]: checks the archive whole, then restores the database
and the stored files into an empty target (see sdg87.ops.backup and docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from sdg87.ops.backup import BackupError, backup_restore
from sdg87.ops.management.commands.backup import file_roots


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and empty file roots."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and file roots that are not empty.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no such archive: {archive}")
        connection = connections[options["database"]]
        if not connection.in_atomic_block:
            connections.close_all()  # the restore writes through its own connections
        try:
            manifest = backup_restore(
                archive=archive,
                database=connection.settings_dict,
                file_roots=file_roots(),
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"restored {archive.name} (made {manifest['created_at']}): "
            f"{len(manifest['row_counts'])} tables, {rows} rows, "
            f"{len(manifest['members']) - 1} files; row counts match the manifest"
        )
