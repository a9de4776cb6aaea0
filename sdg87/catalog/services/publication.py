"""What a publication writes besides the status (review.py runs it as the `publish` action):
the files it releases, the timestamps, and an immutable DatasetVersion with a per-file
summary (sha256, per-row hashes) from which 'what changed' is computed."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sdg87.catalog import uploads
from sdg87.catalog.models import Dataset, DatasetVersion
from sdg87.catalog.services.datasets import dataset_snapshot
from sdg87.catalog.services.files import local_copy
from sdg87.core.actors import Actor, signed_in_user

logger = logging.getLogger(__name__)


def publication_apply(
    *,
    dataset: Dataset,
    actor: Actor | None,
    now: datetime,
    publish_at: datetime | None = None,
    note: str = "",
    data_updated_at: datetime | None = None,
) -> DatasetVersion:
    """Release the pending files, make the dataset live (the caller saves it) and write its
    next version. The statistics of the released tidy files are imported by the task worker
    afterwards (review.py enqueues it)."""
    last = dataset.versions.order_by("-number").first()
    _release_distributions(dataset, now)
    files = _distribution_summaries(dataset)
    data_changed = last is None or [(f["id"], f["sha256"], f["url"]) for f in files] != [
        (f.get("id"), f.get("sha256"), f.get("url")) for f in last.distributions
    ]
    dataset.live = True
    if publish_at is not None:
        dataset.publish_at = publish_at
    dataset.first_published_at = dataset.first_published_at or now
    dataset.last_published_at = now
    if data_updated_at is not None:
        dataset.data_updated_at = data_updated_at
    elif data_changed or dataset.data_updated_at is None:
        dataset.data_updated_at = max(now, dataset.publish_at or now)
    version = DatasetVersion(
        dataset=dataset,
        number=(last.number + 1) if last else 1,
        author=signed_in_user(actor),
        note=note,
        metadata=dataset_snapshot(dataset),
        distributions=files,
    )
    version.full_clean()
    version.save()
    return version


def _release_distributions(dataset: Dataset, now: datetime) -> None:
    """Publish the pending files; retire the published files they replace (kept in storage
    and in the older versions' summaries, no longer listed or downloadable)."""
    working = dataset.distributions.filter(published=False, retired_at__isnull=True)
    validating = working.filter(is_valid__isnull=True).exclude(file="")
    if validating.exists():  # e.g. a data dictionary changed after approval
        raise ValidationError(
            _("Some files are still being validated: %(files)s. Try again in a moment.")
            % {"files": ", ".join(validating.values_list("title", flat=True))}
        )
    pending = list(working.values_list("pk", "replaces_id"))
    replaced = [replaces for _pk, replaces in pending if replaces is not None]
    # TODO(lead): retire stats (a retired file's observations_release stays as it is here)
    dataset.distributions.filter(pk__in=replaced, published=True).update(
        published=False, retired_at=now
    )
    dataset.distributions.filter(pk__in=[pk for pk, _r in pending]).update(published=True)


def _distribution_summaries(dataset: Dataset) -> list[dict[str, Any]]:
    out = []
    for dist in dataset.distributions.filter(published=True).order_by("position", "id"):
        summary: dict[str, Any] = {
            "id": dist.pk,
            "title": dist.title,
            "format": dist.format,
            "url": dist.url,
            "sha256": dist.sha256,
            "byte_size": dist.byte_size,
            "row_count": dist.row_count,
            "key_column": "",
            "row_hashes": None,
            # the file of the previous version this one replaced, for 'what changed'
            "replaces": dist.replaces_id,
        }
        if dist.is_tabular:
            try:
                with local_copy(dist) as path:
                    key, hashes = uploads.row_hashes(
                        uploads.iter_rows(path, dist.format), dist.primary_key
                    )
            except uploads.UploadError:
                # a file validated under older, laxer rules: publish it without a row summary
                # ('what changed' then compares it as a whole) rather than fail the version
                logger.warning("no row summary for distribution %s", dist.pk)
            else:
                summary["key_column"] = key
                summary["row_hashes"] = hashes
        out.append(summary)
    return out
