"""Editions: a dataset superseded by a newer edition of the same report or data.

A superseded dataset stays published (people cite it, and its figures are the record of what
was known then) but is marked "Superseded by <newer edition>" and never counted as due,
overdue or delinquent (catalog/freshness.py). Two writers:

- editors, through `dataset_supersede` (the Wagtail dataset form's "superseded by" field):
  the same permission as any metadata edit, validated (no loops), audited;
- the bundled-data loader, through `datasets_editions_link` (a system action): the older
  editions of each bundled report point at its newest edition (catalog/loaders.py decides which
  releases are editions of one report).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.catalog import permissions
from sdg87.catalog.models import AuditAction, Dataset
from sdg87.catalog.services.audit import audit_write
from sdg87.core.actors import Actor
from sdg87.core.cache import data_version_bump


@transaction.atomic
def dataset_supersede(*, actor: Actor, dataset: Dataset, superseded_by: Dataset | None) -> Dataset:
    """Mark `dataset` as superseded by `superseded_by` (None: not superseded). Refuses a loop
    (ValidationError on `superseded_by`); writes an audit entry when it changes."""
    if not permissions.can_edit_dataset(actor, dataset):
        raise PermissionDenied(_("You cannot edit this dataset."))
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    new_id = superseded_by.pk if superseded_by is not None else None
    if dataset.superseded_by_id == new_id:
        return dataset
    dataset.superseded_by = superseded_by
    dataset.full_clean()
    dataset.save(update_fields=["superseded_by", "last_modified"])
    audit_write(
        dataset=dataset,
        action=AuditAction.EDIT,
        actor=actor,
        from_status=dataset.status,
        message="superseded_by: " + (superseded_by.slug if superseded_by else "-"),
    )
    return dataset


@transaction.atomic
def datasets_editions_link(*, editions: Sequence[Dataset]) -> int:
    """System action for bundled data: `editions` are one report's datasets, oldest first;
    every older edition is marked superseded by the newest. The newest is left as it is (an
    editor may have marked it). Returns how many datasets changed."""
    if len(editions) < 2:
        return 0
    newest = editions[-1]
    changed = 0
    for older in editions[:-1]:
        if older.superseded_by_id != newest.pk:
            older.superseded_by = newest
            older.full_clean()
            older.save(update_fields=["superseded_by", "last_modified"])
            changed += 1
    if changed:
        data_version_bump()
    return changed
