"""ingest.common.read_rows, the CSV reader of every bundled-data parser: a row the csv module
cannot read is a ParseError naming that row, never csv.Error (which load_data would not report
as a problem in the data file)."""

from __future__ import annotations

import csv

import pytest

from sdg87.core.loading import ParseError
from sdg87.indicators.ingest.common import read_rows
from sdg87.indicators.ingest.walk_free import parse_gsi_country_estimates

HEADER = (
    "country,iso3,population,gsi_region,prevalence_per_1000,estimated_number_in_modern_slavery\n"
)
CR_MESSAGE = "a line break (carriage return) inside an unquoted field: quote the field"


def rows(text: str) -> list[tuple[int, dict[str, str]]]:
    return list(read_rows(text, required=("a",)))


def test_rows_are_numbered_like_a_spreadsheet():
    """The header is row 1; a quoted line break (\\r or \\n) stays inside its field."""
    assert rows('a,b\n1,"x\ry"\n2,"p\nq"\n') == [
        (2, {"a": "1", "b": "x\ry"}),
        (3, {"a": "2", "b": "p\nq"}),
    ]


@pytest.mark.parametrize(
    ("text", "row"),
    [("a,b\n1,2\n3,x\ry\n", 3), ("a,b\n1,x\ry\n", 2), ("a\rb,c\n1,2\n", 1)],
)
def test_a_bare_carriage_return_in_a_field_names_its_row(text, row):
    """A bare \\r inside an unquoted field (header or data) is a ParseError on its row."""
    with pytest.raises(ParseError) as exc:
        rows(text)
    assert (exc.value.row, exc.value.message) == (row, CR_MESSAGE)


def test_any_other_csv_error_names_its_row():
    """A field over the csv module's size limit is a ParseError on its row too. The limit is
    process-wide and other libraries raise it (frictionless to 2 GiB): set a small one here,
    never build a field from whatever limit is in force."""
    previous = csv.field_size_limit(1000)
    try:
        with pytest.raises(ParseError) as exc:
            rows('a,b\n1,2\n3,"' + "x" * 1001 + '"\n')
    finally:
        csv.field_size_limit(previous)
    assert exc.value.row == 3
    assert exc.value.message.startswith("not readable as CSV: field larger than field limit")


def test_a_parser_reports_the_bare_carriage_return_as_a_parse_error():
    """Through a bundled-data parser (Walk Free): ParseError with the row, not _csv.Error."""
    text = HEADER + "Afghanistan,AFG,38928000,Asia and the Pacific,13.0,505000\nChad,TC\rD,1,,,\n"
    with pytest.raises(ParseError) as exc:
        parse_gsi_country_estimates(text)
    assert (exc.value.row, exc.value.message) == (3, CR_MESSAGE)
