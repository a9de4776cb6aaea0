"""API v1 observations as CSV (`format=csv`): one streamed response, text cells made inert for
spreadsheets (sdg87.core.csvsafe)."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from sdg87.api.observation_rows import (
    OBSERVATION_COLUMNS,
    ObservationDict,
    ObservationRow,
    ObservationRows,
)
from sdg87.core.csvsafe import csv_row
from sdg87.indicators.models import Observation

CSV_CHUNK_SIZE = 2000


CSV_HEADER = [
    "id",
    "series",
    "indicator",
    "geography_code",
    "iso3",
    "m49",
    "geography_name",
    "year",
    "sex",
    "age",
    "dimensions",
    "value",
    "unit",
    "nature",
    "note",
    "source_code",
    "source_title",
    "publisher",
    "licence",
    "release_code",
    "release_title",
    "release_year",
    "citation",
    "release_url",
]


def _csv_row(row: ObservationDict) -> list[str | int | float]:
    """One observation as CSV cells: text made inert for spreadsheets (sdg87.core.csvsafe),
    numeric columns (id, year, value, release_year) left as numbers."""
    geo, source, release = row["geography"], row["source"], row["release"]
    return csv_row(
        [
            row["id"],
            row["series"],
            row["indicator"],
            geo["code"],
            geo["iso3"],
            geo["m49"],
            geo["name"],
            row["year"],
            row["sex"],
            row["age"],
            json.dumps(row["dimensions"], sort_keys=True) if row["dimensions"] else "",
            row["value"],
            row["unit"],
            row["nature"],
            row["note"],
            source["code"],
            source["title"],
            source["publisher"],
            source["licence"],
            release["code"],
            release["title"],
            release["year"],
            release["citation"],
            release["url"],
        ]
    )


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[ObservationRow], lang: str) -> Iterator[str]:
    """The header, then the rows (OBSERVATION_COLUMNS tuples) in chunks, names in `lang`."""
    writer = csv.writer(_Echo())
    related = ObservationRows()
    yield writer.writerow(CSV_HEADER)
    with translation.override(lang):
        while chunk := list(itertools.islice(rows, CSV_CHUNK_SIZE)):
            related.load(chunk)
            yield "".join(writer.writerow(_csv_row(related.observation(row))) for row in chunk)


def csv_response(observations: QuerySet[Observation], *, lang: str) -> StreamingHttpResponse:
    """Every observation of the queryset in one streamed CSV attachment (no pagination)."""
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(
        csv_lines(
            observations.values_list(*OBSERVATION_COLUMNS).iterator(chunk_size=CSV_CHUNK_SIZE),
            lang,
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="sdg87-observations-{stamp}.csv"'
    return response
