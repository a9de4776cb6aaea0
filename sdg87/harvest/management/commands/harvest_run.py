"""Harvest sources now: `harvest_run --source ID` (forced), `harvest_run --due` (the sweep
for cron or for task backends that cannot defer), or both."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdg87.harvest import selectors
from sdg87.harvest.services import harvest_source_run


class Command(BaseCommand):
    help = "Harvest one source now (--source ID) or every source that is due (--due)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=int, action="append", default=[])
        parser.add_argument("--due", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["source"] or options["due"]):
            raise CommandError("give --source ID or --due")
        ids: list[tuple[int, bool]] = [(pk, True) for pk in options["source"]]
        if options["due"]:  # none due (or all paused) is not an error: nothing to do
            ids += [(pk, False) for pk in selectors.harvest_source_due_ids()]
        for pk, force in ids:
            run = harvest_source_run(source_id=pk, force=force)
            if run is None:
                self.stdout.write(f"source {pk}: nothing to do")
                continue
            self.stdout.write(
                f"source {pk}: {run.status}, seen {run.seen}, created {run.created}, "
                f"updated {run.updated}, unchanged {run.unchanged}, removed {run.removed}, "
                f"skipped {run.skipped}, failed {run.failed}"
                + (f" ({run.error})" if run.error else "")
            )
