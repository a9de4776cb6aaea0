"""API v1 observations as CSV (`format=csv`): one streamed response, text cells made inert for
spreadsheets (sdg87.core.csvsafe)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.constants import MULTI
from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from sdg87.api.observation_rows import (
    OBSERVATION_COLUMNS,
    ObservationDict,
    ObservationRows,
)
from sdg87.core.csvsafe import csv_cell, csv_row
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


def csv_lines(rows: Iterator[list[tuple[Any, ...]]], lang: str) -> Iterator[str]:
    """The header, then the rows in chunks, names in `lang`.

    `rows` yields chunks (lists) of OBSERVATION_COLUMNS tuples as the database driver returns
    them: `dimensions` as its stored JSON text, not decoded (`csv_chunks`). Constant memory:
    one chunk at a time. Each row is the bytes csv.writer makes of `_csv_row` (same cells,
    same quoting), but the CSV text of a series, a place and a release, of each distinct
    short text cell (sex, age, unit, nature, note) and of each distinct dimensions value is
    made once per export (`_LabelCells`) and reused: per row only its number cells are
    formatted (issue 15: >= 100,000 rows/s)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(CSV_HEADER)
    yield buffer.getvalue()
    related = ObservationRows()
    labels = _LabelCells(related)
    with translation.override(lang):
        for chunk in rows:
            if not chunk:
                continue
            related.load(chunk)
            yield labels.text(chunk)


# Distinct short text cells and dimension texts kept per export, at most (a note column of
# free text could otherwise grow without bound; past this, cells are made as they come).
_MEMO_MAX = 20_000


def _csv_text(cells: list[Any]) -> str:
    """`cells` as csv.writer writes them in a row, without the line end: so that joined with
    "," they give the same line as the writer (an extra empty cell is written and cut off,
    because a row of one empty cell is written as `""`)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([*cells, ""])
    return buffer.getvalue()[:-3]


class _LabelCells:
    """CSV text of series, places and releases by id, made safe and quoted once per export,
    and of repeated short texts and dimensions, once per distinct value."""

    def __init__(self, related: ObservationRows) -> None:
        self.related = related
        self.labelled: dict[tuple[int, int, int], tuple[str, str]] = {}
        self.texts: dict[Any, str] = {}
        self.dimensions: dict[Any, str] = {}

    def _labels(self, series_id: int, geo_id: int, release_id: int) -> tuple[str, str]:
        """(series and place cells, release cells) as CSV text."""
        ref = self.related.geographies[geo_id]
        source, rel = self.related.releases[release_id]
        found = self.labelled[(series_id, geo_id, release_id)] = (
            _csv_text(
                csv_row(
                    [
                        *self.related.series[series_id],
                        ref["code"],
                        ref["iso3"],
                        ref["m49"],
                        ref["name"],
                    ]
                )
            ),
            _csv_text(
                csv_row(
                    [
                        source["code"],
                        source["title"],
                        source["publisher"],
                        source["licence"],
                        rel["code"],
                        rel["title"],
                        rel["year"],
                        rel["citation"],
                        rel["url"],
                    ]
                )
            ),
        )
        if len(self.labelled) > _MEMO_MAX:
            self.labelled.clear()
        return found

    def _text(self, value: Any) -> str:
        found = _csv_text([csv_cell(value)])
        if len(self.texts) < _MEMO_MAX:
            self.texts[value] = found
        return found

    def _dimensions(self, stored: Any) -> str:
        """The stored JSON text as the CSV text of its cell: keys sorted, "" when empty (not
        through csv_cell: a JSON object starts with "{")."""
        dims = json.loads(stored) if isinstance(stored, str | bytes) else stored
        found = _csv_text([json.dumps(dims, sort_keys=True) if dims else ""])
        if len(self.dimensions) < _MEMO_MAX:
            self.dimensions[stored] = found
        return found

    def _number(self, value: Any) -> str:
        return _csv_text([csv_cell(value)])

    def text(self, chunk: Iterable[tuple[Any, ...]]) -> str:
        """The CSV lines of these rows (OBSERVATION_COLUMNS, `dimensions` as stored text)."""
        texts, text, dimensions, dimension = (
            self.texts,
            self._text,
            self.dimensions,
            self._dimensions,
        )
        labelled, labels, number = self.labelled, self._labels, self._number
        lines = []
        for (
            obs_id,
            series_id,
            geo_id,
            release_id,
            year,
            sex,
            age,
            dims,
            value,
            unit,
            nature,
            note,
        ) in chunk:
            key = (series_id, geo_id, release_id)
            head, tail = labelled[key] if key in labelled else labels(*key)
            # csv.writer writes a float with repr() and an int with str(): the same as here
            lines.append(
                f"{obs_id if obs_id.__class__ is int else number(obs_id)},{head},"
                f"{year if year.__class__ is int else number(year)},"
                f"{texts[sex] if sex in texts else text(sex)},"
                f"{texts[age] if age in texts else text(age)},"
                f"{dimensions[dims] if dims in dimensions else dimension(dims)},"
                f"{value.__repr__() if value.__class__ is float else number(value)},"
                f"{texts[unit] if unit in texts else text(unit)},"
                f"{texts[nature] if nature in texts else text(nature)},"
                f"{texts[note] if note in texts else text(note)},{tail}\r\n"
            )
        return "".join(lines)


def csv_chunks(observations: QuerySet[Observation]) -> Iterator[list[tuple[Any, ...]]]:
    """The OBSERVATION_COLUMNS rows of the queryset, CSV_CHUNK_SIZE at a time, as the driver
    returns them (a server-side cursor on PostgreSQL, `fetchmany` on SQLite): what
    `values_list(...).iterator()` reads, without building a decoded row per observation
    (the only column Django would convert is `dimensions`, which `_LabelCells` decodes once
    per distinct text)."""
    queryset = observations.values_list(*OBSERVATION_COLUMNS)
    alias = queryset.db
    compiler = queryset.query.get_compiler(using=alias)
    connection = connections[alias]
    chunked = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    results = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=CSV_CHUNK_SIZE)
    if results is None:
        return
    fields = [select[0] for select in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    other = {position: pair for position, pair in converters.items() if position != 7}
    for chunk in results:
        if other:
            chunk = [tuple(_convert(row, other, connection)) for row in chunk]
        if chunk and isinstance(chunk[0][7], dict | list):
            # a driver that decodes JSON itself: back to text, hashable for the memo
            chunk = [(*row[:7], json.dumps(row[7]), *row[8:]) for row in chunk]
        yield chunk


def _convert(row: tuple[Any, ...], converters: dict[int, Any], connection: Any) -> list[Any]:
    cells = list(row)
    for position, (functions, expression) in converters.items():
        for function in functions:
            cells[position] = function(cells[position], expression, connection)
    return cells


def csv_response(observations: QuerySet[Observation], *, lang: str) -> StreamingHttpResponse:
    """Every observation of the queryset in one streamed CSV attachment (no pagination)."""
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(
        csv_lines(csv_chunks(observations), lang),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="sdg87-observations-{stamp}.csv"'
    return response
