"""Pure parsing of package_search parameters (q, fq, sort, rows, start, facet.field).

CKAN passes `fq` to Solr. We accept the subset clients and harvesters actually send:
space-separated clauses `[+]field:value` or `field:"quoted value"`, where field is one of
FILTER_FIELDS; anything else is a Search Query Error, never silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError

from sdg87.catalog.ckan.errors import SearchQueryError, ValidationError
from sdg87.catalog.validators import search_words
from sdg87.core.jsonsafe import loads_bounded

FILTER_FIELDS = {
    "organization",
    "owner_org",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "name",
    "id",
    "spatial",
    "frequency",
    "freshness",
}
SORT_FIELDS = {
    "score": "score",
    "name": "name",
    "title_string": "title",
    "title": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
}
FACET_FIELDS = {"organization", "groups", "tags", "res_format", "license_id"}
DEFAULT_ROWS = 10
MAX_ROWS = 1000
MAX_START = 2**31 - 1  # far beyond any catalog; larger offsets overflow the database's integer

_CLAUSE = re.compile(r'\s*([+-]?)([A-Za-z_]+):("([^"]*)"|\S+)')


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    excludes: dict[str, list[str]] = field(default_factory=dict)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    rows: int = DEFAULT_ROWS
    start: int = 0
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50
    include_private: bool = False


def parse_search(data: dict[str, object]) -> SearchParams:
    q = str(data.get("q") or "").strip()
    if q in {"*:*", "*"}:
        q = ""
    filters, excludes = parse_fq(str(data.get("fq") or ""))
    # CKAN lets field clauses appear in q too (e.g. q=tags:economy)
    if q and _CLAUSE.fullmatch(q) and _CLAUSE.match(q).group(2) in FILTER_FIELDS:  # type: ignore[union-attr]
        extra, extra_excl = parse_fq(q)
        for k, v in extra.items():
            filters.setdefault(k, []).extend(v)
        for k, v in extra_excl.items():
            excludes.setdefault(k, []).extend(v)
        q = ""
    try:
        search_words(q)
    except DjangoValidationError as exc:
        raise ValidationError("Validation Error", {"q": exc.messages}) from exc
    return SearchParams(
        q=q,
        filters=filters,
        excludes=excludes,
        sort=parse_sort(str(data.get("sort") or "")),
        rows=int_param(data, "rows", default=DEFAULT_ROWS, low=0, high=MAX_ROWS),
        start=int_param(data, "start", default=0, low=0, high=MAX_START),
        facet_fields=parse_facet_fields(data.get("facet.field")),
        facet_limit=int_param(data, "facet.limit", default=50, low=-1, high=1000),
        include_private=_bool(data.get("include_private")),
    )


def parse_fq(fq: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    filters: dict[str, list[str]] = {}
    excludes: dict[str, list[str]] = {}
    position = 0
    fq = fq.strip()
    while position < len(fq):
        match = _CLAUSE.match(fq, position)
        if not match:
            raise SearchQueryError(
                f"Search Query is invalid: cannot parse fq near '{fq[position:]}'"
            )
        sign, name, raw, quoted = match.groups()
        if name not in FILTER_FIELDS:
            raise SearchQueryError(f"Search Query is invalid: unknown fq field '{name}'")
        value = quoted if quoted is not None else raw
        target = excludes if sign == "-" else filters
        target.setdefault(name, []).append(value)
        position = match.end()
        while position < len(fq) and fq[position] in " \t":
            position += 1
        if fq[position : position + 4] == "AND ":
            position += 4
    return filters, excludes


def parse_sort(sort: str) -> list[tuple[str, bool]]:
    result = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        pieces = part.split()
        name = pieces[0]
        direction = pieces[1].lower() if len(pieces) > 1 else "asc"
        if name not in SORT_FIELDS or direction not in {"asc", "desc"} or len(pieces) > 2:
            raise SearchQueryError(f"Search Query is invalid: cannot sort by '{part}'")
        result.append((SORT_FIELDS[name], direction == "desc"))
    return result


def parse_facet_fields(raw: object) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.startswith("["):
            try:
                raw = loads_bounded(raw)
            except ValueError as exc:
                raise ValidationError("Invalid facet.field", {"facet.field": [str(exc)]}) from exc
        else:
            raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValidationError("Invalid facet.field", {"facet.field": ["Must be a list of names"]})
    unknown = [x for x in raw if x not in FACET_FIELDS]
    if unknown:
        raise SearchQueryError(f"Search Query is invalid: unknown facet field '{unknown[0]}'")
    return list(raw)


def int_param(data: dict[str, object], name: str, *, default: int, low: int, high: int) -> int:
    """`data[name]` as an integer in [low, high], `default` when absent; else a Validation
    Error (never a 500 from an OFFSET the database cannot hold)."""
    raw = data.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw))
    except ValueError as exc:
        raise ValidationError(f"Invalid {name}", {name: ["Invalid integer"]}) from exc
    if not low <= value <= high:
        raise ValidationError(f"Invalid {name}", {name: [f"Must be between {low} and {high}"]})
    return value


def _bool(raw: object) -> bool:
    return str(raw).lower() in {"true", "1", "yes"}
