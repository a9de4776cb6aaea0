"""The ingest toolkit: `read_rows`, the CSV reader of every bundled-data parser (a row the csv
module cannot read is a ParseError naming that row, never csv.Error, which load_data would not
report as a problem in the data file), the cell parsers and ParseError itself."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from sdg87.core.ingest import (
    ParseError,
    cell_code,
    cell_float,
    cell_int,
    cell_m49,
    cell_optional_float,
    cell_text,
    cell_year,
    read_rows,
    reading,
)
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


# --- read_rows: header, BOM, stripping, ragged rows, blank lines -------------------------------


def test_bom_and_spaces_are_dropped_from_header_and_cells():
    """A byte-order mark and spaces around names and cells are not part of the data."""
    assert list(read_rows("\ufeff a , b \n 1 ,x y \n", required=("a", "b"))) == [
        (2, {"a": "1", "b": "x y"})
    ]


def test_lines_of_an_open_file_read_like_text(tmp_path):
    """An open file (newline='') reads like its text; a BOM read as text is dropped too."""
    path = tmp_path / "t.csv"
    path.write_text('\ufeffa,b\n1,"p\nq"\n', encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as fh:
        assert list(read_rows(fh, required=("a",))) == [(2, {"a": "1", "b": "p\nq"})]


@pytest.mark.parametrize(("line", "found"), [("1\n", 1), ("1,2,3\n", 3)])
def test_a_row_with_more_or_fewer_cells_than_the_header_names_its_row(line, found):
    """Ragged rows are refused: a missing cell is not silently empty, an extra one not
    silently dropped."""
    with pytest.raises(ParseError) as exc:
        rows("a,b\n1,2\n" + line)
    assert exc.value.row == 3
    assert exc.value.message == f"{found} cells where the header has 2"


def test_blank_lines_count_as_rows_and_yield_nothing():
    """Row numbers stay those a spreadsheet shows when the file has blank lines."""
    assert rows("a,b\n\n1,2\n") == [(3, {"a": "1", "b": "2"})]


def test_missing_columns_are_named_on_row_1():
    """Every missing required column is listed; the error points at the first."""
    with pytest.raises(ParseError) as exc:
        list(read_rows("a,b\n1,2\n", required=("a", "c", "d")))
    assert (exc.value.row, exc.value.column) == (1, "c")
    assert exc.value.message == "missing column(s): c, d"


def test_a_repeated_column_name_is_refused():
    """Two columns with one name: which one holds the value would be a guess."""
    with pytest.raises(ParseError) as exc:
        rows("a,b,a\n1,2,3\n")
    assert (exc.value.row, exc.value.column) == (1, "a")


def test_an_empty_text_has_no_rows_unless_columns_are_required():
    """An empty file has no header: fine when nothing is required, else row 1 names it."""
    assert list(read_rows("")) == []
    with pytest.raises(ParseError):
        list(read_rows("", required=("a",)))


# --- cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "thousands", "value"),
    [("1.5", False, 1.5), ("-2", False, -2.0), ("1,234.5", True, 1234.5), ("1e3", False, 1000.0)],
)
def test_cell_float_reads_finite_numbers(text, thousands, value):
    assert cell_float({"v": text}, "v", 4, thousands=thousands) == value


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "1e400", "x", "1,5"])
def test_cell_float_refuses_what_is_not_a_finite_number(text):
    """float() reads 'nan', 'inf' and '1e400' (= inf): none is a value; nor is '1,5' unless
    commas are declared thousands separators."""
    with pytest.raises(ParseError) as exc:
        cell_float({"v": text}, "v", 4)
    assert (exc.value.row, exc.value.column) == (4, "v")
    assert exc.value.message == f"'{text}' is not a number"


def test_cell_float_and_optional_float_on_an_empty_cell():
    with pytest.raises(ParseError, match="empty cell"):
        cell_float({"v": ""}, "v", 2)
    assert cell_optional_float({"v": ""}, "v", 2) is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("12", True), ("-3", True), ("1_000", False), ("1.0", False), ("\u0661", False)],
)
def test_cell_int_reads_ascii_whole_numbers_only(text, ok):
    if ok:
        assert cell_int({"n": text}, "n", 2) == int(text)
    else:
        with pytest.raises(ParseError):
            cell_int({"n": text}, "n", 2)


@pytest.mark.parametrize(
    ("text", "first", "last", "ok"),
    [("2019", 1800, 2100, True), ("1799", 1800, 2100, False), ("2101", 1800, 2100, False),
     ("20x9", 1800, 2100, False), ("02019", 1800, 2100, False), ("1998", 1999, 2015, False)],
)  # fmt: skip
def test_cell_year_is_four_digits_within_bounds(text, first, last, ok):
    if ok:
        assert cell_year({"y": text}, "y", 2, first=first, last=last) == int(text)
    else:
        with pytest.raises(ParseError) as exc:
            cell_year({"y": text}, "y", 2, first=first, last=last)
        assert exc.value.message == f"'{text}' is not a year from {first} to {last}"


def test_cell_code_text_and_m49():
    assert cell_code({"sex": "MALE"}, "sex", 2, {"MALE": "M"}) == "M"
    with pytest.raises(ParseError, match="unknown sex label 'X'"):
        cell_code({"sex": "X"}, "sex", 2, {"MALE": "M"})
    assert cell_text({"a": "x"}, "a", 2) == "x"
    with pytest.raises(ParseError, match="empty cell"):
        cell_text({"a": ""}, "a", 2)
    assert cell_m49({"m": "4"}, "m", 2) == "004"
    assert cell_m49({"m": ""}, "m", 2, required=False) == ""
    for bad in ("", "1234", "4a"):
        with pytest.raises(ParseError):
            cell_m49({"m": bad}, "m", 2)


def test_a_long_cell_is_cut_in_its_message():
    with pytest.raises(ParseError) as exc:
        cell_float({"v": "x" * 500}, "v", 2)
    assert exc.value.message == "'" + "x" * 40 + "…' is not a number"


# --- ParseError: location, file name, translation -----------------------------------------------


def test_str_names_file_row_and_column_that_are_known():
    """str() is the message a person reads: where, then what."""
    assert str(ParseError("bad", row=7, column="value", file="d/t.csv")) == (
        "d/t.csv, row 7, column 'value': bad"
    )
    assert str(ParseError("bad", row=7)) == "row 7: bad"
    assert str(ParseError("bad")) == "bad"


def test_reading_names_the_file_once_the_innermost_block_has():
    """`reading` attaches the file to errors raised inside, parser or service alike; an
    error that already names a file keeps it."""
    with pytest.raises(ParseError) as exc, reading("outer.csv"), reading("inner.csv"):
        raise ParseError("bad", row=2)
    assert exc.value.file == "inner.csv"
    with pytest.raises(ParseError) as exc, reading("outer.csv"):
        raise ParseError("bad", row=2, file="own.csv")
    assert exc.value.file == "own.csv"


@pytest.mark.parametrize(
    ("language", "where", "what"),
    [
        ("fr", "ligne 3", "n'est pas une année comprise entre 1800 et 2100"),
        ("es", "fila 3", "1800"),
    ],
)
def test_messages_are_translated_in_the_active_language(language, where, what):
    """Parse errors reach contributors: the location and the problem follow the language."""
    with translation.override(language):
        with pytest.raises(ParseError) as exc:
            cell_year({"year": "20x9"}, "year", 3)
        message = str(exc.value)  # rendered in the language active when it is shown
    assert where in message and what in message and "20x9" in message
