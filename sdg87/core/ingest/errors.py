"""ParseError and the one way to name the file it happened in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _


def location(*, file: str | None, row: int | None, column: str | None) -> str:
    """'data/x.csv, row 7, column 'value'' (the parts that are known), translated."""
    parts = [file] if file else []
    if row is not None:
        parts.append(_("row %(row)s") % {"row": row})
    if column:
        parts.append(_("column '%(column)s'") % {"column": column})
    return ", ".join(parts)


class ParseError(ValueError):
    """A problem in one cell (or row, or header) of an input table.

    `message` is the problem alone, already translated (raise with `_("...%(name)s") % {...}`:
    named placeholders, so translators may reorder them); `row` is the row a spreadsheet shows
    (header = row 1); `file` is set by `reading` around the code that reads the file. `str()`
    gives the message with its location.
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        file: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.file = file

    def __str__(self) -> str:
        where = location(file=self.file, row=self.row, column=self.column)
        if not where:
            return self.message
        return _("%(where)s: %(problem)s") % {"where": where, "problem": self.message}


@contextmanager
def reading(file: str) -> Iterator[None]:
    """Name `file` (a path as the reader of the message knows it, e.g. relative to the data
    directory) in the ParseErrors raised inside the block, parser and service alike. An error
    that already names a file keeps it (a step reading several files nests blocks)."""
    try:
        yield
    except ParseError as exc:
        if exc.file is None:
            exc.file = file
        raise
