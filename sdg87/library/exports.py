"""Bulk export of a listing of publications (the library listing, an evidence-map cell) as
RIS, BibTeX or CSV: one response shape for every listing."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.catalog.models import Dataset
from sdg87.library.citations.export import bulk_export
from sdg87.library.citations.record import CitationRecord
from sdg87.library.citations.records import record_for_dataset, record_for_publication
from sdg87.library.models import Publication

# `?format=` value -> bulk_export format
EXPORT_FORMATS = {"ris": "ris", "bib": "bibtex", "csv": "csv"}
# Bulk exports hold at most this many records (the first ones in the listing's order); the
# listing says so when its result is larger. Narrow the filters, or page the API, for more.
EXPORT_MAX = 1000


def publications_export(
    request: HttpRequest, publications: Iterable[Publication], fmt: str, *, name: str
) -> HttpResponse:
    """An attachment of (at most EXPORT_MAX of) `publications` in `fmt`; 400 for an unknown
    format. The caller passes only records the visitor may see."""
    return _export(
        (record_for_publication(p, request=request) for p in publications), fmt, name=name
    )


def datasets_export(
    request: HttpRequest, datasets: Iterable[Dataset], fmt: str, *, name: str
) -> HttpResponse:
    """The same for datasets (the data directory's listing)."""
    return _export((record_for_dataset(d, request=request) for d in datasets), fmt, name=name)


def _export(records: Iterable[CitationRecord], fmt: str, *, name: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        return HttpResponse(
            _("Unknown export format. Use ris, bib or csv."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    records = [r for _n, r in zip(range(EXPORT_MAX), records, strict=False)]
    stamp = timezone.localdate().isoformat()
    content_type, filename, body = bulk_export(
        records, EXPORT_FORMATS[fmt], basename=f"sdg87-{name}-{stamp}"
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
