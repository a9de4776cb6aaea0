"""Writes of the OAI-PMH repository: the persistent record of a hard deletion.

A publication or dataset that is unpublished, withdrawn, made organisation-only or marked
unverified stays in the database and the repository reports it deleted by itself (see
selectors.py). Only a row removed from the database needs a `DeletedRecord`: the service that
deletes it calls `deleted_record_write` in the same transaction, before the delete, with the
identifier and sets the record had:

    deleted_record_write_for(item=publication)   # or a dataset
    publication.delete()
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sdg87.catalog.models import Dataset
from sdg87.library.models import DeletedRecord, Publication
from sdg87.library.oai import selectors


@transaction.atomic
def deleted_record_write(
    *, identifier: str, sets: Sequence[str], now: datetime | None = None
) -> DeletedRecord:
    """Remember that `identifier` is deleted (from now on, for ever). Writing it again moves
    its datestamp to now, so harvesters see the deletion again."""
    record = DeletedRecord.objects.select_for_update().filter(
        identifier=identifier
    ).first() or DeletedRecord(identifier=identifier)
    record.datestamp = now or timezone.now()
    record.sets = sorted(set(sets))
    record.full_clean()
    record.save()
    return record


def deleted_record_write_for(
    *, item: Publication | Dataset, now: datetime | None = None
) -> DeletedRecord | None:
    """The DeletedRecord of a publication or dataset about to be deleted from the database,
    if harvesters may have seen it (it was public once); None otherwise."""
    if item.first_published_at is None:
        return None
    path = selectors.PUBLICATION if isinstance(item, Publication) else selectors.DATASET_PATH
    return deleted_record_write(
        identifier=selectors.oai_identifier(path, item.slug),
        sets=selectors.record_set_specs(item),
        now=now,
    )
