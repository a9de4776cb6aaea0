"""Rows that loaders create and editors correct (ADR 0007): the editor's changes are
remembered, so that a later data load never silently undoes them.

`EditorOwnedMixin` gives a model `EDITOR_FIELDS` (what an editor may change) and
`edited_fields` (what an editor did change). Services write editors' changes with
`editor_update` and pass the loaders' values through `unedited` before writing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django.db import models

from sdg87.core.cache import data_version_bump


class EditorOwnedMixin(models.Model):
    """Metadata that the loaders create and editors may correct (see each app's
    wagtail_hooks.py). `EDITOR_FIELDS` may be changed by an editor, only through a service
    that calls `editor_update`; `edited_fields` lists those an editor has changed, which the
    loaders' upserts never overwrite again."""

    EDITOR_FIELDS: ClassVar[tuple[str, ...]] = ()

    edited_fields = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Fields an editor changed: data loads keep the editor's value",
    )

    class Meta:
        abstract = True


def unedited(
    model: type[EditorOwnedMixin], lookup: Mapping[str, object], values: Mapping[str, object]
) -> dict[str, object]:
    """`values` without the fields an editor changed on the existing row found by `lookup`
    (all of them when there is no such row)."""
    edited = model._default_manager.filter(**lookup).values_list("edited_fields", flat=True)
    keep = set(edited.first() or [])
    return {name: value for name, value in values.items() if name not in keep}


def editor_update[M: EditorOwnedMixin](
    model: type[M], pk: int, changes: Mapping[str, object]
) -> tuple[M, set[str]]:
    """Apply an editor's `changes` to the row `pk` (locked; call inside a transaction),
    remember the changed fields in `edited_fields` and bump the data version on commit.
    Fields outside `EDITOR_FIELDS` are refused with ValueError: keys and the loaders' own
    fields are code-owned. Returns the row and the names of the fields that changed."""
    refused = set(changes) - set(model.EDITOR_FIELDS)
    if refused:
        raise ValueError(f"{model.__name__} fields not editable: {', '.join(sorted(refused))}")
    instance = model._default_manager.select_for_update().get(pk=pk)
    changed = {name for name, value in changes.items() if getattr(instance, name) != value}
    if not changed:
        return instance, changed
    for name in changed:
        setattr(instance, name, changes[name])
    instance.edited_fields = sorted(set(instance.edited_fields) | changed)
    instance.full_clean()
    instance.save(update_fields=[*changed, "edited_fields"])
    data_version_bump()
    return instance, changed
