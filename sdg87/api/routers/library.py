"""REST API v1: `publications` and `publications/{slug}` (registered in config/api.py).

Only what anonymous visitors may see (`selectors.publication_public_queryset`): never a draft,
an unverified, scheduled or organisation-only record. The filters are the library page's
(sdg87.library.listing), plus a year range; results are ordered by id with keyset pagination
(`next`), and `format=csv` streams every matching record as CSV in one response.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.api.schemas import split_codes
from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.core.csvsafe import csv_row
from sdg87.library.listing import LibraryFilters, publication_filter
from sdg87.library.models import Publication, PublicationFile
from sdg87.library.selectors import publication_files_open, publication_public_queryset
from sdg87.library.services.files import publication_files_published
from sdg87.library.views import file_url

router = Router(tags=["publications"])
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
CSV_CHUNK_SIZE = 500


class PublisherRef(Schema):
    slug: str
    name: str
    acronym: str


class CreatorOut(Schema):
    kind: Literal["person", "organisation"]
    family: str
    given: str
    name: str
    orcid: str


class Identifiers(Schema):
    doi: str
    isbns: list[str]
    handle: str


class Links(Schema):
    page: str = Field(description="The publication's page on this platform.")
    api: str
    history: str
    publisher_page: str = Field(description="The publisher's own page, or empty.")
    doi: str = Field(description="The DOI's resolver link, or empty.")
    copy_found_at: str = Field(
        description="Where a copy was found when no publisher's page is known (a mirror, "
        "never the source), or empty."
    )


class EditionOut(Schema):
    slug: str
    title: str
    language: str
    url: str


class EvidenceOut(Schema):
    intervention: str
    outcome: str
    design: str
    direction: str
    finding_quote: str


class PublicationOut(Schema):
    slug: str
    title: str
    type: str
    abstract: str
    year: int | None
    issued: date | None = Field(description="The full date when known; else only `year`.")
    language: str
    work: str = Field(description="Editions and translations of the same work share this key.")
    publisher: PublisherRef | None
    publisher_name: str
    container_title: str
    creators: list[CreatorOut]
    themes: list[str]
    countries: list[str] = Field(description="ISO3 codes, or geography codes of regions.")
    sdg_targets: list[str]
    identifiers: Identifiers
    licence: str
    links: Links
    editions: list[EditionOut]
    evidence: list[EvidenceOut]
    first_published_at: datetime | None
    last_published_at: datetime | None


class FileOut(Schema):
    title: str
    media_type: str
    byte_size: int
    sha256: str
    download_url: str | None


class VersionOut(Schema):
    number: int
    created_at: datetime
    note: str


class RelatedDataset(Schema):
    slug: str
    title: str
    url: str


class PublicationDetail(PublicationOut):
    files_open: bool = Field(description="False while the files are embargoed.")
    embargo_until: datetime | None
    files: list[FileOut]
    related_datasets: list[RelatedDataset]
    related_indicators: list[str]
    related_series: list[str]
    versions: list[VersionOut]


class PublicationPage(Schema):
    next: str | None = Field(description="Absolute URL of the next page, or null on the last page.")
    results: list[PublicationOut]


class PublicationFilters(Schema):
    type: list[str] | None = Field(None, description="Resource type code. Repeatable.")
    theme: list[str] | None = Field(None, description="Theme code. Repeatable.")
    country: list[str] | None = Field(
        None, description="Country ISO3 (or region code). Repeatable or comma-separated."
    )
    language: list[str] | None = Field(None, description="Language code (en, fr, es ...).")
    year_from: int | None = Field(None, ge=1000, le=9999)
    year_to: int | None = Field(None, ge=1000, le=9999)
    organisation: list[str] | None = Field(None, description="Publisher slug. Repeatable.")
    q: str = Field("", max_length=200, description="Words in the title (substring).")
    cursor: str | None = Field(None, description="From the `next` URL of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    format: Literal["json", "csv"] = "json"


def _filtered(filters: PublicationFilters) -> QuerySet[Publication]:
    if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
        raise ApiError(
            status=400,
            code="invalid_range",
            message=_("year_from must not be after year_to."),
            parameter="year_from",
        )
    library_filters = LibraryFilters(
        type=tuple(split_codes(filters.type)),
        theme=tuple(split_codes(filters.theme)),
        country=tuple(c.upper() for c in split_codes(filters.country)),
        language=tuple(split_codes(filters.language)),
        organisation=tuple(split_codes(filters.organisation)),
        q=filters.q.strip(),
    )
    qs = publication_filter(publication_public_queryset(), filters=library_filters)
    if filters.year_from:
        qs = qs.filter(year__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(year__lte=filters.year_to)
    return qs.select_related("publisher").prefetch_related(
        "creators", "themes", "geographies", "evidence"
    )


def _editions(pubs: Iterable[Publication]) -> dict[str, list[Publication]]:
    """The public editions of each work among `pubs`, by work (one query)."""
    works = {p.work for p in pubs if p.work}
    out: dict[str, list[Publication]] = {}
    if works:
        for e in publication_public_queryset().filter(work__in=works).order_by("language", "id"):
            out.setdefault(e.work, []).append(e)
    return out


def _abs(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def publication_out(
    request: HttpRequest, p: Publication, editions: dict[str, list[Publication]]
) -> dict[str, Any]:
    page = reverse("library:publication_detail", kwargs={"slug": p.slug})
    return {
        "slug": p.slug,
        "title": p.title,
        "type": p.resource_type,
        "abstract": p.abstract,
        "year": p.year,
        "issued": p.issued,
        "language": p.language,
        "work": p.work,
        "publisher": {
            "slug": p.publisher.slug,
            "name": p.publisher.name,
            "acronym": p.publisher.acronym,
        }
        if p.publisher
        else None,
        "publisher_name": p.publisher_name,
        "container_title": p.container_title,
        "creators": [
            {
                "kind": "organisation" if c.is_organisation else "person",
                "family": c.family,
                "given": c.given,
                "name": c.name,
                "orcid": c.orcid,
            }
            for c in p.creators.all()
        ],
        "themes": sorted(t.code for t in p.themes.all()),
        "countries": sorted(g.iso3 or g.code for g in p.geographies.all()),
        "sdg_targets": [str(t) for t in p.sdg_targets],
        "identifiers": {"doi": p.doi, "isbns": list(p.isbns), "handle": p.handle},
        "licence": p.licence,
        "links": {
            "page": _abs(request, page),
            "api": _abs(request, reverse("api-v1:publication_detail", kwargs={"slug": p.slug})),
            "history": _abs(
                request, reverse("library:publication_history", kwargs={"slug": p.slug})
            ),
            "publisher_page": p.url,
            "doi": f"https://doi.org/{p.doi}" if p.doi else "",
            "copy_found_at": p.copy_url if not (p.url or p.doi) else "",
        },
        "editions": [
            {
                "slug": e.slug,
                "title": e.title,
                "language": e.language,
                "url": _abs(request, reverse("library:publication_detail", args=[e.slug])),
            }
            for e in editions.get(p.work, [])
            if e.pk != p.pk
        ],
        "evidence": [
            {
                "intervention": e.intervention,
                "outcome": e.outcome,
                "design": e.design,
                "direction": e.direction,
                "finding_quote": e.finding_quote,
            }
            for e in p.evidence.all()
        ],
        "first_published_at": p.first_published_at,
        "last_published_at": p.last_published_at,
    }


CSV_HEADER = (
    "slug",
    "title",
    "type",
    "year",
    "issued",
    "language",
    "work",
    "publisher",
    "publisher_name",
    "container_title",
    "authors",
    "orcids",
    "themes",
    "countries",
    "doi",
    "isbns",
    "handle",
    "licence",
    "publisher_page",
    "copy_found_at",
    "page_url",
    "evidence",
)


def _csv_cells(request: HttpRequest, p: Publication) -> list[Any]:
    creators = list(p.creators.all())
    return csv_row(
        [
            p.slug,
            p.title,
            p.resource_type,
            p.year,
            p.issued.isoformat() if p.issued else "",
            p.language,
            p.work,
            p.publisher.slug if p.publisher else "",
            p.publisher_name,
            p.container_title,
            "; ".join(str(c) for c in creators),
            "; ".join(c.orcid for c in creators if c.orcid),
            "; ".join(sorted(t.code for t in p.themes.all())),
            "; ".join(sorted(g.iso3 or g.code for g in p.geographies.all())),
            p.doi,
            "; ".join(p.isbns),
            p.handle,
            p.licence,
            p.url,
            p.copy_url if not (p.url or p.doi) else "",
            _abs(request, reverse("library:publication_detail", kwargs={"slug": p.slug})),
            "; ".join(
                f"{e.intervention}>{e.outcome}:{e.design}:{e.direction}" for e in p.evidence.all()
            ),
        ]
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(request: HttpRequest, qs: QuerySet[Publication]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    rows = qs.iterator(chunk_size=CSV_CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CSV_CHUNK_SIZE)):
        yield "".join(writer.writerow(_csv_cells(request, p)) for p in chunk)


@router.get(
    "/publications",
    operation_id="sdg87_library_api_publication_list",
    response={200: PublicationPage, **ERROR_RESPONSES},
    url_name="publication_list",
    summary="Publications, filtered; keyset-paginated JSON or streamed CSV",
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    "text/csv": {"schema": {"type": "string"}, "example": ",".join(CSV_HEADER)}
                }
            }
        }
    },
)
def publication_list(request: HttpRequest, filters: Query[PublicationFilters]) -> Any:
    """Public publications of the library, with the filters of the /library/ page (OR within
    one filter, AND across filters). Ordered by id; follow `next` until it is null.
    `format=csv` streams every matching record in one response (no pagination)."""
    qs = _filtered(filters)
    if filters.format == "csv":
        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(
            _csv_lines(request, qs.order_by("id")), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="sdg87-publications-{stamp}.csv"'
        return response
    if filters.cursor:
        qs = qs.filter(id__gt=cursor_decode(filters.cursor))
    rows = list(qs.order_by("id")[: filters.limit + 1])
    has_more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    editions = _editions(rows)
    return {
        "next": next_url(request, last_id=rows[-1].pk) if has_more else None,
        "results": [publication_out(request, p, editions) for p in rows],
    }


@router.get(
    "/publications/{slug}",
    operation_id="sdg87_library_api_publication_detail",
    response={200: PublicationDetail, **ERROR_RESPONSES},
    url_name="publication_detail",
    summary="One publication",
)
def publication_detail(request: HttpRequest, slug: str) -> Any:
    """One public publication with its files (download links once any embargo has passed),
    related datasets (public ones), indicators, series and published versions."""
    p = (
        publication_public_queryset()
        .select_related("publisher")
        .prefetch_related("creators", "themes", "geographies", "evidence", "files")
        .filter(slug=slug)
        .first()
    )
    if p is None:
        raise ApiError(status=404, code="not_found", message=_("Publication not found"))
    out = publication_out(request, p, _editions([p]))
    files_open = publication_files_open(p)

    def download(f: PublicationFile) -> str | None:
        url = file_url(f) if files_open else ""
        return _abs(request, url) if url else None

    out.update(
        {
            "files_open": files_open,
            "embargo_until": p.embargo_until if not files_open else None,
            "files": [
                {
                    "title": f.title or f.original_filename,
                    "media_type": f.media_type,
                    "byte_size": f.byte_size,
                    "sha256": f.sha256,
                    "download_url": download(f),
                }
                for f in publication_files_published(p)
            ],
            "related_datasets": [
                {"slug": d.slug, "title": d.title, "url": _abs(request, d.get_absolute_url())}
                for d in dataset_public_queryset()
                .filter(pk__in=p.related_datasets.values("pk"))
                .order_by("title")
            ],
            "related_indicators": [i.code for i in p.related_indicators.all()],
            "related_series": [s.code for s in p.related_series.public()],
            "versions": [
                {"number": v.number, "created_at": v.created_at, "note": v.note}
                for v in p.versions.order_by("-number")
            ],
        }
    )
    return out
