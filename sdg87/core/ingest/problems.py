"""Problems: every problem of a table counted, the first few kept to be shown.

A contributor fixes a file faster when told everything wrong with it at once: parsers that
check a whole table add each problem here instead of raising at the first one. The count is
exact whatever the number of problems; only `limit` of them are kept (a report stays small),
and the count per column says where the others are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sdg87.core.ingest.errors import ParseError


class Problems:
    """The problems of one table: `total` counted, the first `limit` kept in `kept` as
    {row, column, type, message} (row as a spreadsheet shows it, header = 1), `by_column`
    counting them per column ("" for the row or file as a whole).

    `skip` holds (row, column) places already reported by another check (e.g. a generic
    validator before the tidy-table check): a problem there is neither kept nor counted, so
    that one cell is never reported twice."""

    def __init__(self, *, limit: int, skip: Iterable[tuple[int | None, str | None]] = ()):
        self.limit = limit
        self.total = 0
        self.kept: list[dict[str, Any]] = []
        self.by_column: Counter[str] = Counter()
        self._skip = set(skip)

    def add(
        self, message: str, *, row: int | None, column: str | None, type: str = "mapping-error"
    ) -> None:
        if (row, column) in self._skip:
            return
        self.total += 1
        self.by_column[column or ""] += 1
        if len(self.kept) < self.limit:
            self.kept.append({"row": row, "column": column, "type": type, "message": message})

    def add_error(self, error: ParseError, *, type: str = "mapping-error") -> None:
        self.add(error.message, row=error.row, column=error.column, type=type)

    @property
    def more(self) -> int:
        """How many problems were counted but not kept."""
        return self.total - len(self.kept)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def first_error(self) -> ParseError | None:
        """The first problem as a ParseError (for callers that stop at one)."""
        if not self.kept:
            return None
        first = self.kept[0]
        return ParseError(first["message"], row=first["row"], column=first["column"])
