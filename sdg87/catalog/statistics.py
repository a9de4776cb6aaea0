"""Statistics imported from the data directory: tidy files of a dataset become observations of
the publishing organisation's own source, release and series, and follow their dataset.

The rules (docs/adr/0006-statistics-follow-their-dataset.md):

- Keys are stable ids, never cut text: the organisation's source is `org-<organisation id>`, a
  file's release is `upload-<distribution id>`, a series is `ORG<organisation id>__<CODE>`
  (a code that does not fit is an error naming its row and column, never truncated). An import
  never moves or writes into a release or series that belongs to anybody else.
- A publication hands the import of its tidy files to the task worker
  (`services.observations.distribution_statistics_import`); until it is done the dataset's
  page says the statistics are being imported.
- A file's statistics are public exactly while its data is: the dataset is live, past
  `publish_at` and `embargo_until`, of public visibility, the file is published, and an editor
  has not retracted them. `dataset_statistics_sync` applies that rule; the services call it
  after every change of those facts, and a deferred task calls it when a schedule or an
  embargo ends.

These functions are called by the `sdg87.catalog.services` modules (which check permission
and audit); they check nothing themselves.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sdg87.catalog import permissions, uploads
from sdg87.catalog.models import Dataset, Distribution, Visibility
from sdg87.catalog.services.files import local_copy
from sdg87.core.ingest import ParseError
from sdg87.indicators.models import Release, Series
from sdg87.indicators.services import (
    OwnershipError,
    observations_import,
    release_upsert,
    releases_set_public,
    source_upsert,
)
from sdg87.orgs.models import Organisation

logger = logging.getLogger(__name__)

SERIES_CODE_MAX = 64
# A published file's import problems are kept under this key of its validation report.
IMPORT_ERRORS = "statistics_errors"
IMPORT_ERROR_COUNT = "statistics_error_count"  # all of them; IMPORT_ERRORS keeps the first
_CODE_RE = re.compile(r"^[A-Z0-9_]+$")


def series_prefix(organisation: Organisation) -> str:
    return f"ORG{organisation.pk}__"


def source_code(organisation: Organisation) -> str:
    return f"org-{organisation.pk}"


def release_code(distribution: Distribution) -> str:
    return f"upload-{distribution.pk}" if distribution.pk else "upload-new"


def series_code(organisation: Organisation, code: str, *, row: int | None) -> str:
    """The platform code of an organisation's series `code`; ParseError if it cannot be one."""
    local = code.strip().upper().replace("-", "_").replace(" ", "_")
    prefix = series_prefix(organisation)
    if local.startswith(prefix):
        local = local[len(prefix) :]
    if not local or not _CODE_RE.match(local):
        raise ParseError(
            _("series code '%(code)s' may hold only letters, digits, '-' and '_'")
            % {"code": code[:80]},
            row=row,
            column="series",
        )
    full = prefix + local
    if len(full) > SERIES_CODE_MAX:
        raise ParseError(
            _("series code '%(code)s' is too long: at most %(n)s characters")
            % {"code": code[:80], "n": SERIES_CODE_MAX - len(prefix)},
            row=row,
            column="series",
        )
    return full


def default_series(dataset: Dataset) -> str:
    """The series of rows without a `series` column: the dataset's name if it fits, else its
    id (stable either way: a dataset's name cannot change once it has statistics)."""
    local = dataset.slug.upper().replace("-", "_")
    room = SERIES_CODE_MAX - len(series_prefix(dataset.publisher))
    return local if len(local) <= room else f"DATASET_{dataset.pk}"


def distribution_import(*, distribution: Distribution, dry_run: bool = False) -> list[dict]:
    """Map a tidy file onto observations in the publisher's own source, release and series,
    all or nothing. Returns the problems (row, column, message), empty on success. A new
    release starts hidden; `dataset_statistics_sync` decides when it is public. `dry_run`
    rolls everything back."""
    dataset = distribution.dataset
    org = dataset.publisher
    try:
        with transaction.atomic():
            with local_copy(distribution) as path:
                rows = uploads.parse_observation_rows(
                    path, distribution.format, default_series=default_series(dataset)
                )
            mapped = []
            series_units: dict[str, str] = {}
            for row in rows:
                code = series_code(org, row.series, row=row.line)
                series_units.setdefault(code, row.unit)
                mapped.append(row.__class__(**{**row.__dict__, "series": code}))
            _series_for(org=org, dataset=dataset, units=series_units)
            source = source_upsert(
                code=source_code(org),
                title=_("Data published by %(org)s") % {"org": org.name},
                publisher=org.name,
                licence=dataset.licence,
                url=org.website,
            )
            existing = distribution.observations_release
            if existing is not None and existing.source_id != source.pk:
                raise OwnershipError(f"release '{existing.code}' belongs to another source")
            release = release_upsert(
                source=source,
                code=existing.code if existing is not None else release_code(distribution),
                title=f"{dataset.title}: {distribution.title}"[:300],
                year=timezone.now().year,
                citation=f"{org.name}. {dataset.title}.",
                provenance=_("Uploaded to the platform as %(file)s (sha256 %(sha)s).")
                % {"file": distribution.original_filename, "sha": distribution.sha256},
                is_public=False,
            )
            observations_import(release=release, rows=mapped, series_owner=org)
            if dry_run:
                raise _DryRun
            dataset.related_series.add(*Series.objects.filter(code__in=list(series_units)))
            if distribution.pk:
                Distribution.objects.filter(pk=distribution.pk).update(observations_release=release)
            distribution.observations_release = release
    except _DryRun:
        return []
    except ParseError as exc:
        return [
            {"row": exc.row, "column": exc.column, "type": "mapping-error", "message": exc.message}
        ]
    except OwnershipError as exc:
        logger.warning("refused import of distribution %s: %s", distribution.pk, exc)
        return [
            {
                "row": None,
                "column": None,
                "type": "ownership-error",
                "message": _("These statistics belong to another source; nothing was imported."),
            }
        ]
    return []


def distributions_importing(*, dataset: Dataset | None = None) -> QuerySet[Distribution]:
    """Published tidy files whose statistics the task worker has yet to import (a publication
    hands the import to the worker), all or one dataset's. A file whose import failed is not
    among them (its problems are in its report under IMPORT_ERRORS)."""
    files = Distribution.objects.all() if dataset is None else dataset.distributions.all()
    return (
        files.filter(
            map_to_observations=True,
            published=True,
            retired_at__isnull=True,
            observations_release=None,
        )
        .exclude(is_valid=False)
        .exclude(validation_report__has_key=IMPORT_ERRORS)
    )


def import_problems(dataset: Dataset) -> list[str]:
    """One line per published file of the dataset whose statistics could not be imported."""
    failed = dataset.distributions.filter(
        published=True, retired_at__isnull=True, validation_report__has_key=IMPORT_ERRORS
    )
    lines = []
    for dist in failed.order_by("position", "id"):
        errors = dist.validation_report[IMPORT_ERRORS] or [{}]
        first = errors[0]
        line = _(
            "%(file)s cannot be imported as statistics (row %(row)s, column %(column)s): "
            "%(message)s"
        ) % {
            "file": dist.title,
            "row": first.get("row") or "-",
            "column": first.get("column") or "-",
            "message": first.get("message"),
        }
        more = int(dist.validation_report.get(IMPORT_ERROR_COUNT) or len(errors)) - 1
        if more > 0:
            line += " " + ngettext(
                "(and %(n)s more problem: see the file's page)",
                "(and %(n)s more problems: see the file's page)",
                more,
            ) % {"n": more}
        lines.append(line)
    return lines


def _series_for(*, org: Organisation, dataset: Dataset, units: dict[str, str]) -> None:
    """Create the organisation's missing series; refuse codes owned by anybody else."""
    owners = dict(Series.objects.filter(code__in=list(units)).values_list("code", "owner_id"))
    for code, unit in units.items():
        if code in owners:
            if owners[code] != org.pk:
                raise OwnershipError(f"series '{code}' belongs to another owner")
            continue
        series = Series(code=code, name=f"{dataset.title} ({code})"[:400], unit=unit, owner=org)
        series.full_clean()
        series.save()


class _DryRun(Exception):
    pass


# --- visibility ---------------------------------------------------------------------------


def statistics_public(
    dataset: Dataset, distribution: Distribution, release: Release, now: datetime
) -> bool:
    """Are this file's statistics public at `now`? The same rule as the file itself
    (permissions.can_view_data for an anonymous visitor: quarantine included), plus
    retraction."""
    return (
        permissions.is_publicly_live(dataset, now)
        and not dataset.quarantined
        and dataset.visibility == Visibility.PUBLIC
        and not permissions.is_embargoed(dataset, now)
        and distribution.published
        and release.retracted_at is None
    )


def dataset_statistics_sync(*, dataset: Dataset, now: datetime | None = None) -> int:
    """Show or hide every imported release of the dataset by the rule above, and schedule the
    next check if the dataset waits for `publish_at` or `embargo_until`. Returns how many
    releases changed. Idempotent."""
    now = now or timezone.now()
    dataset = Dataset.objects.get(pk=dataset.pk)
    show: list[Release] = []
    hide: list[Release] = []
    for dist in dataset.distributions.exclude(observations_release=None).select_related(
        "observations_release"
    ):
        release = dist.observations_release
        assert release is not None
        (show if statistics_public(dataset, dist, release, now) else hide).append(release)
    changed = releases_set_public(releases=hide, public=False)
    changed += releases_set_public(releases=show, public=True)
    _schedule_next(dataset, now)
    return changed


def release_hide(*, release: Release) -> None:
    """Hide one release now (its file is removed or retired)."""
    releases_set_public(releases=[release], public=False)


def next_change_at(dataset: Dataset, now: datetime) -> datetime | None:
    """When the dataset's statistics may next become public by themselves, if ever."""
    if not dataset.live:
        return None
    waits = [t for t in (dataset.publish_at, dataset.embargo_until) if t is not None and t > now]
    return max(waits) if waits else None


def _schedule_next(dataset: Dataset, now: datetime) -> None:
    when = next_change_at(dataset, now)
    if when is None:
        return
    from sdg87.catalog.tasks import dataset_statistics_sync_task

    def enqueue() -> None:
        task = dataset_statistics_sync_task
        if task.get_backend().supports_defer:
            task.using(run_after=when).enqueue(dataset.pk)
        else:  # e.g. the immediate backend of the tests: `manage.py statistics_sync` sweeps
            logger.info("backend cannot defer; statistics of %s wait for a sweep", dataset.slug)

    transaction.on_commit(enqueue)


def statistics_sync_all(*, now: datetime | None = None) -> int:
    """Apply the rule to every dataset with imported statistics (the periodic sweep)."""
    now = now or timezone.now()
    changed = 0
    ids = (
        Distribution.objects.exclude(observations_release=None)
        .values_list("dataset_id", flat=True)
        .distinct()
    )
    for dataset in Dataset.objects.filter(pk__in=list(ids)):
        with transaction.atomic():
            changed += dataset_statistics_sync(dataset=dataset, now=now)
    return changed
