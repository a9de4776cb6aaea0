from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdg87.core.loading import LoadError, load_all


class Command(BaseCommand):
    help = "Load the bundled real data (data/) idempotently; each step lands whole or not at all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=None)
        parser.add_argument("--only", action="append", help="Step key to run (repeatable)")
        parser.add_argument("--force", action="store_true", help="Reload unchanged steps too")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            outcomes = load_all(
                data_dir=options["data_dir"],
                only=options["only"],
                force=options["force"],
                progress=lambda msg: self.stdout.write(msg),
            )
        except LoadError as exc:
            raise CommandError(f"Load failed, database unchanged for this step: {exc}") from exc
        loaded = sum(1 for o in outcomes if o.status == "loaded")
        self.stdout.write(
            self.style.SUCCESS(
                f"{loaded} step(s) loaded, {len(outcomes) - loaded} already up to date "
                f"in {time.perf_counter() - started:.1f} s"
            )
        )
