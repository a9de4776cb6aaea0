"""Framework for loading the bundled data: ordered steps, one transaction each, checksummed.

Each domain app lists its steps in `<app>/loaders.py` as `STEPS`. A step reads files under the
data directory with a pure parser and writes through the app's services. A step either lands
whole or not at all; a bad file raises `LoadError` naming the file, row and column: parsers
raise `sdg87.core.ingest.ParseError`, inside `sdg87.core.ingest.reading(<file>)` to name the file.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save

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

logger = logging.getLogger(__name__)


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
                with index_updates_batched(), _fewer_collections():
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


# Python's cycle collector during a step: a full load allocates millions of short-lived
# objects (rows, ORM instances), and with the default thresholds (700, 10, 10) the collector
# ran about 1,000 times per load, each time scanning the objects that were alive before the step
# (Django, Wagtail, the URL configuration): 0.64 s of CPU in a 10 s load, 0.02 s with these.
STEP_GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """During a step, the objects alive before it are left out of cycle collection (gc.freeze)
    and collections wait for more allocations; both restored after it. A process that froze
    its objects itself (config/wsgi.py) keeps them frozen: only the thresholds change then."""
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(*STEP_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


ObjectKey = tuple[str, str, str]  # app label, model name, primary key (as the tasks take them)


@contextmanager
def index_updates_batched() -> Iterator[None]:
    """Wagtail's reference index and modelsearch's index each enqueue one task per saved
    object (about 2,200 for the bundled data, one database row and two signals each). While a
    step runs, the saves are collected instead, and one task updates both indexes for every
    object the step saved: the same objects, so the same index rows once the worker has run.
    Enqueued inside the step's transaction: a step that rolls back leaves no task."""
    from modelsearch import index as search_index
    from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update

    references: dict[ObjectKey, None] = {}  # insertion-ordered set
    searched: dict[ObjectKey, None] = {}
    tracked = set(ReferenceIndex.tracked_models)
    # modelsearch's receiver is connected per indexed model, with no switch to turn it off:
    # disconnected for the step (a load runs alone in its process) and connected again after.
    muted = [
        model
        for model in search_index.get_indexed_models()
        if getattr(model, "search_auto_update", True)
        and post_save.disconnect(search_on_save, sender=model)
    ]
    muted_set = set(muted)

    def collect(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if kwargs.get("raw") or instance.pk is None:
            return
        key = (instance._meta.app_label, instance._meta.model_name or "", str(instance.pk))
        if sender in tracked:
            references[key] = None
        if sender in muted_set:
            searched[key] = None

    post_save.connect(collect, weak=False, dispatch_uid="sdg87-load-index-collect")
    try:
        with disable_reference_index_auto_update():
            yield
        if references or searched:
            from sdg87.core.tasks import loaded_objects_index

            loaded_objects_index.enqueue(
                references=[list(k) for k in references], search=[list(k) for k in searched]
            )
    finally:
        post_save.disconnect(dispatch_uid="sdg87-load-index-collect")
        for model in muted:
            post_save.connect(search_on_save, sender=model)


def loaded_objects_index_update(*, references: list[list[str]], search: list[list[str]]) -> int:
    """What the per-save tasks would have done, for each object a load step saved: Wagtail's
    reference index entries, then modelsearch's index entry. Objects deleted since are
    skipped. Returns the number of objects indexed."""
    from django.apps import apps
    from modelsearch import index as search_index
    from wagtail.tasks import update_reference_index_task

    done = 0
    failed: list[str] = []
    for app_label, model_name, pk in references:
        try:
            model = apps.get_model(app_label, model_name)
            if model._default_manager.filter(pk=pk).exists():
                update_reference_index_task.call(app_label, model_name, pk)
                done += 1
        except Exception:  # one object's failure must not leave the step's others unindexed
            logger.exception("reference index of %s.%s %s failed", app_label, model_name, pk)
            failed.append(f"references {app_label}.{model_name} {pk}")
    for app_label, model_name, pk in search:
        try:
            obj = apps.get_model(app_label, model_name)._default_manager.filter(pk=pk).first()
            if obj is not None:
                search_index.insert_or_update_object(obj)
                done += 1
        except Exception:
            logger.exception("search index of %s.%s %s failed", app_label, model_name, pk)
            failed.append(f"search {app_label}.{model_name} {pk}")
    if failed:
        # the task ends failed (and shows so), after indexing every object it could
        raise RuntimeError(f"{len(failed)} of {len(references) + len(search)} failed: {failed[:5]}")
    return done


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
