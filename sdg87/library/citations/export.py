"""One place that knows each export format: its writer, media type and file suffix.

`bulk_export(records, fmt)` serves listings (any search or listing as RIS, BibTeX, BibLaTeX,
CSL-JSON or CSV); the per-record views call `export(...)` with one record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from sdg87.core.csvsafe import csv_row
from sdg87.library.citations.bibtex import biblatex, bibtex
from sdg87.library.citations.csl import csl_json
from sdg87.library.citations.record import CitationRecord, unique_keys
from sdg87.library.citations.ris import ris

CSV_HEADER = (
    "key",
    "type",
    "title",
    "authors",
    "year",
    "date",
    "publisher",
    "container_title",
    "volume",
    "issue",
    "pages",
    "doi",
    "isbn",
    "url",
    "language",
    "page_url",
)


def csv_rows(records: list[CitationRecord]) -> list[list[object]]:
    """One row per record under `CSV_HEADER` (authors and ISBNs joined by "; "); text cells
    cannot start a spreadsheet formula."""
    rows: list[list[object]] = []
    for record, key in zip(records, unique_keys(records), strict=True):
        rows.append(
            csv_row(
                [
                    key,
                    record.type,
                    record.title,
                    "; ".join(c.display for c in record.creators),
                    record.issued.year if record.issued else None,
                    record.issued.iso() if record.issued else "",
                    record.publisher,
                    record.container_title,
                    record.volume,
                    record.issue,
                    record.pages,
                    record.doi,
                    "; ".join(record.isbns),
                    record.url,
                    record.language,
                    record.page_url,
                ]
            )
        )
    return rows


def csv_text(records: list[CitationRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(records))
    return out.getvalue()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    writer: Callable[[list[CitationRecord]], str]
    content_type: str
    suffix: str


FORMATS: dict[str, ExportFormat] = {
    "bibtex": ExportFormat("bibtex", bibtex, "application/x-bibtex; charset=utf-8", ".bib"),
    "biblatex": ExportFormat(
        "biblatex", biblatex, "application/x-bibtex; charset=utf-8", "-biblatex.bib"
    ),
    "ris": ExportFormat("ris", ris, "application/x-research-info-systems; charset=utf-8", ".ris"),
    "json": ExportFormat(
        "json", csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8", ".json"
    ),
    "csv": ExportFormat("csv", csv_text, "text/csv; charset=utf-8", ".csv"),
}
# Spellings accepted in query strings (?format=bib).
FORMAT_ALIASES = {"bib": "bibtex", "csl": "json", "csl-json": "json"}


def resolve_format(fmt: str) -> ExportFormat:
    """The format called `fmt` (or an alias); KeyError for an unknown name."""
    return FORMATS[FORMAT_ALIASES.get(fmt, fmt)]


def bulk_export(
    records: list[CitationRecord], fmt: str, *, basename: str = "citations"
) -> tuple[str, str, str]:
    """(content type, file name, body) of `records` in `fmt` (bibtex, biblatex, ris, json,
    csv; KeyError otherwise)."""
    spec = resolve_format(fmt)
    return spec.content_type, basename + spec.suffix, spec.writer(list(records))


def export(record: CitationRecord, fmt: str) -> tuple[str, str, str]:
    """One record's export, named after its slug (`<slug>.bib`, `<slug>.ris` ...)."""
    return bulk_export([record], fmt, basename=record.slug or "citation")
