"""The changed rows of the files of two dataset versions (a read for the 'what changed' page).

The versions keep only a hash per row; the rows themselves are read from the two files, which
stay in storage after they are replaced (retired). The comparison (diff.row_diff) is cached by
the two files' checksums: versions never change, so neither does their comparison.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

from sdg87.catalog import diff, uploads
from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services.files import local_copy

logger = logging.getLogger(__name__)
CACHE_VERSION = 1


def version_rows_attach(*, dataset: Dataset, version_diff: diff.VersionDiff) -> None:
    """Give each changed tabular file of `version_diff` its changed rows (FileChange.rows),
    where both files can still be read. The caller checks that the user may see the data."""
    for change in version_diff.files:
        if change.status != "changed" or change.old_id is None or change.new_id is None:
            continue
        if not change.old_sha256 or not change.new_sha256:
            continue  # links, not files
        rows = file_rows_diff(dataset=dataset, old_id=change.old_id, new_id=change.new_id)
        if rows is not None:
            change.show_rows(rows)


def file_rows_diff(*, dataset: Dataset, old_id: int, new_id: int) -> diff.RowDiff | None:
    files = {d.pk: d for d in dataset.distributions.filter(pk__in=[old_id, new_id])}
    old, new = files.get(old_id), files.get(new_id)
    if old is None or new is None or not (old.is_tabular and new.is_tabular):
        return None
    parts = (old.sha256, new.sha256, new.primary_key, str(new.map_to_observations))
    key = f"catalog:rows:{CACHE_VERSION}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        result = _compare(old, new)
    except (uploads.UploadError, OSError, ValueError):
        logger.warning("rows of distributions %s and %s not compared", old_id, new_id)
        return None
    cache.set(key, result, timeout=None)
    return result


def _compare(old: Distribution, new: Distribution) -> diff.RowDiff:
    with local_copy(old) as old_path, local_copy(new) as new_path:
        header = next(uploads.iter_rows(new_path, new.format), [])
        old_header = next(uploads.iter_rows(old_path, old.format), [])
        # a tidy table by its dimensions, unless the contributor chose a key column for a
        # table that is not imported as statistics; else the first column
        chosen = new.primary_key if not new.map_to_observations else ""
        keys = [] if chosen else diff.tidy_key_columns(header)
        if not keys:
            keys = [chosen or (header[0] if header else "")]
        keys = [k for k in keys if k and k in header and k in old_header]
        return diff.row_diff(
            uploads.iter_rows(old_path, old.format),
            uploads.iter_rows(new_path, new.format),
            key_columns=keys,
        )
