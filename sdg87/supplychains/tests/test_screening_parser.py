"""Reading sourcing lists: CSV, XLSX built here with openpyxl, and files that are refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from sdg87.supplychains.screening_parser import (
    ScreeningFileError,
    SourceRow,
    parse_sourcing_list,
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def workbook(tmp_path: Path, rows: list[list[object]], name: str = "list.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_csv_with_all_columns(tmp_path: Path) -> None:
    """Header names in any case; rows numbered as in the file; blank rows skipped."""
    path = write(
        tmp_path,
        "list.csv",
        "\ufeffProduct,Country of origin,Supplier,Quantity\n"
        "Cocoa beans,Côte d'Ivoire,Acme,1200.5\n"
        ",,,\n"
        "Bricks,IND,,\n",
    )
    parsed = parse_sourcing_list(path, "list.csv")
    assert parsed.format == "CSV"
    assert parsed.columns == {
        "good": "Product",
        "country": "Country of origin",
        "supplier": "Supplier",
        "volume": "Quantity",
    }
    assert parsed.rows == [
        SourceRow(2, "Cocoa beans", "Côte d'Ivoire", "Acme", 1200.5),
        SourceRow(4, "Bricks", "IND", "", None),
    ]


def test_xlsx(tmp_path: Path) -> None:
    """The first sheet of a workbook; numbers and empty cells read as text."""
    path = workbook(
        tmp_path, [["good", "country", "volume"], ["Cotton", "India", 30], ["Tea", None, None]]
    )
    parsed = parse_sourcing_list(path, "list.xlsx")
    assert parsed.format == "XLSX"
    assert parsed.rows == [SourceRow(2, "Cotton", "India", "", 30.0), SourceRow(3, "Tea", "")]


def test_xlsx_formula_is_not_computed(tmp_path: Path) -> None:
    """A formula cell is never computed: openpyxl reads the cached value (none here)."""
    path = workbook(tmp_path, [["good", "country"], ["=1+1", "India"]])
    assert parse_sourcing_list(path, "list.xlsx").rows == [SourceRow(2, "", "India")]


def test_formula_text_in_csv_is_kept_as_text(tmp_path: Path) -> None:
    """A CSV cell that looks like a formula is kept as text (made inert when written out)."""
    path = write(tmp_path, "list.csv", 'good,country\n"=HYPERLINK(""http://x"")",India\n')
    assert parse_sourcing_list(path, "list.csv").rows[0].good == '=HYPERLINK("http://x")'


def problems(path: Path, name: str, **limits: int) -> list[str]:
    with pytest.raises(ScreeningFileError) as caught:
        parse_sourcing_list(path, name, **limits)
    return caught.value.problems


def test_missing_country_column(tmp_path: Path) -> None:
    """Without a country column the file is refused, naming row 1 and the column."""
    found = problems(write(tmp_path, "a.csv", "good,supplier\nCocoa,Acme\n"), "a.csv")
    assert len(found) == 1
    assert "Row 1" in found[0] and "country" in found[0]


def test_bad_volume_names_row_and_column(tmp_path: Path) -> None:
    """Volumes must be finite non-negative numbers; each bad one is named."""
    path = write(
        tmp_path, "a.csv", "good,country,volume\nCocoa,CIV,12 t\nTea,IND,nan\nRice,IND,-1\n"
    )
    found = problems(path, "a.csv")
    assert len(found) == 3
    assert found[0].startswith("Row 2, column volume:")
    assert found[1].startswith("Row 3, column volume:")
    assert found[2].startswith("Row 4, column volume:")


def test_long_cell(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "a.csv", "good,country\n" + "x" * 201 + ",IND\n"), "a.csv")
    assert found == ["Row 2, column good: longer than 200 characters."]


def test_too_many_rows(tmp_path: Path) -> None:
    """More data rows than the limit: refused."""
    path = write(tmp_path, "a.csv", "good,country\n" + "Cocoa,CIV\n" * 6)
    assert "more than 5 rows" in problems(path, "a.csv", max_rows=5)[0]
    assert len(parse_sourcing_list(path, "a.csv", max_rows=6).rows) == 6


def test_too_many_columns(tmp_path: Path) -> None:
    header = ",".join(["good", "country"] + [f"c{i}" for i in range(30)])
    path = write(tmp_path, "a.csv", header + "\n")
    assert problems(path, "a.csv") == ["Row 1 has more than 20 columns."]


def test_too_big(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "good,country\n" + "Cocoa,CIV\n" * 200)
    assert "the limit is" in problems(path, "a.csv", max_bytes=1000)[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("list.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
        ("list.csv", b"<html><body>good,country</body></html>"),
        ("list.xlsx", b"good,country\nCocoa,CIV\n"),
        ("list.csv", b'[{"good": "Cocoa"}]'),
        ("list.csv", b"good,country\nCaf\xe9,CIV\n"),
        ("list.csv", b""),
        ("list.csv", b"good,country\n"),
    ],
)
def test_wrong_types_and_unreadable_files(tmp_path: Path, name: str, data: bytes) -> None:
    """Binary, HTML, a CSV named .xlsx, JSON, non-UTF-8, empty and header-only files."""
    assert problems(write(tmp_path, name, data), name)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    assert "ZIP" in problems(path, "list.xlsx")[0]
