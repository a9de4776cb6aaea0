"""Keep the index in step with its sources: a save or delete of a watched model (see
sdg87.search.registry) queues a refresh of the documents it touches, once the transaction
that made the change commits (nothing is queued for a change that is rolled back).

Nothing is queued while the bundled data loads row by row (sdg87.core.loading): the load is
followed by one full rebuild (`search_reindex --if-stale`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from sdg87.core.loading import loading_in_progress
from sdg87.search.registry import sources


def _queue(kind: str, ids: list[str]) -> None:
    from sdg87.search.tasks import documents_refresh_task

    documents_refresh_task.enqueue(kind, ids)


def _changed(kind: str, affected: Callable[[Any], Any], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or loading_in_progress():
        return
    try:
        ids = sorted({str(i) for i in affected(instance) if i})
    except ObjectDoesNotExist:  # a half-deleted row: its related rows are gone
        return
    if ids:
        transaction.on_commit(partial(_queue, kind, ids))


def connect() -> None:
    for kind, source in sources().items():
        for model, affected in source.watches:
            handler = partial(_changed, kind, affected)
            uid = f"search:{kind}:{model._meta.label}"
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=uid + ":save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=uid + ":delete")
