"""Uploaded tabular files: type sniffing, frictionless validation, preview, row hashes and the
tidy-CSV -> observations mapping. No ORM here: these functions work on bytes and paths.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from sdg87.core.ingest import YEAR_MAX, YEAR_MIN, Problems, shown
from sdg87.core.jsonsafe import MAX_JSON_DEPTH, JsonTooComplex, loads_bounded
from sdg87.core.textsafe import NUL, bad_reason
from sdg87.indicators.services import ObservationRow
from sdg87.sdmx import ingest as sdmx_ingest

PREVIEW_ROWS = 20
# Problems of a file: all counted (the validator stops counting at MAX_COUNTED_ERRORS), the
# first MAX_REPORTED_ERRORS kept in its report, the first SHOWN_ERRORS listed on its page.
MAX_REPORTED_ERRORS = 200
MAX_COUNTED_ERRORS = 10_000
SHOWN_ERRORS = 50
# Defaults of settings.SDG87_UPLOAD_MAX_ROWS / SDG87_UPLOAD_MAX_UNCOMPRESSED_BYTES (the
# services pass the settings): rows of a table, and bytes an XLSX workbook unpacks to.
MAX_ROWS = 1_000_000
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MEDIA_TYPES = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    **sdmx_ingest.MEDIA_TYPES,  # SDMX data (SDMX-ML, SDMX-CSV, SDMX-JSON): see sdmx/ingest
}
EXTENSIONS = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON", "xml": "XML"}
SDMX_FORMATS = sdmx_ingest.FORMATS
SNIFF_BYTES = 65536  # of the start of a file, read to decide its format
# Longest cell of a CSV file: csv's default field_size_limit, checked here whatever limit the
# process has (frictionless raises it for the whole process once imported), so that a file
# reads the same in the web process and in the task worker.
MAX_CELL_CHARS = 131_072


MB = 1024 * 1024


def megabytes(size: int, *, round_up: bool = False) -> str:
    """`size` bytes in MB (of 1024 x 1024 bytes) as a contributor reads it, in the active
    language's number format: "25", "0.5", "31.4". `round_up` for the size of a file that is
    over a limit, so that it never reads as equal to the limit ("25.1", not "25")."""
    tenths = size * 10 / MB
    tenths = math.ceil(tenths) if round_up else round(tenths)
    if tenths == 0 and size > 0:
        tenths = 1  # a few bytes are "0.1 MB", not "0 MB"
    whole = tenths % 10 == 0
    return formats.number_format(tenths / 10, decimal_pos=0 if whole else 1)


class UploadError(ValueError):
    """The file cannot be accepted at all (wrong type, too big, unreadable)."""


@dataclass
class TableReport:
    """Outcome of validating one table. Row numbers count the header as row 1."""

    valid: bool
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    header: list[str] = field(default_factory=list)
    preview: list[list[Any]] = field(default_factory=list)
    row_count: int = 0
    fields: list[dict[str, str]] = field(default_factory=list)
    # errors per column ("" for a row or the file), counted over all errors, not only those kept
    error_columns: dict[str, int] = field(default_factory=dict)
    # the validator stopped counting at MAX_COUNTED_ERRORS: there are at least error_count
    error_count_capped: bool = False
    # (row, column) of every error counted, so that a later check does not report them again
    error_places: set[tuple[int | None, str | None]] = field(default_factory=set)

    def to_report(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "error_count": self.error_count,
            "error_count_capped": self.error_count_capped,
            "error_columns": self.error_columns,
            "errors": self.errors,
            "row_count": self.row_count,
            "fields": self.fields,
        }


def sniff_format(
    head: bytes,
    filename: str = "",
    *,
    path: Path | None = None,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    sdmx: bool = False,
) -> str:
    """Decide CSV, XLSX or JSON from the content; the extension only has to agree with it.
    With `sdmx`, SDMX data is recognised too (SDMX-ML, SDMX-CSV, SDMX-JSON: sdmx.ingest.sniff,
    which refuses an XML file declaring a DOCTYPE); a file with a .csv, .json or .xml name then
    only has to be of that container.

    `head` is the start of the file (a few kilobytes); a ZIP archive is read from `path` (the
    whole file) when given, else from `head`. A workbook whose members unpack to more than
    `max_uncompressed` bytes is refused (a zip bomb): zipfile never inflates a member beyond
    its declared size, so the declared sizes bound what reading the workbook can cost. Text
    must be UTF-8 as far as it is sniffed: only a character cut off where the sample ends is
    let through, when the file goes on (the rest is checked when the file is read).
    """
    ext_format = EXTENSIONS.get(Path(filename).suffix.lower().lstrip("."))
    if ext_format == "XML" and not sdmx:
        ext_format = None  # .xml only says something where SDMX-ML is accepted
    if head.startswith(b"PK\x03\x04"):
        _check_workbook_archive(path if path is not None else io.BytesIO(head), max_uncompressed)
        detected = "XLSX"
    elif b"\x00" in head[:8192]:
        raise UploadError(_("Binary files are not accepted: upload CSV, XLSX or JSON."))
    else:
        sample = head[:SNIFF_BYTES]
        size = path.stat().st_size if path is not None else len(head)
        # the sample is cut only if the file goes on (or, without the file, fills the sample)
        cut = size > len(sample) or (path is None and len(sample) == SNIFF_BYTES)
        text = _decode(sample, partial=cut).lstrip("\ufeff \t\r\n")
        found = None
        if sdmx:
            try:
                found = sdmx_ingest.sniff(sample, text)
            except sdmx_ingest.SdmxError as exc:
                raise UploadError(str(exc)) from exc
        if found is not None:
            detected = found
        elif text[:1] in ("[", "{"):
            detected = "JSON"
        elif text.lower().startswith(("<!doctype", "<html", "<?xml", "<svg", "<script")):
            raise UploadError(
                _("HTML, XML and SVG files are not accepted: upload CSV, XLSX or JSON.")
            )
        else:
            detected = "CSV"
    if ext_format and ext_format != sdmx_ingest.CONTAINER.get(detected, detected):
        raise UploadError(
            _(
                "The file name says %(named)s but the content is %(found)s; "
                "rename the file or upload the right one."
            )
            % {"named": ext_format, "found": detected}
        )
    return detected


def _check_workbook_archive(source: Path | io.BytesIO, max_uncompressed: int) -> None:
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(_("The file looks like a ZIP archive but cannot be read.")) from exc
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise UploadError(_("ZIP archives other than Excel workbooks (.xlsx) are not accepted."))
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_uncompressed:
        raise UploadError(
            _(
                "The workbook unpacks to %(size)s MB; the limit is %(limit)s MB. "
                "Save it as CSV, or split it."
            )
            % {
                "size": megabytes(unpacked, round_up=True),
                "limit": megabytes(max_uncompressed),
            }
        )


def check_field_types(types: Mapping[str, str]) -> None:
    """UploadError unless frictionless knows every type ({column: type})."""
    from frictionless import FrictionlessException, Schema

    try:
        Schema.from_descriptor({"fields": [{"name": n, "type": t} for n, t in types.items()]})
    except FrictionlessException as exc:
        raise UploadError(str(exc.error.message)) from exc


def precheck(path: Path, fmt: str) -> None:
    """Checks cheap enough to run while the upload request waits (the full validation runs
    in the task worker): a JSON file must parse as a table (within the nesting bound)."""
    if fmt == "JSON":
        _json_rows(path)
    elif fmt in SDMX_FORMATS:
        # the whole file must read as SDMX (well-formed, shaped so); its values are checked
        # with the validation
        _sdmx_read(path, fmt, default_series="", problems=Problems(limit=0))


def _decode(data: bytes, *, partial: bool = False) -> str:
    """`data` as UTF-8 text (a BOM dropped). `partial`: data is the start of a longer file, so
    an incomplete character at its very end is left out; any other bad byte is an error."""
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=not partial)
    except UnicodeDecodeError as exc:
        raise UploadError(
            _("The file is not UTF-8 text (byte %(byte)s): save it as UTF-8 CSV.")
            % {"byte": exc.start}
        ) from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _json_rows(path: Path) -> list[list[Any]]:
    """A JSON table: an array of objects, or an array of arrays whose first row is the header."""
    text = _decode(path.read_bytes())
    try:
        # depth checked before parsing: json.loads recurses once per level
        data = loads_bounded(text, max_bytes=len(text))
    except JsonTooComplex as exc:
        raise UploadError(
            _("JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
        ) from exc
    except json.JSONDecodeError as exc:
        raise UploadError(
            _("Invalid JSON at line %(line)s, column %(col)s.")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    if isinstance(data, dict):
        # {"data": [...]} or {"rows": [...]} wrappers are common exports
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not data:
        raise UploadError(_("JSON must be a non-empty array of objects or of arrays."))
    if all(isinstance(item, dict) for item in data):
        header: list[str] = []
        for item in data:
            header += [k for k in item if k not in header]
        rows = [header] + [[_scalar(item.get(k)) for k in header] for item in data]
    elif all(isinstance(item, list) for item in data):
        rows = [[_scalar(c) for c in row] for row in data]
    else:
        raise UploadError(_("JSON must be an array of objects or an array of arrays, not a mix."))
    _check_json_text(rows)
    return rows


def _check_json_text(rows: list[list[Any]]) -> None:
    """UploadError naming the row and column of the first text cell that no database can
    store: a lone surrogate (JSON's "\\ud800" escape, which is not Unicode text) or a NUL."""
    header = rows[0]
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            reason = bad_reason(cell) if isinstance(cell, str) else None
            if reason is None:
                continue
            raise UploadError(
                (
                    _("Row %(row)s, column %(column)s: the text holds a NUL character.")
                    if reason == NUL
                    else _(
                        "Row %(row)s, column %(column)s: the text holds an invalid character "
                        "(a lone surrogate escape such as \\ud800); correct or remove it."
                    )
                )
                % {"row": number, "column": _column_name(header, index)}
            )


def _scalar(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (dict, list)) else value


# Column types: a column gets a type (integer, number, date, ...) when at most one in ten of its
# non-empty cells in the first INFERENCE_ROWS rows does not read as that type; those cells are then
# reported as type errors. frictionless alone always falls back to text as soon as one cell is not
# a number (text matches every cell, so it reaches the confidence first), which hid such errors.
INFERENCE_ROWS = 100
TYPE_CONFIDENCE = 0.8  # (matches - mismatches) >= 0.8 * non-empty cells, i.e. <= 10% mismatches


def _table_resource(path: Path, fmt: str, schema: Any = None) -> Any:
    from frictionless import Detector
    from frictionless.resources import TableResource

    detector = Detector(sample_size=INFERENCE_ROWS)
    options: dict[str, Any] = {"detector": detector}
    if schema is not None:
        options["schema"] = schema
    if fmt == "JSON":
        return TableResource(data=_json_rows(path), **options)
    # frictionless refuses absolute paths unless given a base directory
    return TableResource(path=path.name, basepath=str(path.parent), format=fmt.lower(), **options)


def _infer_schema(path: Path, fmt: str, types: Mapping[str, str] | None) -> Any:
    """The table's schema: tolerant type inference (see TYPE_CONFIDENCE), then the types the
    contributor chose in the data dictionary. None if the table cannot even be opened (the
    validation then reports why)."""
    from frictionless import Detector, FrictionlessException, Schema, system
    from frictionless.fields import AnyField

    try:
        with _table_resource(path, fmt) as resource:
            labels = list(resource.labels)
            fragment = resource.fragment
            plain = resource.schema  # frictionless' own inference: text wins on any doubt
    except FrictionlessException:
        return None
    candidates = [c for c in system.detect_field_candidates() if c.get("type") != "string"]
    tolerant = Detector(field_confidence=TYPE_CONFIDENCE).detect_schema(
        fragment, labels=labels, field_candidates=candidates
    )
    fields = []
    for guess, fallback in zip(tolerant.fields, plain.fields, strict=False):
        # no type fits most cells: keep frictionless' answer (text, or 'any' when all empty)
        field = fallback if isinstance(guess, AnyField) else guess
        chosen = (types or {}).get(field.name)
        descriptor = {"name": field.name, "type": field.type}
        if chosen and chosen != field.type:
            descriptor["type"] = chosen
        fields.append(descriptor)
    try:
        return Schema.from_descriptor({"fields": fields})
    except FrictionlessException as exc:
        raise UploadError(str(exc.error.message)) from exc


def validate_table(
    path: Path, fmt: str, types: Mapping[str, str] | None = None, *, max_rows: int = MAX_ROWS
) -> TableReport:
    """Validate with frictionless against the inferred schema; collect errors by row and column,
    the header, the first rows for the preview and the fields (a draft dictionary).

    `types` ({column name: frictionless type}, from the data dictionary) overrides the inferred
    type of those columns, so a cell that does not read as the chosen type is an error.

    Every row is read, whatever a workbook declares its dimension to be: an XLSX sheet is
    first written out as CSV from its actual rows (in a temporary directory, always removed),
    and that is what frictionless validates. More than `max_rows` rows is an UploadError.
    SDMX data is validated by its reader instead (`_sdmx_validate`)."""
    if fmt in SDMX_FORMATS:
        return _sdmx_validate(path, fmt, max_rows=max_rows)
    with tempfile.TemporaryDirectory(prefix="sdg87-validate-") as tmp:
        if fmt == "XLSX":
            table = Path(tmp) / "sheet.csv"
            with table.open("w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerows(_xlsx_rows(path, max_rows=max_rows))
            return _validate(table, "CSV", types)
        for _row in _limited(iter_rows(path, fmt), max_rows):
            pass
        return _validate(path, fmt, types)


def _validate(path: Path, fmt: str, types: Mapping[str, str] | None) -> TableReport:
    from frictionless import FrictionlessException

    schema = _infer_schema(path, fmt, types)
    try:
        resource = _table_resource(path, fmt, schema)
        report = resource.validate(limit_errors=MAX_COUNTED_ERRORS)
    except FrictionlessException as exc:
        raise UploadError(str(exc.error.message)) from exc
    problems = Problems(limit=MAX_REPORTED_ERRORS)
    places: set[tuple[int | None, str | None]] = set()
    for row_number, field_number, field_name, error_type, message in report.flatten(
        ["rowNumber", "fieldNumber", "fieldName", "type", "message"]
    ):
        column = field_name or (f"#{field_number}" if field_number else None)
        problems.add(message, row=row_number, column=column, type=error_type)
        places.add((row_number, column))
    out = TableReport(
        valid=report.valid,
        errors=problems.kept,
        error_count=problems.total,
        error_columns=dict(problems.by_column),
        error_count_capped=problems.total >= MAX_COUNTED_ERRORS,
        error_places=places,
    )
    try:
        resource = _table_resource(path, fmt, schema)
        with resource:
            out.header = [str(h) for h in resource.header]
            out.fields = [
                {"name": f.name, "type": f.type, "description": ""} for f in resource.schema.fields
            ]
            names = resource.schema.field_names
            count = 0
            for row in resource.row_stream:
                count += 1
                if count <= PREVIEW_ROWS:
                    values = row.to_list()
                    # a cell that is not of its column's type is shown as written
                    for name, source in row.error_cells.items():
                        if name in names and names.index(name) < len(values):
                            values[names.index(name)] = source
                    out.preview.append([_json_safe(c) for c in values])
            out.row_count = count
    except FrictionlessException:
        # a table too broken to read: the validation errors above say why
        out.valid = False
    return out


def _json_safe(value: Any) -> Any:
    """A preview cell as strict JSON: NaN and infinities (which JSON cannot hold, and
    PostgreSQL's jsonb refuses) are shown as text, like every other non-scalar."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def iter_rows(path: Path, fmt: str, *, max_rows: int | None = None) -> Iterator[list[str]]:
    """All rows (header first) as text cells, without type conversion; an UploadError past
    `max_rows` rows (header included)."""
    if fmt == "CSV":
        yield from _limited(_csv_rows(path), max_rows)
    elif fmt == "JSON":
        for row in _limited(iter(_json_rows(path)), max_rows):
            yield ["" if c is None else str(c) for c in row]
    elif fmt == "XLSX":
        yield from _xlsx_rows(path, max_rows=max_rows)
    elif fmt in SDMX_FORMATS:
        yield from _sdmx_table(path, fmt, max_rows=max_rows)
    else:
        raise UploadError(_("Not a tabular format: %(format)s") % {"format": fmt})


def _csv_rows(path: Path) -> Iterator[list[str]]:
    """The rows of a CSV file; an UploadError naming the row (header = 1), and the column
    where known, for a byte that is not UTF-8, a NUL, a cell over MAX_CELL_CHARS or a row the
    csv module cannot read. Bytes that are not UTF-8 are read as lone surrogates
    (surrogateescape) so that the cell holding them is found."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        header: list[str] = []
        number = 0
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise _long_cell(number) from exc
                raise UploadError(
                    _("Row %(row)s cannot be read as CSV: %(error)s")
                    % {"row": number, "error": exc}
                ) from exc
            header = header or row
            for index, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS:
                    raise _long_cell(number)
                reason = bad_reason(cell)
                if reason is not None:
                    raise UploadError(
                        (
                            _("Row %(row)s, column %(column)s holds a NUL character.")
                            if reason == NUL
                            else _(
                                "Row %(row)s, column %(column)s is not UTF-8 text: "
                                "save the file as UTF-8 CSV."
                            )
                        )
                        % {"row": number, "column": _column_name(header, index)}
                    )
            yield row


def _column_name(header: list[Any], index: int) -> str:
    """A column as the contributor knows it: its header, or #n (from 1) when it has none."""
    name = header[index] if index < len(header) else None
    if isinstance(name, str) and name.strip() and bad_reason(name) is None:
        return shown(name)
    return "#%s" % (index + 1)


def _long_cell(row: int) -> UploadError:
    """The same message whether csv's process-wide limit or MAX_CELL_CHARS caught the cell."""
    return UploadError(
        _("Row %(row)s has a cell longer than %(limit)s characters.")
        % {"row": row, "limit": MAX_CELL_CHARS}
    )


def _limited(rows: Iterator[list[Any]], max_rows: int | None) -> Iterator[list[Any]]:
    for count, row in enumerate(rows, start=1):
        if max_rows is not None and count > max_rows:
            raise UploadError(
                _("The table has more than %(limit)s rows; split it into smaller files.")
                % {"limit": max_rows}
            )
        yield row


def _xlsx_rows(path: Path, *, max_rows: int | None = None) -> Iterator[list[str]]:
    """The first sheet's rows as text, read to the end of the sheet: the dimension a workbook
    declares (`<dimension ref="A1:B2"/>`) can be a lie, so it is never trusted. Rows are as
    wide as the header; non-empty cells beyond it are kept (and reported as extra cells)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise UploadError(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc
    try:
        if not workbook.worksheets:
            raise UploadError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        width = None
        for values in _limited(sheet.iter_rows(values_only=True), max_rows):
            cells = [_xlsx_text(c) for c in values]
            while cells and not cells[-1] and (width is None or len(cells) > width):
                cells.pop()
            if width is None:
                width = len(cells)
            yield cells + [""] * (width - len(cells))
    finally:
        workbook.close()


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):  # dates and times as ISO 8601, which frictionless reads
        return str(value.isoformat())
    return str(value)


def row_hashes(rows: Iterator[list[str]], key_column: str = "") -> tuple[str, dict[str, str]]:
    """Summarise a table for 'what changed': ({key: hash of the whole row}, the key used).

    Rows are matched by `key_column` (or the first column). If that column is not unique, rows
    are matched by their whole-row hash instead (key ""): changes then show as one removal plus
    one addition, never as a change.
    """
    header = next(rows, None)
    if not header:
        return "", {}
    index = header.index(key_column) if key_column in header else 0
    by_key: dict[str, str] = {}
    whole: dict[str, str] = {}
    unique = True
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        digest = hashlib.sha256("\x1f".join(row).encode()).hexdigest()[:16]
        whole[digest] = digest
        key = row[index] if index < len(row) else ""
        if key in by_key:
            unique = False
        by_key[key] = digest
    if unique:
        return header[index], by_key
    return "", whole


# --- tidy CSV -> observations -----------------------------------------------------------------

TIDY_REQUIRED = ("geo", "year", "value", "unit")
TIDY_OPTIONAL = ("series", "sex", "age", "nature", "note")
GEO_ALIASES = ("geo", "iso3", "m49", "geography", "country")
# Years of statistics: the same bounds as the bundled-data parsers (the ingest toolkit's).
TIDY_YEAR_MIN, TIDY_YEAR_MAX = YEAR_MIN, YEAR_MAX
# Longest text per column: the database fields the values end up in (Geography.code,
# Observation.unit/sex/age/nature/note, Series.code before the organisation prefix). A test
# keeps these equal to the models' max_length.
TIDY_MAX_LENGTH = {
    "geo": 24,
    "unit": 40,
    "sex": 3,
    "age": 8,
    "nature": 2,
    "note": 500,
    "series": 64,
}


def _finite(text: str) -> float | None:
    """The number a cell holds if it is a finite number, else None. float() reads 'inf',
    '-Infinity', 'nan' and '1e400' (= inf) in any case: none of them is a value."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def tidy_rows_check(
    rows: Iterator[list[str]], *, default_series: str, problems: Problems
) -> list[ObservationRow]:
    """Read a tidy table (series?, geo, year, value, sex?, age?, unit, nature?, note?) into
    ObservationRows, adding every problem to `problems` (the header is row 1): a value that is
    not a finite number, a year that is not a whole number within TIDY_YEAR_MIN..TIDY_YEAR_MAX,
    a text longer than its database field, a missing column or cell. Every row is read, and
    every problem of every row counted. Returns the rows without a problem (so that the
    database checks can go on with them); a caller imports nothing unless `problems` is empty.
    Pure: codes (geography, series owner, SDMX sex/age/nature) are checked elsewhere.
    """

    found = 0  # problems seen, counted here too: `problems` may skip a place already reported

    def problem(message: str, row: int, column: str | None) -> None:
        nonlocal found
        found += 1
        problems.add(message, row=row, column=column)

    header = next(rows, None)
    if not header:
        problem(_("the table is empty"), 1, None)
        return []
    names = [h.strip().lower() for h in header]
    geo_col = next((a for a in GEO_ALIASES if a in names), None)
    missing = False
    if geo_col is None:
        problem(_("missing column 'geo' (ISO3 or M49 code)"), 1, "geo")
        missing = True
    for required in ("year", "value", "unit"):
        if required not in names:
            problem(_("missing column '%(column)s'") % {"column": required}, 1, required)
            missing = True
    if missing:
        return []
    assert geo_col is not None
    idx: dict[str, int] = {}
    for i, name in enumerate(names):
        idx.setdefault(name, i)
    out: list[ObservationRow] = []
    data_rows = 0
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        data_rows += 1
        before = found

        def cell(name: str, row: list[str] = row) -> str:
            i = idx.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        for name, limit in TIDY_MAX_LENGTH.items():
            column = geo_col if name == "geo" else name
            if len(cell(column)) > limit:
                problem(
                    _("'%(text)s' is too long: at most %(limit)s characters")
                    % {"text": shown(cell(column)), "limit": limit},
                    line,
                    column,
                )
        geo = cell(geo_col)
        if not geo:
            problem(_("empty geography code"), line, geo_col)
        year_text = cell("year")
        year_number = _finite(year_text)
        year = 0
        if year_number is None or year_number != int(year_number):
            problem(
                _("year '%(year)s' is not a whole number") % {"year": shown(year_text)},
                line,
                "year",
            )
        else:
            year = int(year_number)
            if not TIDY_YEAR_MIN <= year <= TIDY_YEAR_MAX:
                problem(
                    _("year %(year)s is out of range (%(min)s to %(max)s)")
                    % {"year": shown(year_text), "min": TIDY_YEAR_MIN, "max": TIDY_YEAR_MAX},
                    line,
                    "year",
                )
        value_text = cell("value")
        value = _finite(value_text)
        if value is None:
            problem(
                _("value '%(value)s' is not a finite number") % {"value": shown(value_text)},
                line,
                "value",
            )
        unit = cell("unit")
        if not unit:
            problem(_("empty unit"), line, "unit")
        if found > before or value is None:
            continue
        out.append(
            ObservationRow(
                series=cell("series") or default_series,
                geo=geo,
                year=year,
                value=value,
                unit=unit.upper(),
                sex=cell("sex") or "_T",
                age=cell("age") or "_T",
                nature=cell("nature"),
                note=cell("note"),
                line=line,
            )
        )
    if not data_rows:
        problem(_("the table has no data rows"), 2, None)
    return out


def check_tidy_rows(
    rows: Iterator[list[str]], *, default_series: str, max_errors: int = MAX_REPORTED_ERRORS
) -> tuple[list[ObservationRow], list[dict[str, Any]]]:
    """tidy_rows_check with its first `max_errors` problems ({row, column, type, message});
    the rows only when there is no problem."""
    problems = Problems(limit=max_errors)
    out = tidy_rows_check(rows, default_series=default_series, problems=problems)
    return ([] if problems else out), problems.kept


def parse_tidy_rows(rows: Iterator[list[str]], *, default_series: str) -> list[ObservationRow]:
    """check_tidy_rows for callers that stop at the first problem: raises ParseError naming
    its spreadsheet row (header = 1) and column."""
    problems = Problems(limit=1)
    out = tidy_rows_check(rows, default_series=default_series, problems=problems)
    error = problems.first_error()
    if error is not None:
        raise error
    return out


@dataclass
class ErrorSummary:
    """A file's problems as its page lists them: the first SHOWN_ERRORS, how many more there
    are, and how many per column (most first)."""

    shown: list[dict[str, Any]]
    total: int
    more: int
    capped: bool  # counting stopped: there are at least `total`
    columns: list[tuple[str, int]]


def error_summary(
    errors: list[dict[str, Any]],
    *,
    total: int | None = None,
    columns: Mapping[str, int] | None = None,
    capped: bool = False,
    shown: int = SHOWN_ERRORS,
) -> ErrorSummary:
    """`errors` (those kept in a report) as listed on a page; `total` counts them all."""
    count = max(total if total is not None else 0, len(errors))
    listed = errors[:shown]
    by_column = sorted((columns or {}).items(), key=lambda item: (-item[1], item[0]))
    return ErrorSummary(
        shown=listed,
        total=count,
        more=count - len(listed),
        capped=capped,
        columns=by_column,
    )


# --- SDMX data -> observations (sdg87.sdmx.ingest) ---------------------------------------------

# SDMX data as a table (preview, 'what changed', disclosure control): one row per observation
# that maps, keyed by its SDMX key (SERIES/REF_AREA/TIME_PERIOD/SEX/AGE as written).
SDMX_TABLE_HEADER = [
    "key",
    "series",
    "geo",
    "year",
    "value",
    "unit",
    "sex",
    "age",
    "nature",
    "dimensions",
    "note",
]
_SDMX_TABLE_TYPES = {"year": "integer", "value": "number"}


def _sdmx_read(
    path: Path,
    fmt: str,
    *,
    default_series: str,
    problems: Problems,
    max_rows: int | None = None,
) -> sdmx_ingest.Parsed:
    try:
        return sdmx_ingest.read(
            path, fmt, default_series=default_series, problems=problems, max_observations=max_rows
        )
    except sdmx_ingest.SdmxError as exc:
        raise UploadError(str(exc)) from exc


def _sdmx_rows(parsed: sdmx_ingest.Parsed) -> Iterator[list[str]]:
    yield list(SDMX_TABLE_HEADER)
    for key, row in zip(parsed.keys, parsed.rows, strict=True):
        dims = "|".join(f"{k}={v}" for k, v in sorted(row.dimensions.items()))
        yield [
            key,
            row.series,
            row.geo,
            str(row.year),
            repr(row.value),
            row.unit,
            row.sex,
            row.age,
            row.nature,
            dims,
            row.note,
        ]


def _sdmx_table(path: Path, fmt: str, *, max_rows: int | None) -> Iterator[list[str]]:
    parsed = _sdmx_read(path, fmt, default_series="", problems=Problems(limit=0), max_rows=max_rows)
    yield from _sdmx_rows(parsed)


class _PlacedProblems(Problems):
    """Problems that also remember the place of each one counted (not only those kept), so
    that the statistics check does not count them again (TableReport.error_places)."""

    def __init__(self, *, limit: int):
        super().__init__(limit=limit)
        self.places: set[tuple[int | None, str | None]] = set()

    def add(
        self, message: str, *, row: int | None, column: str | None, type: str = "mapping-error"
    ) -> None:
        self.places.add((row, column))
        super().add(message, row=row, column=column, type=type)


def _sdmx_validate(path: Path, fmt: str, *, max_rows: int) -> TableReport:
    """The report of an SDMX file: every problem its reader finds (by observation key and
    line), its observations as a table (SDMX_TABLE_HEADER) for the preview."""
    problems = _PlacedProblems(limit=MAX_REPORTED_ERRORS)
    parsed = _sdmx_read(path, fmt, default_series="", problems=problems, max_rows=max_rows)
    places = problems.places
    rows = _sdmx_rows(parsed)
    header = next(rows)
    return TableReport(
        valid=not problems,
        errors=problems.kept,
        error_count=problems.total,
        error_columns=dict(problems.by_column),
        error_count_capped=problems.total >= MAX_COUNTED_ERRORS,
        error_places=places,
        header=header,
        preview=[r for _i, r in zip(range(PREVIEW_ROWS), rows, strict=False)],
        row_count=len(parsed.rows),
        fields=[
            {"name": n, "type": _SDMX_TABLE_TYPES.get(n, "string"), "description": ""}
            for n in header
        ],
    )


def observation_rows_check(
    path: Path,
    fmt: str,
    *,
    default_series: str,
    problems: Problems,
    max_rows: int | None = None,
) -> tuple[list[ObservationRow], list[str]]:
    """The observations a tidy table (tidy_rows_check) or SDMX data (sdmx.ingest) maps to,
    every problem added to `problems`, and for each row a label to name it by in later
    problems: its SDMX key (SERIES/REF_AREA/TIME_PERIOD/SEX/AGE), "" for a tidy table, whose
    rows are named by their row number alone."""
    if fmt in SDMX_FORMATS:
        parsed = _sdmx_read(
            path, fmt, default_series=default_series, problems=problems, max_rows=max_rows
        )
        return parsed.rows, parsed.keys
    rows = tidy_rows_check(
        iter_rows(path, fmt, max_rows=max_rows), default_series=default_series, problems=problems
    )
    return rows, [""] * len(rows)


def parse_observation_rows(path: Path, fmt: str, *, default_series: str) -> list[ObservationRow]:
    """observation_rows_check for callers that stop at the first problem (ParseError)."""
    problems = Problems(limit=1)
    rows, _keys = observation_rows_check(
        path, fmt, default_series=default_series, problems=problems
    )
    error = problems.first_error()
    if error is not None:
        raise error
    return rows
