"""Import translations from CSV files in data/translations/ (format: core.translations.parsers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sdg87.core.ingest import ParseError
from sdg87.core.translations.loaders import FILES, translations_import


class Command(BaseCommand):
    help = (
        "Import French and Spanish translations from CSV files (default: the bundled files in "
        "data/translations/). Each file lands whole or not at all; translations a person has "
        "set in the admin are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="CSV files (default: the bundled ones)")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(settings.SDG87_DATA_DIR)
        paths = [Path(p) for p in options["files"]] or [data_dir / name for name in FILES]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            try:
                with transaction.atomic():
                    outcome = translations_import(path.read_text(encoding="utf-8"), file=str(path))
            except ParseError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{path}: {outcome.written} written, {outcome.unchanged} unchanged, "
                f"{len(outcome.kept)} kept (set by a person), "
                f"{len(outcome.out_of_date)} out of date, {len(outcome.missing)} not loaded"
            )
            for label, lines in (
                ("out of date (the English changed)", outcome.out_of_date),
                ("names a row that is not loaded", outcome.missing),
            ):
                for where in lines:
                    self.stdout.write(f"  {where}: {label}")
