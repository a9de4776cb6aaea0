"""Shared, ORM-free building blocks for the parsers: the row type and cell readers."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from sdg87.core.loading import ParseError

# UNSD labels -> SDMX codes (DESIGN.md, "Data conventions").
SEX_CODES = {
    "BOTHSEX": "_T",
    "FEMALE": "F",
    "MALE": "M",
    "_O": "_O",
    "_U": "_U",
}
AGE_CODES = {
    "5-17": "Y5T17",
    "5-14": "Y5T14",
    "5-11": "Y5T11",
    "10-17": "Y10T17",
    "6-17": "Y6T17",
    "7-17": "Y7T17",
    "10-14": "Y10T14",
    "10-13": "Y10T13",
    "12-14": "Y12T14",
    "15-17": "Y15T17",
    "<18Y": "Y_LT18",
    "18+": "Y_GE18",
    "ALLAGE": "_T",
    "_U": "_U",
    "20-24": "Y20T24",
}
NATURE_CODES = {"C", "CA", "E", "M", "N", "G", ""}


@dataclass(frozen=True)
class ObservationRow:
    """One parsed observation, still keyed by codes. `line` is the input row number.

    `geo` is an ISO3 code, an M49 code (digits) or a documented aggregate code (`ILO_AFRICA`).
    """

    series: str
    geo: str
    year: int
    value: float
    unit: str
    sex: str = "_T"
    age: str = "_T"
    nature: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    note: str = ""
    line: int | None = None


def read_rows(text: str, *, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (spreadsheet row number, row) from CSV text; the header is row 1.

    A missing required column raises ParseError on row 1; a row the csv module cannot read (a
    bare carriage return inside an unquoted field, a field over the csv field size limit)
    raises ParseError on that row, never csv.Error.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ParseError(_csv_problem(exc), row=1) from None
    header = [name.strip() for name in fieldnames or []]
    reader.fieldnames = header
    for name in required:
        if name not in header:
            raise ParseError(f"missing column '{name}'", row=1, column=name)
    rows = iter(reader)
    index = 1
    while True:
        index += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(_csv_problem(exc), row=index) from None
        yield index, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _csv_problem(exc: csv.Error) -> str:
    """A reader's csv.Error as a message for whoever fixes the file."""
    if "new-line character seen in unquoted field" in str(exc):
        return "a line break (carriage return) inside an unquoted field: quote the field"
    return f"not readable as CSV: {exc}"


def cell_float(row: dict[str, str], column: str, line: int) -> float:
    raw = row.get(column, "")
    try:
        value = float(raw.replace(",", "")) if raw else math.nan
    except ValueError:
        raise ParseError(f"'{raw}' is not a number", row=line, column=column) from None
    if math.isnan(value) or math.isinf(value):
        raise ParseError(f"'{raw}' is not a number", row=line, column=column)
    return value


def cell_year(row: dict[str, str], column: str, line: int) -> int:
    raw = row.get(column, "")
    if not (raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2100):
        raise ParseError(f"'{raw}' is not a year", row=line, column=column)
    return int(raw)


def cell_code(row: dict[str, str], column: str, line: int, mapping: dict[str, str]) -> str:
    raw = row.get(column, "")
    if raw not in mapping:
        raise ParseError(f"unknown {column} label '{raw}'", row=line, column=column)
    return mapping[raw]


def cell_required(row: dict[str, str], column: str, line: int) -> str:
    raw = row.get(column, "")
    if not raw:
        raise ParseError("empty cell", row=line, column=column)
    return raw
