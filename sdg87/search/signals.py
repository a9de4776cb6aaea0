"""Keep the index in step with its sources: a save or delete of a watched model (see
sdg87.search.registry) queues a refresh of the documents it touches, once the transaction
that made the change commits (nothing is queued for a change that is rolled back).

Many-to-many links of a watched model (an Action Group's members, a roadmap action's
responsible organisations, a dataset's themes) change no row of that model: their
`m2m_changed` refreshes the linked rows of the watched side, from either side of the link.

Nothing is queued while the bundled data loads row by row (sdg87.core.loading): the load is
followed by one full rebuild (`search_reindex --if-stale`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

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


def _linked(
    kind: str,
    affected: Callable[[Any], Any],
    watched: type[Model],
    field_name: str,
    instance: Model,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """A many-to-many link of a watched model changed: refresh the watched rows linked (after
    an add or a removal; before a clear, while the links still say which)."""
    if action not in ("post_add", "post_remove", "pre_clear") or loading_in_progress():
        return
    if not reverse:
        rows: Any = [instance]
    elif action == "pre_clear":
        rows = watched._default_manager.filter(**{field_name: instance})
    else:
        rows = watched._default_manager.filter(pk__in=pk_set or ())
    try:
        ids = sorted({str(i) for row in rows for i in affected(row) if i})
    except ObjectDoesNotExist:
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
            for field in model._meta.many_to_many:
                through = getattr(field.remote_field, "through", None)
                if through is None or not through._meta.auto_created:
                    continue  # a through model of its own is saved (and watched) as a model
                linked = partial(_linked, kind, affected, model, field.name)
                m2m_changed.connect(
                    linked, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}:m2m"
                )
