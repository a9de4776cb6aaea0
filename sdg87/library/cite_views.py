"""Citation exports of one publication or dataset, as file downloads. Only what the visitor
may see: publications through `publication_public_queryset`, datasets through the catalog's
`dataset_get` (its `can_view_dataset` rule); anything else is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from sdg87.catalog import selectors as catalog_selectors
from sdg87.library import selectors
from sdg87.library.citations.export import export
from sdg87.library.citations.record import CitationRecord
from sdg87.library.citations.records import record_for_dataset, record_for_publication


def _download(record: CitationRecord, fmt: str) -> HttpResponse:
    content_type, filename, body = export(record, fmt)
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def publication_cite(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    pub = (
        selectors.publication_public_queryset()
        .select_related("publisher")
        .prefetch_related("creators__organisation")
        .filter(slug=slug)
        .first()
    )
    if pub is None:
        raise Http404
    return _download(record_for_publication(pub, request=request), fmt)


@require_GET
def dataset_cite(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = catalog_selectors.dataset_get(user=request.user, slug=slug)
    if dataset is None:
        raise Http404
    return _download(record_for_dataset(dataset, request=request), fmt)
