"""Tidy files as statistics: checked when validated, imported by the task worker once
published, and as visible as their dataset's data (the rules are in catalog/statistics.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.catalog import statistics, uploads
from sdg87.catalog.models import Distribution
from sdg87.catalog.services.files import local_copy
from sdg87.core.ingest import ParseError, Problems
from sdg87.indicators.models import Series, dimensions_key_for
from sdg87.indicators.services import geography_ids, geography_key, observation_row_problems

logger = logging.getLogger(__name__)


def distribution_check_observations(
    *,
    distribution: Distribution,
    path: Path | None = None,
    skip: Iterable[tuple[int | None, str | None]] = (),
) -> Problems:
    """Everything importing this tidy file as statistics would refuse, found without writing
    anything (a dry run of the import writes and rolls back, which on SQLite holds the write
    lock for the whole file): values (uploads.tidy_rows_check), then for every row that
    reads, series codes and their owner, geography and SDMX codes, duplicate keys. All counted,
    the first uploads.MAX_REPORTED_ERRORS kept; `skip` holds the (row, column) places another
    check already reported. Empty when the file maps. The import itself checks again."""
    if path is None:
        with local_copy(distribution) as local:
            return distribution_check_observations(distribution=distribution, path=local, skip=skip)
    dataset = distribution.dataset
    org = dataset.publisher
    problems = Problems(limit=uploads.MAX_REPORTED_ERRORS, skip=skip)
    # a tidy table, or SDMX data whose rows are also named by their key (SERIES/REF_AREA/...)
    rows, keys = uploads.observation_rows_check(
        path,
        distribution.format,
        default_series=statistics.default_series(dataset),
        problems=problems,
        max_rows=settings.SDG87_UPLOAD_MAX_ROWS,
    )
    geo_ids = geography_ids()
    first_row: dict[str, int | None] = {}
    seen: set[tuple[str, str, int, str, str, str]] = set()
    for row, label in zip(rows, keys, strict=True):

        def named(message: str, label: str = label) -> str:
            return (
                _("%(key)s: %(problem)s") % {"key": label, "problem": message} if label else message
            )

        try:
            code = statistics.series_code(org, row.series, row=row.line)
        except ParseError as exc:
            problems.add(named(exc.message), row=exc.row, column=exc.column)
            continue
        first_row.setdefault(code, row.line)
        geo = geography_key(row.geo)
        for found in observation_row_problems(row, geo_ids=geo_ids):
            problems.add(named(found.message), row=found.row, column=found.column)
        key = (code, geo, row.year, row.sex, row.age, dimensions_key_for(row.dimensions))
        if key in seen:
            problems.add(
                named(_("duplicate observation for the same key")), row=row.line, column=None
            )
        seen.add(key)
    foreign = Series.objects.filter(code__in=list(first_row)).exclude(owner_id=org.pk)
    for code in foreign.values_list("code", flat=True):
        problems.add(
            _("series '%(code)s' belongs to another source") % {"code": code},
            row=first_row[code],
            column="series",
        )
    release = distribution.observations_release
    if release is not None and release.source.code != statistics.source_code(org):
        problems.add(
            _("These statistics belong to another source; nothing was imported."),
            row=None,
            column=None,
        )
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
        # every problem first (the import would stop at the first one), then the import
        checked = distribution_check_observations(distribution=dist)
        problems = checked.kept or statistics.distribution_import(distribution=dist)
        if problems:
            logger.warning("statistics of distribution %s not imported: %s", dist.pk, problems[0])
            report = {
                **dist.validation_report,
                statistics.IMPORT_ERRORS: problems,
                statistics.IMPORT_ERROR_COUNT: checked.total or len(problems),
            }
            Distribution.objects.filter(pk=dist.pk).update(validation_report=report)
            return False
        statistics.dataset_statistics_sync(dataset=dist.dataset)
    return True
