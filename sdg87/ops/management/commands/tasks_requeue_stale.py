"""manage.py tasks_requeue_stale [--older-than SECONDS]: put tasks a dead worker left RUNNING
back to READY (sdg87.ops.stale_tasks)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sdg87.ops.stale_tasks import stale_tasks_requeue


class Command(BaseCommand):
    help = "Put tasks left RUNNING by a dead worker back to READY, so that a worker runs them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            help="Seconds a task must have been running (default: SDG87_TASK_STALE_AFTER). "
            "0 only when no worker runs, e.g. before starting the only one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["older_than"]
        if seconds is None:
            seconds = settings.SDG87_TASK_STALE_AFTER
        if seconds < 0:
            raise ValueError("--older-than must be 0 or more")
        ids = stale_tasks_requeue(older_than=timedelta(seconds=seconds))
        self.stdout.write(f"{len(ids)} stale task(s) put back to READY")
