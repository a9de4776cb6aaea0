"""The one CSV row reader of the bundled-data parsers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from sdg87.core.ingest.errors import ParseError

Row = dict[str, str]
BOM = "\ufeff"


def read_rows(
    source: str | Iterable[str], *, required: Iterable[str] = ()
) -> Iterator[tuple[int, Row]]:
    """Yield (spreadsheet row number, {column: stripped cell}) for each data row of a CSV with
    a header; the header is row 1, and every record counts (a blank line too, as a spreadsheet
    shows it, though it yields nothing).

    `source` is the text, or lines (an open file: open it with newline="" so that line breaks
    inside quoted cells survive). A byte-order mark is dropped; header names and cells are
    stripped. ParseError, never csv.Error: on row 1 for missing `required` columns or a
    repeated column name; on its row for a row with more or fewer cells than the header, or a
    record the csv module cannot read (a bare carriage return in an unquoted cell, a cell over
    the csv field size limit).
    """
    lines = io.StringIO(source) if isinstance(source, str) else source
    reader = csv.reader(lines)
    number = 0

    def next_record() -> list[str] | None:
        nonlocal number
        number += 1
        try:
            return next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise ParseError(_csv_problem(exc), row=number) from None

    record = next_record()
    header = [cell.strip() for cell in record or []]
    if header:
        header[0] = header[0].lstrip(BOM).strip()
    missing = [name for name in required if name not in header]
    if missing:
        raise ParseError(
            _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)},
            row=1,
            column=missing[0],
        )
    repeated = next((name for i, name in enumerate(header) if name in header[:i]), None)
    if repeated is not None:
        raise ParseError(
            _("the column '%(column)s' appears twice") % {"column": repeated},
            row=1,
            column=repeated,
        )
    while (record := next_record()) is not None:
        if not record:
            continue  # a blank line
        if len(record) != len(header):
            raise ParseError(
                _("%(found)s cells where the header has %(expected)s")
                % {"found": len(record), "expected": len(header)},
                row=number,
            )
        yield number, {name: cell.strip() for name, cell in zip(header, record, strict=True)}


def _csv_problem(exc: csv.Error) -> str:
    """A reader's csv.Error as a message for whoever fixes the file."""
    if "new-line character seen in unquoted field" in str(exc):
        return _("a line break (carriage return) inside an unquoted field: quote the field")
    return _("not readable as CSV: %(error)s") % {"error": exc}
