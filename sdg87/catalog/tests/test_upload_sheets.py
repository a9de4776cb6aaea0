"""Uploaded tables are read whole and within limits (pure code of sdg87.catalog.uploads; item 8
of issue 7): a workbook's declared dimension is never trusted, tables have a row limit and
workbooks an unpacked-size limit (zip bombs), and validation leaves no temporary file."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sdg87.catalog.uploads import UploadError, iter_rows, sniff_format, validate_table


def workbook(rows: int, *, declared: str | None = None, bad_last: bool = False) -> bytes:
    """A workbook with a header and `rows` data rows (geo, value). `declared` rewrites the
    sheet's <dimension ref> (a workbook may claim any size); `bad_last` puts text in the last
    value cell."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["geo", "value"])
    for i in range(rows):
        sheet.append(["KEN", "oops" if bad_last and i == rows - 1 else i])
    buf = io.BytesIO()
    book.save(buf)
    if declared is None:
        return buf.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(r"<dimension [^>]*/>", "", data.decode())
                text = text.replace("<sheetData>", f'<dimension ref="{declared}"/><sheetData>', 1)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """An 'xlsx' whose sheet is `unpacked` zero bytes, compressed to almost nothing."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * unpacked)
    return buf.getvalue()


def test_a_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    """A sheet declaring A1:B2 that holds 3,000 rows: every row is validated and counted, and
    the type error on the last one is reported at its spreadsheet row."""
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook(3000, declared="A1:B2", bad_last=True))
    assert openpyxl.load_workbook(path, read_only=True).worksheets[0].max_row == 2
    report = validate_table(path, "XLSX")
    assert report.row_count == 3000 and not report.valid
    assert [(e["row"], e["column"]) for e in report.errors] == [(3001, "value")]
    assert sum(1 for _ in iter_rows(path, "XLSX")) == 3001


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("t.xlsx", workbook(20, declared="A1:B2")),
        ("t.csv", b"a\n" + b"1\n" * 20),
        ("t.json", b"[" + b",".join([b'{"a": 1}'] * 20) + b"]"),
    ],
)
def test_tables_beyond_the_row_limit_are_refused(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    fmt = name.rsplit(".", 1)[1].upper()
    with pytest.raises(UploadError, match="more than 10 rows"):
        validate_table(path, fmt, max_rows=10)
    with pytest.raises(UploadError, match="more than 10 rows"):
        list(iter_rows(path, fmt, max_rows=10))
    assert validate_table(path, fmt, max_rows=21).row_count == 20


def test_a_zip_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    """2 MB of zeros compress to a few kilobytes; the declared sizes give the bomb away."""
    content = zip_bomb(2 * 1024 * 1024)
    assert len(content) < 20_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(content)
    with pytest.raises(UploadError, match="unpacks to"):
        sniff_format(content[:65536], "bomb.xlsx", path=path, max_uncompressed=1024 * 1024)
    assert sniff_format(content[:65536], "bomb.xlsx", path=path) == "XLSX"


def test_validation_leaves_no_temporary_file(tmp_path: Path, monkeypatch: Any) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook(5))
    validate_table(path, "XLSX")
    with pytest.raises(UploadError):
        validate_table(path, "XLSX", max_rows=2)
    assert list(scratch.iterdir()) == []
