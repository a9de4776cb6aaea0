"""Reading a sourcing list (CSV or XLSX of good, country[, supplier, volume]): no ORM here.

The file is type-sniffed by its content (sdg87.catalog.uploads.sniff_format: the extension
must agree, HTML/XML/binary and ZIP archives other than workbooks are refused, a workbook's
unpacked size is bounded) and read as text cells (uploads.iter_rows: UTF-8 CSV, or the first
sheet of a workbook in openpyxl's read-only mode with cached values, so a formula is never
computed). Nothing in the file is ever executed. Bounds: MAX_BYTES, MAX_ROWS data rows,
MAX_COLUMNS columns, MAX_CELL_CHARS per cell. A file with any problem is refused as a whole,
each problem naming its row (the header is row 1) and column; up to MAX_ERRORS are listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from sdg87.catalog.uploads import UploadError, iter_rows, megabytes, sniff_format
from sdg87.geo.names import name_key

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 20
MAX_CELL_CHARS = 200
MAX_ERRORS = 20
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
FORMATS = ("CSV", "XLSX")

# Header names each column is recognised by (compared as sdg87.geo.names.name_key).
COLUMN_NAMES = {
    "good": ("good", "goods", "product", "commodity", "item", "produit", "producto", "bien"),
    "country": (
        "country",
        "country of origin",
        "origin",
        "sourcing country",
        "pays",
        "pais",
        "pays d origine",
        "pais de origen",
    ),
    "supplier": ("supplier", "supplier name", "vendor", "fournisseur", "proveedor"),
    "volume": ("volume", "quantity", "qty", "amount", "quantite", "cantidad"),
}
REQUIRED = ("good", "country")


class ScreeningFileError(UploadError):
    """The sourcing list is refused; `problems` lists what is wrong, each naming its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "")
        self.problems = problems


@dataclass(frozen=True)
class SourceRow:
    row: int  # in the file, the header being row 1
    good: str
    country: str
    supplier: str = ""
    volume: float | None = None


@dataclass(frozen=True)
class SourcingList:
    format: str
    columns: dict[str, str]  # role -> the header as written
    rows: list[SourceRow]


def sniff(path: Path, filename: str, *, max_bytes: int = MAX_BYTES) -> str:
    """CSV or XLSX, decided by the content; a ScreeningFileError for anything else."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ScreeningFileError(
            [
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": megabytes(size, round_up=True), "limit": megabytes(max_bytes)}
            ]
        )
    if size == 0:
        raise ScreeningFileError([_("The file is empty.")])
    with path.open("rb") as fh:
        head = fh.read(65536)
    try:
        fmt = sniff_format(head, filename, path=path, max_uncompressed=MAX_UNCOMPRESSED_BYTES)
    except UploadError as exc:
        raise ScreeningFileError([str(exc)]) from exc
    if fmt not in FORMATS:
        raise ScreeningFileError(
            [_("A sourcing list must be a CSV or XLSX file, not %(format)s.") % {"format": fmt}]
        )
    return fmt


def _roles(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        key = name_key(title)
        for role, names in COLUMN_NAMES.items():
            if key in names:
                if role in found:
                    problems.append(
                        _("Row 1, column %(column)s: a second %(role)s column.")
                        % {"column": index + 1, "role": role}
                    )
                found.setdefault(role, index)
    for role in REQUIRED:
        if role not in found:
            problems.append(
                _(
                    "Row 1: no %(role)s column. The header must name a good column and a "
                    "country column (for example: good, country, supplier, volume)."
                )
                % {"role": role}
            )
    return found, problems


def check_header(path: Path, fmt: str) -> None:
    """A ScreeningFileError unless the first row names a good and a country column (cheap:
    run while the upload request waits; the rows are read by the task)."""
    try:
        header = next(iter_rows(path, fmt), None)
    except UploadError as exc:
        raise ScreeningFileError([str(exc)]) from exc
    if header is None:
        raise ScreeningFileError([_("The file is empty.")])
    problems = _roles([c.strip() for c in header])[1]
    if problems:
        raise ScreeningFileError(problems)


def _volume(text: str) -> float | None:
    """A volume as a number, None when empty; ValueError when not a finite number >= 0."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def parse_sourcing_list(
    path: Path,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> SourcingList:
    """The rows of a sourcing list; a ScreeningFileError naming rows and columns otherwise.
    Entirely empty rows are skipped; empty good or country cells are kept (they screen as
    unmatched, with the reason)."""
    fmt = sniff(path, filename, max_bytes=max_bytes)
    problems: list[str] = []
    rows: list[SourceRow] = []
    columns: dict[str, str] = {}
    roles: dict[str, int] = {}
    header: list[str] = []

    def problem(text: str) -> None:
        problems.append(text)
        if len(problems) >= MAX_ERRORS:
            raise ScreeningFileError(problems)

    try:
        for number, cells in enumerate(iter_rows(path, fmt), start=1):
            if number > max_rows + 1:  # stop reading at once: the header is row 1
                raise ScreeningFileError(
                    [
                        _("The list has more than %(limit)s rows; split it into smaller files.")
                        % {"limit": max_rows}
                    ]
                )
            if len(cells) > max_columns and any(c.strip() for c in cells[max_columns:]):
                raise ScreeningFileError(
                    [
                        _("Row %(row)s has more than %(limit)s columns.")
                        % {"row": number, "limit": max_columns}
                    ]
                )
            if number == 1:
                header = [c.strip() for c in cells]
                roles, problems = _roles(header)
                if problems:
                    raise ScreeningFileError(problems)
                columns = {role: header[index] for role, index in roles.items()}
                continue
            if not any(c.strip() for c in cells):
                continue
            values: dict[str, str] = {}
            for role, index in roles.items():
                text = cells[index].strip() if index < len(cells) else ""
                if len(text) > MAX_CELL_CHARS:
                    problem(
                        _("Row %(row)s, column %(column)s: longer than %(limit)s characters.")
                        % {"row": number, "column": header[index], "limit": MAX_CELL_CHARS}
                    )
                values[role] = text
            volume = None
            if "volume" in roles:
                try:
                    volume = _volume(values["volume"])
                except ValueError:
                    problem(
                        _(
                            "Row %(row)s, column %(column)s: %(value)s is not a number "
                            "(write volumes as 1234.5, without units)."
                        )
                        % {
                            "row": number,
                            "column": header[roles["volume"]],
                            "value": values["volume"][:40],
                        }
                    )
            rows.append(
                SourceRow(
                    row=number,
                    good=values["good"],
                    country=values["country"],
                    supplier=values.get("supplier", ""),
                    volume=volume,
                )
            )
    except ScreeningFileError:
        raise
    except UploadError as exc:
        raise ScreeningFileError([*problems, str(exc)]) from exc
    if not header:
        raise ScreeningFileError([_("The file is empty.")])
    if problems:
        raise ScreeningFileError(problems)
    if not rows:
        raise ScreeningFileError([_("The list has a header but no rows.")])
    return SourcingList(format=fmt, columns=columns, rows=rows)
