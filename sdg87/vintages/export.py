"""A release comparison as flat rows, for the API's JSON, the CSV download and the page."""

from __future__ import annotations

import csv
import io
from typing import TypedDict

from django.http import HttpResponse

from sdg87.vintages.compare import Change
from sdg87.vintages.selectors import CompareKey, Comparison

CSV_COLUMNS = (
    "change",
    "geography_code",
    "geography_name",
    "year",
    "sex",
    "age",
    "dimensions",
    "from_value",
    "to_value",
    "absolute_change",
    "relative_change",
)


class ChangeRow(TypedDict):
    change: str
    geography_code: str
    geography_name: str
    year: int
    sex: str
    age: str
    dimensions: str
    from_value: float | None
    to_value: float | None
    absolute_change: float | None
    relative_change: float | None


def change_row(comparison: Comparison, change: Change[CompareKey]) -> ChangeRow:
    code, year, sex, age, dimensions = change.key
    geography = comparison.geographies[code]
    return {
        "change": change.kind,
        "geography_code": code,
        "geography_name": geography.name,
        "year": year,
        "sex": sex,
        "age": age,
        "dimensions": dimensions,
        "from_value": change.old,
        "to_value": change.new,
        "absolute_change": change.absolute,
        "relative_change": change.relative,
    }


def comparison_rows(comparison: Comparison) -> list[ChangeRow]:
    """Revised, added and dropped points (unchanged ones are only counted)."""
    return [change_row(comparison, c) for c in comparison.differences.changes()]


def comparison_csv(comparison: Comparison) -> HttpResponse:
    """The comparison as a CSV attachment named after the series and both releases."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in comparison_rows(comparison):
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])  # type: ignore[literal-required]
    name = (
        f"{comparison.series.code}_{comparison.from_release.code}"
        f"_vs_{comparison.to_release.code}.csv"
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
