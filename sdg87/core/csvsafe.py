"""CSV cells that spreadsheets will not run as formulas (OWASP "CSV injection").

Every CSV the platform writes passes its cells through `csv_cell` (or a row through
`csv_row`). A text cell starting with = + - @ TAB or CR gets a leading single quote, so
Excel, LibreOffice and Google Sheets show it as text. Numbers stay numbers: pass numeric
columns as int/float/Decimal (never pre-formatted strings) and a negative value is written
as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """`value` ready for csv.writer: numbers unchanged, None as "", text made inert."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_row(cells: Iterable[Any]) -> list[Any]:
    """Every cell of a row through `csv_cell`."""
    return [csv_cell(cell) for cell in cells]
