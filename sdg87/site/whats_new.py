"""Reads for the home page's "What's new": the newest public datasets, publications and
statistics releases, each with its date.

Datasets come from the catalogue's own public search (`catalog.selectors.dataset_search` as an
anonymous visitor: live, past `publish_at`, not organisation-only), narrowed to the ones whose
data anyone may download now: public visibility and no running embargo
(`catalog.permissions.can_view_data` for an anonymous visitor). A home page that advertises a
dataset must not tease data that is held back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Q
from django.utils import timezone

from sdg87.catalog import selectors as catalog_selectors
from sdg87.catalog.models import Dataset, Visibility
from sdg87.indicators.models import Release, release_newest_first
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset


@dataclass(frozen=True)
class NewDataset:
    dataset: Dataset
    updated: date  # when its data was last updated: a release's date, else its publication
    # A bundled release known by its year only is dated 31 December of that year in the
    # catalogue: show the year, not a day nobody published on.
    year_only: bool = False


def latest_datasets(*, limit: int = 5, now: datetime | None = None) -> list[NewDataset]:
    """The public datasets whose data was updated most recently, newest first."""
    now = now or timezone.now()
    result = catalog_selectors.dataset_search(user=None, sort="updated", facets=False, now=now)
    rows = (
        result.datasets.filter(visibility=Visibility.PUBLIC)
        .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
        .select_related("release")[:limit]
    )
    # `data_freshness_date` is the annotation the catalogue's "updated" order sorts on.
    return [
        NewDataset(
            dataset=d,
            updated=timezone.localdate(d.data_freshness_date),  # type: ignore[attr-defined]
            year_only=d.release is not None and d.release.released_on is None,
        )
        for d in rows
    ]


def latest_publications(*, limit: int = 5, now: datetime | None = None) -> list[Publication]:
    """The publications most recently added to the library (public ones only:
    `publication_public_queryset`); those added on the same day newest first by their own
    date, then by title."""
    return list(
        publication_public_queryset(now=now)
        .select_related("publisher")
        .order_by(
            F("first_published_at__date").desc(nulls_last=True),
            F("year").desc(nulls_last=True),
            "title",
            "id",
        )[:limit]
    )


def latest_releases(*, limit: int = 5, exclude_ids: set[int] | None = None) -> list[Release]:
    """The newest public, unretracted statistics releases in the one release order (year,
    then date, then id: `indicators.models.release_rank`), leaving out `exclude_ids`
    (releases already shown as datasets)."""
    qs = (
        Release.objects.public()
        .filter(retracted_at__isnull=True)
        .exclude(pk__in=exclude_ids or set())
        .select_related("source")
        .order_by(*release_newest_first())
    )
    return list(qs[:limit])
