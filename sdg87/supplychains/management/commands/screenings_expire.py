"""Delete the sourcing-list screenings nobody saved, once expired (24 hours after upload).

Run from cron (hourly) or enqueue screening_tasks.screenings_expire_task; saved screenings
(kept by an organisation) never expire."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sdg87.supplychains.screening_services import screenings_expire


class Command(BaseCommand):
    help = "Delete expired unsaved sourcing-list screenings and their rows."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = screenings_expire()
        self.stdout.write(f"{deleted} expired screening(s) deleted")
