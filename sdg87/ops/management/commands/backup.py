"""manage.py backup [--output DIR]: one archive of the database and the stored files (see
sdg87.ops.backup and docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from sdg87.ops.backup import BackupError, backup_create


def file_roots() -> dict[str, Path]:
    """The directories whose files go into a backup, by archive prefix."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.SDG87_PRIVATE_ROOT)}


class Command(BaseCommand):
    help = "Write a backup archive: database snapshot, media and private files, manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="Directory for the archive (default: var/backups).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        source = None
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = connection.connection  # also reaches an in-memory database
        try:
            result = backup_create(
                output_dir=Path(options["output"]),
                database=connection.settings_dict,
                file_roots=file_roots(),
                sqlite_connection=source,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        rows = sum(manifest["row_counts"].values())
        files = len(manifest["members"]) - 1
        self.stdout.write(
            f"{result.path} ({result.path.stat().st_size} bytes): "
            f"{manifest['database']['engine']}, {len(manifest['row_counts'])} tables, "
            f"{rows} rows, {files} files"
        )
