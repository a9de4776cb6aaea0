"""Delete the sourcing-list screenings nobody saved, once expired (24 hours after upload).

Without cron: `--schedule` starts the hourly self-rescheduling task
(screening_tasks.screenings_expire_periodic_task; idempotent, one run pending at a time;
`make run` and `make prepare` call it after loading the data). With cron, run the command
hourly. Saved screenings (kept by an organisation) never expire."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sdg87.supplychains.screening_services import screenings_expire, screenings_expiry_schedule


class Command(BaseCommand):
    help = "Delete expired unsaved sourcing-list screenings and their rows."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Also make sure the hourly sweep is pending in the task worker (idempotent).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = screenings_expire()
        self.stdout.write(f"{deleted} expired screening(s) deleted")
        if options["schedule"]:
            started = screenings_expiry_schedule()
            self.stdout.write("hourly sweep " + ("scheduled" if started else "already pending"))
