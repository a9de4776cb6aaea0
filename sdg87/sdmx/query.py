"""Parsing of SDMX REST queries (pure): flow references, keys, c[DIM] filters, periods, limits,
formats. Bad syntax raises `QueryError` (400); recognised but unsupported features raise
`NotImplementedQuery` (501); formats nobody supports raise `NotAcceptable` (406).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MAX_VALUES_PER_DIMENSION = 50
MAX_KEY_LENGTH = 2000
MAX_LIMIT = 100_000
ID = re.compile(r"^[A-Za-z0-9_@$\-]{1,100}$")
AGENCY = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,99}(\.[A-Za-z][A-Za-z0-9_\-]{0,99})*$")
VERSION = re.compile(r"^(\d{1,4}(\.\d{1,4}){0,2}|latest|\+|~|\*|all)$")
PERIOD = re.compile(r"^(\d{4})(-(\d{2})(-(\d{2}))?|-[QSW]\d{1,2}|-A1)?$")
WILDCARDS = {"all", "*"}
LATEST = {"latest", "+", "~", "*", "all"}


class QueryError(ValueError):
    """400: the query is not valid SDMX REST syntax."""


class NotImplementedQuery(ValueError):
    """501: valid SDMX REST, not implemented here."""


class NotAcceptable(ValueError):
    """406: no representation in a format the client accepts."""


@dataclass(frozen=True)
class FlowRef:
    agency: str | None
    id: str
    version: str | None


def flow_ref(text: str) -> FlowRef:
    """A 1.x flow reference: `ID`, `AGENCY,ID` or `AGENCY,ID,VERSION`."""
    parts = text.split(",")
    if len(parts) > 3 or not all(parts):
        raise QueryError(f"Invalid flow reference {text!r}")
    if len(parts) == 1:
        agency, fid, version = None, parts[0], None
    elif len(parts) == 2:
        agency, fid, version = parts[0], parts[1], None
    else:
        agency, fid, version = parts
    check_ref(agency=agency, resource_id=fid, version=version)
    return FlowRef(agency, fid, version)


def check_ref(*, agency: str | None, resource_id: str | None, version: str | None) -> None:
    if agency is not None and agency not in WILDCARDS and not AGENCY.match(agency):
        raise QueryError(f"Invalid agency {agency!r}")
    if resource_id is not None and resource_id not in WILDCARDS and not ID.match(resource_id):
        raise QueryError(f"Invalid resource id {resource_id!r}")
    if version is not None and not VERSION.match(version):
        raise QueryError(f"Invalid version {version!r}")


def version_matches(asked: str | None, version: str) -> bool:
    return asked is None or asked in LATEST or asked == version


def id_matches(asked: str | None, value: str) -> bool:
    return asked is None or asked in WILDCARDS or asked == value


def parse_key(key: str | None, dimensions: Sequence[str]) -> dict[str, list[str]]:
    """`A..524.F` -> {"FREQ": ["A"], "REF_AREA": ["524"], ...}; `+` separates alternatives,
    an empty position or `*` matches everything; `all`/`*` alone is the whole flow."""
    if key is None or key in {"all", "*", ""}:
        return {}
    if len(key) > MAX_KEY_LENGTH:
        raise QueryError("The key is too long")
    positions = key.split(".")
    if len(positions) != len(dimensions):
        raise QueryError(
            f"The key has {len(positions)} positions; this dataflow has "
            f"{len(dimensions)} dimensions ({'.'.join(dimensions)})"
        )
    out: dict[str, list[str]] = {}
    for dim, part in zip(dimensions, positions, strict=True):
        if part in {"", "*"}:
            continue
        values = part.split("+")
        if len(values) > MAX_VALUES_PER_DIMENSION:
            raise QueryError(f"At most {MAX_VALUES_PER_DIMENSION} values per dimension ({dim})")
        for value in values:
            if not ID.match(value):
                raise QueryError(f"Invalid value {value!r} for dimension {dim}")
        out[dim] = values
    return out


@dataclass
class Filters:
    codes: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None


def _year(text: str, *, end: bool) -> int:
    match = PERIOD.match(text.strip())
    if not match:
        raise QueryError(f"Invalid period {text!r}")
    return int(match.group(1))


def parse_component_filters(
    params: Mapping[str, str], dimensions: Sequence[str], filters: Filters
) -> None:
    """`c[DIM]=A,B` (2.x; `,` or `+` separate values) and `c[TIME_PERIOD]=ge:2010+le:2020`."""
    for name, raw in params.items():
        if not (name.startswith("c[") and name.endswith("]")):
            continue
        dim = name[2:-1]
        if dim == "TIME_PERIOD":
            # "+" arrives as a space when the client did not encode it.
            for part in re.split(r"[+, ]", raw.strip()):
                op, _sep, value = part.rpartition(":")
                if op in {"ge", "gt"}:
                    filters.year_from = _year(value, end=False) + (1 if op == "gt" else 0)
                elif op in {"le", "lt"}:
                    filters.year_to = _year(value, end=True) - (1 if op == "lt" else 0)
                elif op in {"", "eq"}:
                    year = _year(value, end=False)
                    filters.year_from = filters.year_to = year
                else:
                    raise NotImplementedQuery(f"Operator {op!r} is not supported for TIME_PERIOD")
            continue
        if dim not in dimensions:
            raise QueryError(f"Unknown component {dim!r} in {name}")
        values = [v for v in re.split(r"[+, ]", raw) if v]
        if len(values) > MAX_VALUES_PER_DIMENSION:
            raise QueryError(f"At most {MAX_VALUES_PER_DIMENSION} values per dimension ({dim})")
        for value in values:
            op, _sep, code = value.rpartition(":")
            if op not in {"", "eq"}:
                raise NotImplementedQuery(f"Operator {op!r} is not supported for {dim}")
            if not ID.match(code):
                raise QueryError(f"Invalid value {code!r} for {dim}")
        codes = [v.rpartition(":")[2] for v in values]
        if dim in filters.codes:
            filters.codes[dim] = [c for c in filters.codes[dim] if c in codes]
        else:
            filters.codes[dim] = codes


def moment(params: Mapping[str, str], name: str) -> datetime.datetime | None:
    """An ISO 8601 date or date-time parameter (asOf, updatedAfter); naive means UTC."""
    raw = params.get(name)
    if not raw:
        return None
    try:
        value = datetime.datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        raise QueryError(f"{name} must be an ISO 8601 date or date-time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def boolean(params: Mapping[str, str], name: str) -> bool:
    """A true/false parameter (includeHistory); absent or empty is false."""
    raw = (params.get(name) or "false").strip().lower()
    if raw not in {"true", "false"}:
        raise QueryError(f"{name} must be true or false")
    return raw == "true"


def positive_int(params: Mapping[str, str], name: str, *, maximum: int) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise QueryError(f"{name} must be a non-negative integer")
    value = int(raw)
    if value > maximum:
        raise QueryError(f"{name} must be at most {maximum}")
    return value


# --- formats ---------------------------------------------------------------------------

GENERIC = "genericdata"
STRUCTURE_SPECIFIC = "structurespecificdata"
CSV1 = "csv1"
CSV2 = "csv2"
JSON1 = "json1"
JSON2 = "json2"
STRUCTURE = "structure"

CONTENT_TYPES = {
    GENERIC: "application/vnd.sdmx.genericdata+xml; version=2.1",
    STRUCTURE_SPECIFIC: "application/vnd.sdmx.structurespecificdata+xml; version=2.1",
    CSV1: "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
    CSV2: "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
    JSON1: "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8",
    JSON2: "application/vnd.sdmx.data+json; version=2.0.0; charset=utf-8",
    STRUCTURE: "application/vnd.sdmx.structure+xml; version=2.1",
}

_FORMAT_PARAM = {
    "genericdata": GENERIC,
    "generic": GENERIC,
    "structurespecificdata": STRUCTURE_SPECIFIC,
    "structurespecific": STRUCTURE_SPECIFIC,
    "csv": CSV1,
    "csvfile": CSV1,
    "sdmx-csv": CSV1,
    "sdmx-csv-1.0": CSV1,
    "sdmx-csv-2.0": CSV2,
    "jsondata": JSON1,
    "json": JSON1,
    "sdmx-json": JSON1,
    "sdmx-json-1.0": JSON1,
    "sdmx-json-2.0": JSON2,
}

_MEDIA = {
    "application/vnd.sdmx.genericdata+xml": {"2.1": GENERIC, "": GENERIC},
    "application/vnd.sdmx.structurespecificdata+xml": {
        "2.1": STRUCTURE_SPECIFIC,
        "": STRUCTURE_SPECIFIC,
    },
    "application/vnd.sdmx.data+csv": {
        "1.0.0": CSV1,
        "2.0.0": CSV2,
        "1.0": CSV1,
        "2.0": CSV2,
        "": CSV1,
    },
    "application/vnd.sdmx.data+json": {
        "1.0.0": JSON1,
        "2.0.0": JSON2,
        "1.0": JSON1,
        "2.0": JSON2,
        "": JSON1,
    },
    "text/csv": {"": CSV1},
    "application/json": {"": JSON1},
    "application/xml": {"": GENERIC},
    "text/xml": {"": GENERIC},
    "application/vnd.sdmx.structure+xml": {"2.1": STRUCTURE, "": STRUCTURE},
}


def _media_ranges(accept: str) -> list[tuple[float, str, dict[str, str]]]:
    out = []
    for index, item in enumerate(accept.split(",")[:30]):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        params = {}
        for p in parts[1:]:
            name, _sep, value = p.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        try:
            quality = float(params.pop("q", "1"))
        except ValueError:
            quality = 1.0
        out.append((-quality + index * 1e-6, media, params))
    return [(q, m, p) for q, m, p in sorted(out) if m]


def data_format(*, format_param: str | None, accept: str | None, default: str = GENERIC) -> str:
    """The data format from `format=` (wins) or the Accept header; 406 if neither names one
    this service writes."""
    if format_param:
        found = _FORMAT_PARAM.get(format_param.lower())
        if found is None:
            raise NotAcceptable(f"Unknown format {format_param!r}")
        return found
    return _from_accept(accept, default=default, allowed=set(CONTENT_TYPES) - {STRUCTURE})


def structure_format(*, format_param: str | None, accept: str | None) -> str:
    if format_param and format_param.lower() not in {"sdmx-ml", "structure", "sdmx-2.1", "xml"}:
        raise NotAcceptable(f"Unknown structure format {format_param!r}")
    if format_param:
        return STRUCTURE
    return _from_accept(accept, default=STRUCTURE, allowed={STRUCTURE}, xml=STRUCTURE)


def _from_accept(
    accept: str | None, *, default: str, allowed: set[str], xml: str | None = None
) -> str:
    if not accept or not accept.strip():
        return default
    for _q, media, params in _media_ranges(accept):
        if media in {"*/*", "application/*"}:
            return default
        versions = _MEDIA.get(media)
        if versions is None:
            continue
        found = versions.get(params.get("version", ""))
        if media in {"application/xml", "text/xml"} and xml:
            found = xml
        if found in allowed:
            return found
    raise NotAcceptable(f"None of the accepted formats ({accept[:200]}) is available")
