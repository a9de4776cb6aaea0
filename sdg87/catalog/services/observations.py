"""Tidy files as statistics: checked when validated, imported by the task worker once
published, and as visible as their dataset's data (the rules are in catalog/statistics.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.catalog import statistics, uploads
from sdg87.catalog.models import Distribution
from sdg87.catalog.services.files import local_copy
from sdg87.core.ingest import ParseError
from sdg87.indicators.models import Series
from sdg87.indicators.services import geography_ids, geography_key, observation_row_problems

logger = logging.getLogger(__name__)


def distribution_check_observations(
    *, distribution: Distribution, path: Path | None = None
) -> list[dict[str, Any]]:
    """What importing this tidy file as statistics would refuse, found without writing
    anything (a dry run of the import writes and rolls back, which on SQLite holds the write
    lock for the whole file): values (uploads.check_tidy_rows), series codes and their owner,
    geography and SDMX codes, duplicate keys. Problems as {row, column, type, message}, at most
    uploads.MAX_REPORTED_ERRORS; empty when the file maps. The import itself checks again."""
    if path is None:
        with local_copy(distribution) as local:
            return distribution_check_observations(distribution=distribution, path=local)
    dataset = distribution.dataset
    org = dataset.publisher
    rows, problems = uploads.check_tidy_rows(
        uploads.iter_rows(path, distribution.format, max_rows=settings.SDG87_UPLOAD_MAX_ROWS),
        default_series=statistics.default_series(dataset),
    )
    if problems:
        return problems

    def problem(message: str, row: int | None, column: str | None) -> None:
        problems.append({"row": row, "column": column, "type": "mapping-error", "message": message})

    geo_ids = geography_ids()
    first_row: dict[str, int | None] = {}
    seen: set[tuple[str, str, int, str, str]] = set()
    for row in rows:
        if len(problems) >= uploads.MAX_REPORTED_ERRORS:
            return problems
        try:
            code = statistics.series_code(org, row.series, row=row.line)
        except ParseError as exc:
            problem(exc.message, exc.row, exc.column)
            continue
        first_row.setdefault(code, row.line)
        geo = geography_key(row.geo)
        for found in observation_row_problems(row, geo_ids=geo_ids):
            problem(found.message, found.row, found.column)
        key = (code, geo, row.year, row.sex, row.age)
        if key in seen:
            problem(_("duplicate observation for the same key"), row.line, None)
        seen.add(key)
    foreign = Series.objects.filter(code__in=list(first_row)).exclude(owner_id=org.pk)
    for code in foreign.values_list("code", flat=True):
        problem(
            _("series '%(code)s' belongs to another source") % {"code": code},
            first_row[code],
            "series",
        )
    release = distribution.observations_release
    if release is not None and release.source.code != statistics.source_code(org):
        problem(_("These statistics belong to another source; nothing was imported."), None, None)
    return problems


def distribution_statistics_import(*, distribution_id: int) -> bool:
    """Import a published tidy file's statistics (system action: the task worker runs it after
    the publication, so the request neither waits for it nor holds the database meanwhile).
    All or nothing; then the dataset's statistics are made as visible as its data.

    Idempotent: a file already imported, removed, retired or no longer published is left
    alone. If the file no longer maps (e.g. a series code taken by another source since it was
    validated), nothing is imported and the problems are kept in its report under
    statistics.IMPORT_ERRORS (the dataset's page shows them to its editors; a corrected file
    and a new publication import it). Returns whether statistics were imported."""
    with transaction.atomic():
        dist = (
            statistics.distributions_importing()
            .select_for_update()
            .select_related("dataset__publisher")
            .filter(pk=distribution_id)
            .first()
        )
        if dist is None:
            return False
        problems = statistics.distribution_import(distribution=dist)
        if problems:
            logger.warning("statistics of distribution %s not imported: %s", dist.pk, problems[0])
            report = {**dist.validation_report, statistics.IMPORT_ERRORS: problems}
            Distribution.objects.filter(pk=dist.pk).update(validation_report=report)
            return False
        statistics.dataset_statistics_sync(dataset=dist.dataset)
    return True
