"""Show or hide every dataset's imported statistics by the rule of catalog.statistics.

The task worker does this by itself when a schedule or an embargo ends; run this from cron as
a safety net where no worker runs, or after restoring a database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sdg87.catalog.statistics import statistics_sync_all


class Command(BaseCommand):
    help = "Make imported statistics exactly as visible as their datasets' data, now."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = statistics_sync_all()
        self.stdout.write(f"{changed} release(s) changed visibility")
