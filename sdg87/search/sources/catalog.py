"""Datasets in the index: title, description, keywords, identifier, publisher, and the
column names of their published tables, so "hazardous work hours" finds a dataset with such
a column. Facets: theme, place, organisation, language, format, licence ("freshness" is
computed when searching, from the catalog's own rule, because it changes with time).

Visibility follows the catalog: `dataset_public_queryset` (evaluated as of the far future,
so a scheduled dataset is indexed with `visible_from` = its publication time and appears
then, without a reindex); an organisation-only dataset is indexed for its publisher's
members only; a dataset that is not live is not in the index.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.models import Dataset, Distribution, Visibility
from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.search.registry import DocumentData, Source, Text

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def _rows(ids: list[int] | None = None) -> list[Dataset]:
    qs = (
        Dataset.objects.filter(live=True)
        .select_related("publisher")
        .prefetch_related("themes", "spatial", "keywords", "distributions")  # type: ignore[misc]
    )
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    rows = list(qs)
    public = set(
        dataset_public_queryset(now=FAR_FUTURE)
        .filter(pk__in=[d.pk for d in rows])
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.search_public = row.pk in public  # type: ignore[attr-defined]
    return rows


def datasets() -> list[Dataset]:
    return _rows()


def dataset_get(object_id: str) -> Dataset | None:
    if not object_id.isdigit():
        return None
    rows = _rows([int(object_id)])
    return rows[0] if rows else None


def _columns(dist: Distribution) -> list[str]:
    names = [str(c.get("name", "")) for c in dist.data_dictionary or [] if isinstance(c, dict)]
    header = (dist.preview or {}).get("header") if isinstance(dist.preview, dict) else None
    return names + [str(h) for h in header or []]


def build_dataset(row: Dataset) -> DocumentData | None:
    public = bool(getattr(row, "search_public", False))
    if not public and row.visibility != Visibility.ORGANISATION:
        return None
    with translation.override("en"):
        path = row.get_absolute_url()
    distributions = [d for d in row.distributions.all() if d.published and not d.retired_at]
    publisher = row.publisher
    updated = row.data_updated_at or row.last_published_at or row.created_at
    year = row.temporal_end.year if row.temporal_end else None
    return DocumentData(
        kind="dataset",
        object_id=str(row.pk),
        heading=row.title,
        path=path,
        summary=strip_tags(row.description)[:600],
        language=row.language or "en",
        date=updated.date() if updated else None,
        year=year,
        meta=[m for m in (publisher.name, str(year) if year else "") if m],
        public=public,
        visible_from=row.publish_at,
        audience_org_id=None if public else row.publisher_id,
        texts=[
            Text(row.title, row.language or "en", "title"),
            Text(strip_tags(row.description), row.language or "en"),
            Text(" ".join(k.name for k in row.keywords.all()), "en"),
            Text(f"{row.identifier} {row.slug}", "en"),
            Text(f"{publisher.name} {publisher.acronym}", "en"),
            *(Text(f"{d.title} {' '.join(_columns(d))}", "en") for d in distributions),
        ],
        facets={
            "theme": [t.code for t in row.themes.all()],
            "place": [g.iso3 or g.code for g in row.spatial.all()],
            "organisation": [publisher.slug],
            "language": [row.language or "en"],
            "resource_type": ["dataset"],
            "format": sorted({d.format.upper() for d in distributions if d.format}),
            "licence": [row.licence] if row.licence else [],
        },
        boost=1.2,
    )


def _dataset_of(dist: Any) -> list[str]:
    return [str(dist.dataset_id)]


SOURCES = [
    Source(
        kind="dataset",
        label=_("Datasets"),
        rows=datasets,
        build=build_dataset,
        get=dataset_get,
        watches=((Dataset, lambda d: [str(d.pk)]), (Distribution, _dataset_of)),
    )
]
