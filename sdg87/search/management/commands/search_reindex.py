"""Rebuild the search index beside the one being served, then switch over (no downtime)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Max

from sdg87.core.models import DataLoad
from sdg87.search.indexing import index_rebuild, search_state
from sdg87.search.thesaurus import THESAURUS_VERSION
from sdg87.search.vocabulary import clear


def _bar(done: int, total: int, width: int = 30) -> str:
    if total <= 0:
        return f"{done}"
    filled = int(width * min(done, total) / total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


class Command(BaseCommand):
    help = "Rebuild the search index (a new generation, served when complete)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Only when data was loaded since the last rebuild, the thesaurus changed, "
            "or there is no index yet",
        )

    def _stale(self) -> str:
        state = search_state()
        if state.rebuilt_at is None:
            return "no index yet"
        if state.thesaurus_version != THESAURUS_VERSION:
            return f"thesaurus {state.thesaurus_version or '-'} -> {THESAURUS_VERSION}"
        loaded = DataLoad.objects.aggregate(last=Max("loaded_at"))["last"]
        if loaded is not None and loaded > state.rebuilt_at:
            return "data loaded since the last rebuild"
        return ""

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_stale"]:
            reason = self._stale()
            if not reason:
                if options["verbosity"] > 1:
                    self.stdout.write("Search index is up to date.")
                return
            self.stdout.write(f"Rebuilding the search index ({reason})")
        clear()
        started = time.perf_counter()
        tty = sys.stdout.isatty()

        def progress(kind: str, done: int, total: int) -> None:
            # a bar on a terminal; logs get the per-kind totals at the end instead
            self.stdout.write(f"\r  {kind:<13} {_bar(done, total)}", ending="")
            self.stdout.flush()

        report = index_rebuild(progress=progress if tty and options["verbosity"] > 0 else None)
        clear()
        if tty:
            self.stdout.write("")
        total = sum(report.documents.values())
        for kind, n in report.documents.items():
            self.stdout.write(f"  {kind:<13} {n}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index: {total} documents (generation {report.generation}) in "
                f"{time.perf_counter() - started:.1f} s; {report.removed} old documents removed"
            )
        )
