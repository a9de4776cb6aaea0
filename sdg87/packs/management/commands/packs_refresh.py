"""Record a new version of every due-diligence pack whose content changed (run after loading
data; `make run` does not need it: packs are also recorded on first read)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sdg87.packs.tasks import packs_refresh


class Command(BaseCommand):
    help = "Record a new version of every due-diligence pack whose content changed."

    def handle(self, *args: Any, **options: Any) -> None:
        checked = packs_refresh()
        self.stdout.write(f"{checked} packs checked.")
