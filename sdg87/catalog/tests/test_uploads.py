import io
import json
from pathlib import Path

import openpyxl
import pytest

from sdg87.catalog.uploads import (
    PREVIEW_ROWS,
    UploadError,
    iter_rows,
    parse_tidy_rows,
    row_hashes,
    sniff_format,
    validate_table,
)
from sdg87.core.ingest import ParseError


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_sniff_by_content_not_extension() -> None:
    """CSV, JSON and XLSX are told apart by their bytes."""
    assert sniff_format(b"a,b\n1,2\n", "x.csv") == "CSV"
    assert sniff_format(b'[{"a": 1}]', "x.json") == "JSON"
    assert sniff_format(_xlsx([["a"], [1]]), "x.xlsx") == "XLSX"
    assert sniff_format(b"a,b\n1,2\n", "") == "CSV"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "evil.csv"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "tool.csv"),
        (b"PK\x03\x04garbage", "x.xlsx"),
        (b'{"a": 1}', "renamed.csv"),
        (b"a,b\n1,2\n", "data.json"),
    ],
)
def test_sniff_rejects_wrong_or_dangerous_content(content: bytes, name: str) -> None:
    """HTML, executables, broken archives and content that contradicts the extension are refused."""
    with pytest.raises(UploadError):
        sniff_format(content, name)


def test_valid_csv_report_preview_and_inferred_fields(tmp_path: Path) -> None:
    """A clean CSV validates; the preview keeps the first 20 rows; fields are inferred."""
    lines = ["id,country,value"] + [f"{i},KEN,{i * 1.5}" for i in range(1, 31)]
    path = _write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())
    report = validate_table(path, "CSV")
    assert report.valid and report.errors == []
    assert report.row_count == 30
    assert len(report.preview) == PREVIEW_ROWS
    assert report.header == ["id", "country", "value"]
    assert [f["type"] for f in report.fields] == ["integer", "string", "number"]


def test_bad_csv_errors_name_row_and_column(tmp_path: Path) -> None:
    """Missing and extra cells are reported with the spreadsheet row number and the column."""
    path = _write(tmp_path, "bad.csv", b"a,b,c\n1,x,2020\n2,y\n3,z,2021,extra\n")
    report = validate_table(path, "CSV")
    assert not report.valid
    found = {(e["row"], e["column"], e["type"]) for e in report.errors}
    assert (3, "c", "missing-cell") in found
    assert any(row == 4 and kind == "extra-cell" for row, _col, kind in found)


def test_type_errors_after_the_inference_sample(tmp_path: Path) -> None:
    """A non-number in a numeric column (after the inferred sample) is a type error at its cell."""
    rows = ["year,value"] + [f"{2000 + i},{i}" for i in range(150)] + ["2150,n/a"]
    path = _write(tmp_path, "t.csv", ("\n".join(rows) + "\n").encode())
    report = validate_table(path, "CSV")
    assert not report.valid
    assert {k: report.errors[0][k] for k in ("row", "column", "type")} == {
        "row": 152,
        "column": "value",
        "type": "type-error",
    }


def test_duplicate_and_blank_headers_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", b"a,a,\n1,2,3\n")
    report = validate_table(path, "CSV")
    kinds = {e["type"] for e in report.errors}
    assert {"duplicate-label", "blank-label"} <= kinds


def test_json_array_of_objects_validates(tmp_path: Path) -> None:
    """JSON tables are read without extra dependencies and validated the same way."""
    data = [{"geo": "KEN", "value": 1}, {"geo": "BGD", "value": 2}]
    path = _write(tmp_path, "t.json", json.dumps(data).encode())
    report = validate_table(path, "JSON")
    assert report.valid and report.header == ["geo", "value"] and report.row_count == 2


def test_xlsx_rows_and_validation(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.xlsx", _xlsx([["geo", "value"], ["KEN", 1], ["BGD", 2]]))
    report = validate_table(path, "XLSX")
    assert report.valid and report.row_count == 2
    assert list(iter_rows(path, "XLSX"))[1] == ["KEN", "1"]


def test_row_hashes_use_key_column_or_whole_rows() -> None:
    """Unique keys are used as keys; duplicate keys fall back to whole-row hashes."""
    key, hashes = row_hashes(iter([["id", "v"], ["1", "a"], ["2", "b"]]), "id")
    assert key == "id" and set(hashes) == {"1", "2"}
    key, hashes = row_hashes(iter([["geo", "v"], ["KEN", "a"], ["KEN", "b"]]))
    assert key == "" and len(hashes) == 2


def test_parse_tidy_rows_defaults_and_values() -> None:
    """Optional columns default to SDMX totals; the series falls back to the dataset's own."""
    rows = parse_tidy_rows(
        iter([["geo", "year", "value", "unit", "sex"], ["KEN", "2019", "12.5", "percent", "F"]]),
        default_series="MY_SERIES",
    )
    (row,) = rows
    assert (row.series, row.geo, row.year, row.value, row.unit, row.sex, row.age, row.line) == (
        "MY_SERIES",
        "KEN",
        2019,
        12.5,
        "PERCENT",
        "F",
        "_T",
        2,
    )


@pytest.mark.parametrize(
    ("rows", "row", "column"),
    [
        ([["year", "value", "unit"], ["2019", "1", "N"]], 1, "geo"),
        ([["geo", "year", "value"], ["KEN", "2019", "1"]], 1, "unit"),
        (
            [
                ["geo", "year", "value", "unit"],
                ["KEN", "2019", "1", "N"],
                ["KEN", "20x9", "1", "N"],
            ],
            3,
            "year",
        ),
        ([["geo", "year", "value", "unit"], ["KEN", "2019", "", "N"]], 2, "value"),
        ([["geo", "year", "value", "unit"], ["", "2019", "1", "N"]], 2, "geo"),
    ],
)
def test_parse_tidy_rows_errors_name_row_and_column(
    rows: list[list[str]], row: int, column: str
) -> None:
    with pytest.raises(ParseError) as info:
        parse_tidy_rows(iter(rows), default_series="S")
    assert (info.value.row, info.value.column) == (row, column)


def _children_working_csv(tmp_path: Path, bad_line: int = 6) -> Path:
    """20 data rows; `children_working` is an integer except on file line `bad_line` (the
    header is line 1)."""
    lines = ["country,children_working"] + [f"C{i},{i * 10}" for i in range(1, 21)]
    lines[bad_line - 1] = f"C{bad_line - 1},abc"
    return _write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())


def test_mostly_numeric_column_is_numeric_and_odd_cell_is_a_type_error(tmp_path: Path) -> None:
    """One text cell in an otherwise integer column does not turn the column into text: the
    column is inferred as integer and the cell is a type error at its spreadsheet row and
    column."""
    report = validate_table(_children_working_csv(tmp_path), "CSV")
    assert not report.valid
    assert [(e["row"], e["column"], e["type"]) for e in report.errors] == [
        (6, "children_working", "type-error")
    ]
    assert [f["type"] for f in report.fields] == ["string", "integer"]
    # the preview shows the offending cell as written
    assert report.preview[4] == ["C5", "abc"]


def test_textual_columns_and_empty_cells_stay_valid(tmp_path: Path) -> None:
    """Genuinely textual columns (even with a few numbers), empty cells and columns that are
    mostly but not only text are accepted without errors."""
    lines = ["name,note,value,empty"] + [
        f"Name {i},{'42' if i % 3 == 0 else 'see text'},{'' if i % 4 else i}," for i in range(30)
    ]
    path = _write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())
    report = validate_table(path, "CSV")
    assert report.valid, report.errors
    assert [f["type"] for f in report.fields] == ["string", "string", "integer", "any"]


def test_mixed_integers_and_decimals_are_numbers(tmp_path: Path) -> None:
    """A few decimals among whole numbers make the column a number, not integer errors."""
    lines = ["value"] + [str(i) for i in range(1, 20)] + ["12.5"]
    lines[3] = "3.25"
    path = _write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())
    report = validate_table(path, "CSV")
    assert report.valid and report.fields[0]["type"] == "number"


def test_dictionary_types_override_inference(tmp_path: Path) -> None:
    """A type chosen in the data dictionary is used for validation: with `integer`, a text
    cell is an error naming its row and column; with `string`, the same file is valid."""
    lines = ["country,children_working", "C1,abc"] + [f"C{i},{i}" for i in range(2, 6)]
    path = _write(tmp_path, "t.csv", ("\n".join(lines) + "\n").encode())
    assert validate_table(path, "CSV").valid  # too few rows to call the column numeric
    report = validate_table(path, "CSV", types={"children_working": "integer"})
    assert not report.valid
    assert [(e["row"], e["column"], e["type"]) for e in report.errors] == [
        (2, "children_working", "type-error")
    ]
    assert report.fields[1]["type"] == "integer"
    relaxed = validate_table(
        _children_working_csv(tmp_path), "CSV", types={"children_working": "string"}
    )
    assert relaxed.valid and relaxed.fields[1]["type"] == "string"


def test_xlsx_and_json_mostly_numeric_columns(tmp_path: Path) -> None:
    """XLSX and JSON tables get the same tolerant inference as CSV."""
    rows: list[list[object]] = [["country", "children_working"]]
    rows += [[f"C{i}", i * 10] for i in range(1, 21)]
    rows[5][1] = "abc"
    xlsx = validate_table(_write(tmp_path, "t.xlsx", _xlsx(rows)), "XLSX")
    assert [(e["row"], e["column"], e["type"]) for e in xlsx.errors] == [
        (6, "children_working", "type-error")
    ]
    data = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    js = validate_table(_write(tmp_path, "t.json", json.dumps(data).encode()), "JSON")
    assert [(e["row"], e["column"], e["type"]) for e in js.errors] == [
        (6, "children_working", "type-error")
    ]
    assert js.row_count == 20 and xlsx.row_count == 20
