"""The ingest toolkit: what every parser of a table needs, and nothing else.

- `ParseError`: a problem in one cell, row or file of a table, with the file name, the row a
  spreadsheet shows (header = row 1) and the column; its message is translated.
- `reading`: the one way to attach the file name to the ParseErrors raised while reading it.
- `read_rows`: the one CSV row reader (BOM, stripping, ragged rows, spreadsheet row numbers).
- `cell_*`: cell parsers (text, finite numbers, whole numbers, years, codes, M49 codes).
- `Problems`: every problem of a table counted and the first few kept, for checks that report
  everything at once (contributors' uploads) rather than stop at the first ParseError.

Pure on purpose: no ORM, no settings, no models, so parsers built on it get fast unit tests and
can run anywhere. The one Django import is `django.utils.translation`, because parse errors
reach contributors (uploaded files) and are shown in English, French or Spanish; it lives here
rather than in a top-level package because `core` is already the root every app depends on
(as `core/charts/` is for chart specs), so the toolkit adds no edge to the app import graph.
"""

from sdg87.core.ingest.cells import (
    YEAR_MAX,
    YEAR_MIN,
    cell_code,
    cell_float,
    cell_int,
    cell_m49,
    cell_optional_float,
    cell_text,
    cell_year,
    shown,
)
from sdg87.core.ingest.errors import ParseError, location, reading
from sdg87.core.ingest.problems import Problems
from sdg87.core.ingest.rows import Row, read_rows

__all__ = [
    "YEAR_MAX",
    "YEAR_MIN",
    "ParseError",
    "Problems",
    "Row",
    "cell_code",
    "cell_float",
    "cell_int",
    "cell_m49",
    "cell_optional_float",
    "cell_text",
    "cell_year",
    "location",
    "read_rows",
    "reading",
    "shown",
]
