"""Uploaded tabular files: type sniffing, frictionless validation, preview, row hashes and the
tidy-CSV -> observations mapping. No ORM here: these functions work on bytes and paths.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sdg87.core.loading import ParseError
from sdg87.indicators.services import ObservationRow

PREVIEW_ROWS = 20
MAX_REPORTED_ERRORS = 200
MEDIA_TYPES = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
}
EXTENSIONS = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}


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

    def to_report(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "error_count": self.error_count,
            "errors": self.errors,
            "row_count": self.row_count,
            "fields": self.fields,
        }


def sniff_format(head: bytes, filename: str = "") -> str:
    """Decide CSV, XLSX or JSON from the content; the extension only has to agree with it.

    `head` is the start of the file (a few kilobytes; the whole file for XLSX checks).
    """
    ext_format = EXTENSIONS.get(Path(filename).suffix.lower().lstrip("."))
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(head)).namelist()
        except zipfile.BadZipFile as exc:
            raise UploadError(_("The file looks like a ZIP archive but cannot be read.")) from exc
        if "xl/workbook.xml" not in names:
            raise UploadError(
                _("ZIP archives other than Excel workbooks (.xlsx) are not accepted.")
            )
        detected = "XLSX"
    elif b"\x00" in head[:8192]:
        raise UploadError(_("Binary files are not accepted: upload CSV, XLSX or JSON."))
    else:
        text = _decode(head[:65536], partial=True).lstrip("\ufeff \t\r\n")
        if text[:1] in ("[", "{"):
            detected = "JSON"
        elif text.lower().startswith(("<!doctype", "<html", "<?xml", "<svg", "<script")):
            raise UploadError(
                _("HTML, XML and SVG files are not accepted: upload CSV, XLSX or JSON.")
            )
        else:
            detected = "CSV"
    if ext_format and ext_format != detected:
        raise UploadError(
            _(
                "The file name says %(named)s but the content is %(found)s; "
                "rename the file or upload the right one."
            )
            % {"named": ext_format, "found": detected}
        )
    return detected


def _decode(data: bytes, *, partial: bool = False) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if partial and exc.start > len(data) - 4:
            return data[: exc.start].decode("utf-8-sig")
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
    try:
        data = json.loads(_decode(path.read_bytes()))
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
        return rows
    if all(isinstance(item, list) for item in data):
        return [[_scalar(c) for c in row] for row in data]
    raise UploadError(_("JSON must be an array of objects or an array of arrays, not a mix."))


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


def validate_table(path: Path, fmt: str, types: Mapping[str, str] | None = None) -> TableReport:
    """Validate with frictionless against the inferred schema; collect errors by row and column,
    the header, the first rows for the preview and the fields (a draft dictionary).

    `types` ({column name: frictionless type}, from the data dictionary) overrides the inferred
    type of those columns, so a cell that does not read as the chosen type is an error."""
    from frictionless import FrictionlessException

    schema = _infer_schema(path, fmt, types)
    try:
        resource = _table_resource(path, fmt, schema)
        report = resource.validate(limit_errors=MAX_REPORTED_ERRORS)
    except FrictionlessException as exc:
        raise UploadError(str(exc.error.message)) from exc
    errors = []
    for row_number, field_number, field_name, error_type, message in report.flatten(
        ["rowNumber", "fieldNumber", "fieldName", "type", "message"]
    ):
        errors.append(
            {
                "row": row_number,
                "column": field_name or (f"#{field_number}" if field_number else None),
                "type": error_type,
                "message": message,
            }
        )
    out = TableReport(valid=report.valid, errors=errors, error_count=len(errors))
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
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def iter_rows(path: Path, fmt: str) -> Iterator[list[str]]:
    """All rows (header first) as text cells, without type conversion."""
    if fmt == "CSV":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from csv.reader(fh)
    elif fmt == "JSON":
        for row in _json_rows(path):
            yield ["" if c is None else str(c) for c in row]
    elif fmt == "XLSX":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield ["" if c is None else str(c) for c in values]
        finally:
            workbook.close()
    else:
        raise UploadError(_("Not a tabular format: %(format)s") % {"format": fmt})


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


def parse_tidy_rows(rows: Iterator[list[str]], *, default_series: str) -> list[ObservationRow]:
    """Read a tidy table (series?, geo, year, value, sex?, age?, unit, nature?) into
    ObservationRows. Series codes are the contributor's own; the caller namespaces them.
    Raises ParseError naming the spreadsheet row (header = 1) and column."""
    header = next(rows, None)
    if not header:
        raise ParseError(_("the table is empty"), row=1, column=None)
    names = [h.strip().lower() for h in header]
    geo_col = next((a for a in GEO_ALIASES if a in names), None)
    if geo_col is None:
        raise ParseError(_("missing column 'geo' (ISO3 or M49 code)"), row=1, column="geo")
    for required in ("year", "value", "unit"):
        if required not in names:
            raise ParseError(
                _("missing column '%(column)s'") % {"column": required}, row=1, column=required
            )
    idx = {name: i for i, name in enumerate(names)}
    out: list[ObservationRow] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = idx.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        geo = cell(geo_col)
        if not geo:
            raise ParseError(_("empty geography code"), row=line, column=geo_col)
        year_text = cell("year")
        try:
            year = int(float(year_text))
        except ValueError:
            raise ParseError(
                _("year '%(year)s' is not a number") % {"year": year_text}, row=line, column="year"
            ) from None
        if not 1800 <= year <= 2100:
            raise ParseError(
                _("year %(year)s is out of range") % {"year": year}, row=line, column="year"
            )
        value_text = cell("value")
        try:
            value = float(value_text)
        except ValueError:
            raise ParseError(
                _("value '%(value)s' is not a number") % {"value": value_text},
                row=line,
                column="value",
            ) from None
        unit = cell("unit")
        if not unit:
            raise ParseError(_("empty unit"), row=line, column="unit")
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
    if not out:
        raise ParseError(_("the table has no data rows"), row=2, column=None)
    return out
