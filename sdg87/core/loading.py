"""Framework for loading the bundled data: ordered steps, one transaction each, checksummed.

Each domain app lists its steps in `<app>/loaders.py` as `STEPS`. A step reads files under the
data directory with a pure parser and writes through the app's services. A step either lands
whole or not at all; a bad file raises `LoadError` naming the file, row and column: parsers
raise `sdg87.core.ingest.ParseError`, inside `sdg87.core.ingest.reading(<file>)` to name the file.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from sdg87.core.cache import data_version_bump, data_version_bumps_coalesced
from sdg87.core.db_stats import database_statistics_refresh
from sdg87.core.ingest import ParseError, location

LOADER_MODULES = [
    "sdg87.geo.loaders",
    "sdg87.indicators.loaders",
    "sdg87.assessments.loaders",
    "sdg87.orgs.loaders",
    "sdg87.catalog.loaders",
]
# The library and other content that is not statistics.
CONTENT_LOADER_MODULES = [
    "sdg87.library.loaders",
    "sdg87.library.news_loaders",
    "sdg87.alliance.loaders",
]
# Steps that read the rows every other step wrote (translations name them by their keys).
# Not in LOADER_MODULES, which catalog reads as the list of statistics steps.
FINAL_LOADER_MODULES = ["sdg87.core.translations.loaders"]


class LoadError(Exception):
    def __init__(self, *, file: str, message: str, row: int | None, column: str | None):
        self.file, self.message, self.row, self.column = file, message, row, column
        super().__init__(f"{location(file=file, row=row, column=column)}: {message}")


Progress = Callable[[str], None]
_loading = threading.local()


def loading_in_progress() -> bool:
    """True while a bundled-data step runs in this thread: indexes that follow saves one by one
    (search) wait for the rebuild that follows the load instead."""
    return bool(getattr(_loading, "active", False))


@dataclass(frozen=True)
class LoadStep:
    key: str
    label: str
    files: tuple[str, ...]  # paths relative to the data directory
    run: Callable[[Path], int]  # receives the data dir, returns rows written
    depends_on: tuple[str, ...] = field(default_factory=tuple)
    # Bump when the step's code changes what it writes, so unchanged files load again.
    version: str = ""

    def checksum(self, data_dir: Path) -> str:
        digest = hashlib.sha256()
        if self.version:
            digest.update(f"version={self.version}".encode())
        for name in self.files:
            digest.update(name.encode())
            digest.update((data_dir / name).read_bytes())
        return digest.hexdigest()


def all_steps() -> list[LoadStep]:
    """Every registered step, in LOADER_MODULES order, moved after the steps it depends on."""
    steps: list[LoadStep] = []
    for module_name in (*LOADER_MODULES, *CONTENT_LOADER_MODULES, *FINAL_LOADER_MODULES):
        steps.extend(importlib.import_module(module_name).STEPS)
    return _dependency_order(steps)


def _dependency_order(steps: list[LoadStep]) -> list[LoadStep]:
    by_key = {step.key: step for step in steps}
    if len(by_key) != len(steps):
        raise ValueError("duplicate load step keys")
    ordered: list[LoadStep] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(step: LoadStep) -> None:
        if step.key in placed:
            return
        if step.key in visiting:
            raise ValueError(f"load step dependency cycle at '{step.key}'")
        visiting.add(step.key)
        for key in step.depends_on:
            if key not in by_key:
                raise ValueError(f"load step '{step.key}' depends on unknown step '{key}'")
            place(by_key[key])
        visiting.discard(step.key)
        placed.add(step.key)
        ordered.append(step)

    for step in steps:
        place(step)
    return ordered


@dataclass
class StepOutcome:
    key: str
    status: str  # "loaded" | "skipped"
    rows: int
    seconds: float = 0.0


def run_step(step: LoadStep, *, data_dir: Path, force: bool = False) -> StepOutcome:
    from sdg87.core.models import DataLoad

    checksum = step.checksum(data_dir)
    done = DataLoad.objects.filter(key=step.key).first()
    if done and done.checksum == checksum and not force:
        return StepOutcome(step.key, "skipped", done.rows)
    try:
        with transaction.atomic(), data_version_bumps_coalesced():
            _loading.active = True
            try:
                rows = step.run(data_dir)
            finally:
                _loading.active = False
            DataLoad.objects.update_or_create(
                key=step.key, defaults={"checksum": checksum, "rows": rows}
            )
            data_version_bump()
    except ParseError as exc:
        raise LoadError(
            file=_file_for(step, exc), message=exc.message, row=exc.row, column=exc.column
        ) from exc
    except ValidationError as exc:
        # A row that passed the parser but not the model's validation (full_clean).
        raise LoadError(
            file=", ".join(step.files) or step.key, message=str(exc), row=None, column=None
        ) from exc
    return StepOutcome(step.key, "loaded", rows)


def _file_for(step: LoadStep, exc: ParseError) -> str:
    return exc.file or (step.files[0] if step.files else step.key)


def load_all(
    *,
    data_dir: Path | None = None,
    only: list[str] | None = None,
    force: bool = False,
    progress: Progress = lambda _msg: None,
) -> list[StepOutcome]:
    data_dir = data_dir or Path(settings.SDG87_DATA_DIR)
    steps = [s for s in all_steps() if not only or s.key in only]
    outcomes = []
    for index, step in enumerate(steps, start=1):
        progress(f"[{index}/{len(steps)}] {step.label} ...")
        started = time.perf_counter()
        outcome = run_step(step, data_dir=data_dir, force=force)
        outcome.seconds = time.perf_counter() - started
        progress(
            f"[{index}/{len(steps)}] {step.label}: {outcome.status}, {outcome.rows} rows "
            f"in {outcome.seconds:.1f} s"
        )
        outcomes.append(outcome)
    if any(outcome.status == "loaded" for outcome in outcomes):
        # New row counts: the planners choose the observation indexes by them (db_stats).
        database_statistics_refresh()
    return outcomes
