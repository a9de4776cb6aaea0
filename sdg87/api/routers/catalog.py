"""REST API v1: `datasets` and `datasets/{slug}`. Visibility follows catalog.permissions through the
same selectors as the pages (a signed-in session sees what its roles allow)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.catalog import permissions, selectors
from sdg87.catalog.models import Dataset, Distribution

router = Router(tags=["datasets"])
MAX_LIMIT = 100


class OrganisationRef(Schema):
    slug: str
    name: str
    acronym: str
    type: str


class DistributionOut(Schema):
    id: int
    title: str
    description: str
    format: str
    media_type: str
    byte_size: int | None
    sha256: str
    download_url: str | None
    row_count: int | None
    data_dictionary: list[dict[str, Any]]


class DatasetSummary(Schema):
    slug: str
    title: str
    publisher: OrganisationRef
    licence: str
    themes: list[str]
    frequency: str
    freshness: str
    visibility: str
    status: str
    live: bool
    last_modified: datetime
    data_updated_at: datetime | None
    url: str
    api_url: str


class DatasetDetail(DatasetSummary):
    description: str
    contact_name: str
    contact_email: str
    keywords: list[str]
    spatial: list[str]
    temporal_start: date | None
    temporal_end: date | None
    language: str
    identifier: str
    related_publications: list[str]
    related_series: list[str]
    publish_at: datetime | None
    embargo_until: datetime | None
    data_access: bool
    distributions: list[DistributionOut]
    versions: list[dict[str, Any]]


class DatasetPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[DatasetSummary]


class DatasetFilters(Schema):
    q: str = ""
    organisation: list[str] = []
    theme: list[str] = []
    country: list[str] = []
    format: list[str] = []
    licence: list[str] = []
    freshness: list[str] = []
    sort: str = selectors.DEFAULT_SORT
    offset: int = 0
    limit: int = 50


def _summary(request: HttpRequest, d: Dataset, freshness: str) -> dict[str, Any]:
    return {
        "slug": d.slug,
        "title": d.title,
        "publisher": {
            "slug": d.publisher.slug,
            "name": d.publisher.name,
            "acronym": d.publisher.acronym,
            "type": d.publisher.type,
        },
        "licence": d.licence,
        "themes": [t.code for t in d.themes.all()],
        "frequency": d.frequency,
        "freshness": freshness,
        "visibility": d.visibility,
        # the public sees a live dataset as published while a revision is under way
        "status": selectors.dataset_status_for(user=request.user, dataset=d),
        "live": d.live,
        "last_modified": d.last_modified,
        "data_updated_at": d.data_updated_at,
        "url": request.build_absolute_uri(d.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            reverse("api-v1:dataset_detail", kwargs={"slug": d.slug})
        ),
    }


# Beyond a database integer the slice would overflow in SQL.
MAX_OFFSET = 2**31 - 1


def _page_url(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/datasets",
    operation_id="sdg87_catalog_api_dataset_list",
    response={200: DatasetPage, **ERROR_RESPONSES},
    url_name="dataset_list",
    summary="Search datasets",
)
def dataset_list(request: HttpRequest, filters: Query[DatasetFilters]) -> Any:
    """Datasets the caller may see, with the same filters as the /datasets/ page; `next` and
    `previous` link the pages (no row cap)."""
    if filters.limit < 1 or filters.limit > MAX_LIMIT:
        raise ApiError(
            status=400,
            code="invalid_limit",
            message=_("limit must be between 1 and %(max)s") % {"max": MAX_LIMIT},
            parameter="limit",
        )
    if not 0 <= filters.offset <= MAX_OFFSET:
        raise ApiError(
            status=400,
            code="invalid_offset",
            message=_("offset must be from 0 to %(max)s") % {"max": MAX_OFFSET},
            parameter="offset",
        )
    if filters.sort not in selectors.SORTS:
        raise ApiError(
            status=400,
            code="invalid_sort",
            message=_("sort must be one of: %(values)s") % {"values": ", ".join(selectors.SORTS)},
            parameter="sort",
        )
    try:
        result = selectors.dataset_search(
            user=request.user,
            q=filters.q,
            organisation=filters.organisation,
            theme=filters.theme,
            country=filters.country,
            format=filters.format,
            licence=filters.licence,
            freshness=filters.freshness,
            sort=filters.sort,
            facets=False,
        )
    except ValidationError as exc:  # q beyond the search bounds (characters, words)
        raise ApiError(
            status=422, code="invalid_parameter", message=exc.messages[0], parameter="q"
        ) from exc
    page = list(result.datasets[filters.offset : filters.offset + filters.limit])
    end = filters.offset + len(page)
    return {
        "count": result.count,
        "next": _page_url(request, end) if end < result.count else None,
        "previous": _page_url(request, max(filters.offset - filters.limit, 0))
        if filters.offset > 0
        else None,
        "results": [_summary(request, d, d.freshness) for d in page],  # type: ignore[attr-defined]
    }


def _distribution(request: HttpRequest, dataset: Dataset, d: Distribution, data: bool) -> Any:
    download = None
    if data:
        download = (
            request.build_absolute_uri(d.url)
            if d.url
            else request.build_absolute_uri(
                reverse("catalog:distribution_download", kwargs={"slug": dataset.slug, "pk": d.pk})
            )
        )
    return {
        "id": d.pk,
        "title": d.title,
        "description": d.description,
        "format": d.format,
        "media_type": d.media_type,
        "byte_size": d.byte_size,
        "sha256": d.sha256,
        "download_url": download,
        "row_count": d.row_count,
        "data_dictionary": d.data_dictionary,
    }


@router.get(
    "/datasets/{slug}",
    operation_id="sdg87_catalog_api_dataset_detail",
    response={200: DatasetDetail, **ERROR_RESPONSES},
    url_name="dataset_detail",
    summary="One dataset",
)
def dataset_detail(request: HttpRequest, slug: str) -> Any:
    dataset = selectors.dataset_get(user=request.user, slug=slug)
    if dataset is None:
        raise ApiError(status=404, code="not_found", message=_("Dataset not found"))
    data = permissions.can_view_data(request.user, dataset)
    out = _summary(request, dataset, str(selectors.dataset_freshness(dataset=dataset)))
    out.update(
        {
            "description": dataset.description,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
            "keywords": sorted(dataset.keywords.names()),
            "spatial": [g.iso3 or g.code for g in dataset.spatial.all()],
            "temporal_start": dataset.temporal_start,
            "temporal_end": dataset.temporal_end,
            "language": dataset.language,
            "identifier": dataset.identifier,
            "related_publications": [
                line.strip() for line in dataset.related_publications.splitlines() if line.strip()
            ],
            "related_series": [s.code for s in dataset.related_series.public()],
            "publish_at": dataset.publish_at,
            "embargo_until": dataset.embargo_until,
            "data_access": data,
            "distributions": [
                _distribution(request, dataset, d, data)
                for d in selectors.distribution_list(user=request.user, dataset=dataset)
            ],
            "versions": [
                {"number": v.number, "created_at": v.created_at.isoformat(), "note": v.note}
                for v in selectors.dataset_version_list(dataset=dataset)
            ],
        }
    )
    return out
