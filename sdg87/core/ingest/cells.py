"""Cell parsers: a row's cell as a typed value, or a ParseError naming its row and column.

Each takes the row (as `read_rows` yields it), the column and the row number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

from sdg87.core.ingest.errors import ParseError

# Years of statistics: the bounds of every parser unless it states narrower ones.
YEAR_MIN, YEAR_MAX = 1800, 2100
SHOWN_CHARS = 40  # of a rejected cell, quoted in its message
_WHOLE = re.compile(r"[+-]?[0-9]+")


def shown(text: str) -> str:
    """A rejected cell as quoted in a message: cut to SHOWN_CHARS characters."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def cell_text(row: Mapping[str, str], column: str, line: int) -> str:
    """The cell's text, which must not be empty."""
    text = row.get(column, "")
    if not text:
        raise ParseError(_("empty cell"), row=line, column=column)
    return text


def cell_float(row: Mapping[str, str], column: str, line: int, *, thousands: bool = False) -> float:
    """A finite number ('nan', 'inf' and '1e400' are not). `thousands`: commas are thousands
    separators ('1,234.5'), as some publishers write them."""
    value = cell_optional_float(row, column, line, thousands=thousands)
    if value is None:
        raise ParseError(_("empty cell"), row=line, column=column)
    return value


def cell_optional_float(
    row: Mapping[str, str], column: str, line: int, *, thousands: bool = False
) -> float | None:
    """A finite number, or None for an empty cell."""
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = float(text.replace(",", "") if thousands else text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ParseError(
            _("'%(text)s' is not a number") % {"text": shown(text)}, row=line, column=column
        )
    return value


def cell_int(row: Mapping[str, str], column: str, line: int) -> int:
    """A whole number written with digits (and a sign)."""
    text = row.get(column, "")
    if not _WHOLE.fullmatch(text):
        raise ParseError(
            _("expected a whole number, got '%(text)s'") % {"text": shown(text)},
            row=line,
            column=column,
        )
    return int(text)


def cell_year(
    row: Mapping[str, str],
    column: str,
    line: int,
    *,
    first: int = YEAR_MIN,
    last: int = YEAR_MAX,
) -> int:
    """A year of four digits from `first` to `last`."""
    text = row.get(column, "")
    if not (len(text) == 4 and text.isascii() and text.isdigit() and first <= int(text) <= last):
        raise ParseError(
            _("'%(text)s' is not a year from %(first)s to %(last)s")
            % {"text": shown(text), "first": first, "last": last},
            row=line,
            column=column,
        )
    return int(text)


def cell_code[T](row: Mapping[str, str], column: str, line: int, mapping: Mapping[str, T]) -> T:
    """The value `mapping` gives the cell's label; an unknown label is an error."""
    text = row.get(column, "")
    if text not in mapping:
        raise ParseError(
            _("unknown %(column)s label '%(text)s'") % {"column": column, "text": shown(text)},
            row=line,
            column=column,
        )
    return mapping[text]


def cell_m49(row: Mapping[str, str], column: str, line: int, *, required: bool = True) -> str:
    """A UN M49 code as 3 zero-padded digits ('4' -> '004'); '' for an empty optional cell."""
    text = row.get(column, "")
    if not text:
        if required:
            raise ParseError(_("empty M49 code"), row=line, column=column)
        return ""
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        raise ParseError(
            _("invalid M49 code '%(text)s'") % {"text": shown(text)}, row=line, column=column
        )
    return text.zfill(3)
