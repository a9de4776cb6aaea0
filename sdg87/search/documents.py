"""Documents read by id for a results page (headings for the title step, what a hit shows, the
top result card), as plain rows: one statement each, its SQL written once per process.

A search reads a few dozen to a few hundred documents by id. Through the ORM each read cost
more in building and compiling its queryset than in the database (about 1 ms of CPU per
search for three reads); here the statement only takes the ids as one parameter (a JSON
array on SQLite, an array on PostgreSQL), and rows become small objects, not model instances.

What was read is kept per process for the served index version (`ByVersion`): the same
documents come back from search to search (the best of frequent queries), and a document
never changes under one version (a changed document is a new row, and every rebuild and
refresh changes `SearchState.version`), so a page's documents are read once per version.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from sdg87.search import postings
from sdg87.search.models import SearchDocument, SearchKey, ShownInLanguage

# Columns of what a hit or the top card shows (never the long analysed text).
SHOWN = (
    "id",
    "kind",
    "object_id",
    "heading",
    "summary",
    "translations",
    "path",
    "language",
    "date",
    "meta",
)
HEADINGS = ("id", "heading", "language", "translations")


@dataclass(frozen=True, slots=True)
class Shown(ShownInLanguage):
    """The fields of a SearchDocument that a results page shows (shared by the searches of one
    index version: never changed, its dict and list included)."""

    pk: int
    kind: str
    object_id: str
    heading: str
    summary: str
    translations: dict[str, dict[str, str]]
    path: str
    language: str
    date: date | None
    meta: list[Any]


def _json(value: Any) -> Any:
    """A JSON column's value (SQLite and Django's PostgreSQL connections give its text)."""
    if value == "{}":  # most documents have no translation
        return {}
    return json.loads(value) if isinstance(value, str) else value


_statements: dict[tuple[str, tuple[str, ...], str], str] = {}


def column(model: type[Model], name: str) -> str:
    """The quoted column of a model's field."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return connection.ops.quote_name(str(field.column))


def _columns(names: tuple[str, ...], alias: str) -> str:
    return ", ".join(f"{alias}.{column(SearchDocument, n)}" for n in names)


def _by_ids_sql(names: tuple[str, ...]) -> str:
    key = (connection.vendor, names, "ids")
    found = _statements.get(key)
    if found is None:
        table = connection.ops.quote_name(SearchDocument._meta.db_table)
        where = (
            "d.id = ANY(%s)"
            if connection.vendor == "postgresql"
            else "d.id IN (SELECT value FROM json_each(%s))"
        )
        found = f"SELECT {_columns(names, 'd')} FROM {table} d WHERE {where}"  # noqa: S608
        _statements[key] = found
    return found


def _ids_param(ids: Collection[int]) -> Any:
    if connection.vendor == "postgresql":
        return list(ids)
    return "[" + ",".join(map(str, map(int, ids))) + "]"


def rows_by_id(names: tuple[str, ...], ids: Collection[int]) -> list[tuple[Any, ...]]:
    """The documents' columns `names` (field names, the first being "id"), in no order."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_by_ids_sql(names), [_ids_param(ids)])
        return list(cursor.fetchall())


def _shown(row: tuple[Any, ...]) -> Shown:
    pk, kind, object_id, heading, summary, translations, path, language, day, meta = row
    return Shown(
        pk=int(pk),
        kind=kind,
        object_id=object_id,
        heading=heading,
        summary=summary,
        translations=_json(translations) or {},
        path=path,
        language=language,
        date=day,
        meta=_json(meta) or [],
    )


def served_version() -> str:
    """The version of the index this process serves: that of the postings the running search
    loaded (`postings.postings()` keeps the served version's, read from `SearchState` by
    that search, at most one); "" when none is loaded or the state is unsaved (nothing is
    kept then)."""
    return postings.loaded_version()


class ByVersion[K, V]:
    """Values computed from the database, kept for one index version at a time (the served
    one, `served_version()`): emptied when it changes, never kept without one. At most
    `bound` values; past it the oldest quarter is dropped (insertion order).

    Only for values that cannot change while the version stays the same (a document's
    columns: a changed document is a new row under a new version)."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._lock = threading.Lock()
        self._state: tuple[str, dict[K, V]] = ("", {})

    def clear(self) -> None:
        self._state = ("", {})

    def values(self) -> dict[K, V] | None:
        """The kept values of the served version (None: nothing may be kept)."""
        version = served_version()
        if not version:
            return None
        kept, values = self._state  # one read: a version and its own values
        if kept != version:
            values = {}
            self._state = (version, values)
        return values

    def many(
        self, keys: Iterable[K], read: Callable[[list[K]], Iterable[tuple[K, V]]]
    ) -> dict[K, V]:
        """The values of `keys` (those `read` finds), read only for keys not kept."""
        values = self.values()
        if values is None:
            return dict(read(list(keys)))
        found: dict[K, V] = {}
        missing: list[K] = []
        for key in keys:
            value = values.get(key)
            if value is None:
                missing.append(key)
            else:
                found[key] = value
        if missing:
            fresh = dict(read(missing))
            found.update(fresh)
            self._keep(values, fresh)
        return found

    def one(self, key: K, read: Callable[[], V]) -> V:
        values = self.values()
        if values is None:
            return read()
        value = values.get(key)
        if value is None:
            value = read()
            self._keep(values, {key: value})
        return value

    def _keep(self, values: dict[K, V], fresh: dict[K, V]) -> None:
        with self._lock:
            if len(values) + len(fresh) > self.bound:
                for old in list(islice(values, max(len(values) // 4, len(fresh)))):
                    values.pop(old, None)
            values.update(fresh)


# a document's shown columns: about 1 KB each (summaries are short), 5 MB at most
_shown_kept: ByVersion[int, Shown] = ByVersion(5_000)
# exact-name lookups of the top card (most find nothing): a few documents each at most
_keyed_kept: ByVersion[tuple[str, int, tuple[str, ...]], list[Shown]] = ByVersion(2_000)


def clear() -> None:
    _shown_kept.clear()
    _keyed_kept.clear()


def _read_shown(ids: list[int]) -> Iterable[tuple[int, Shown]]:
    return ((doc.pk, doc) for doc in map(_shown, rows_by_id(SHOWN, ids)))


def shown_by_id(ids: Collection[int]) -> dict[int, Shown]:
    """What hits show of these documents, by id (documents that no longer exist left out)."""
    return _shown_kept.many(ids, _read_shown)


def headings_rows(ids: Collection[int]) -> Iterable[tuple[int, str, str, Any]]:
    """(id, heading, language, translations) of these documents."""
    for pk, heading, language, translations in rows_by_id(HEADINGS, ids):
        yield int(pk), heading, language, _json(translations)


def _keyed_sql(kinds: int) -> str:
    key = (connection.vendor, SHOWN, f"key:{kinds}")
    found = _statements.get(key)
    if found is None:
        quote = connection.ops.quote_name
        table = quote(SearchDocument._meta.db_table)
        keys = quote(SearchKey._meta.db_table)
        found = (
            f"SELECT {_columns(SHOWN, 'd')} FROM {keys} k JOIN {table} d "  # noqa: S608
            "ON d.id = k.document_id WHERE k.key = %s AND d.generation = %s "
            f"AND d.kind IN ({', '.join(['%s'] * kinds)})"
        )
        _statements[key] = found
    return found


def keyed(key: str, generation: int, kinds: Collection[str]) -> list[Shown]:
    """The documents of `generation` and `kinds` with this exact name (SearchKey), by id
    (the list is shared by the searches of one index version: not to be changed)."""
    return _keyed_kept.one((key, generation, tuple(kinds)), lambda: _keyed(key, generation, kinds))


def _keyed(key: str, generation: int, kinds: Collection[str]) -> list[Shown]:
    with connection.cursor() as cursor:
        cursor.execute(_keyed_sql(len(kinds)), [key, generation, *kinds])
        found = [_shown(row) for row in cursor.fetchall()]
    return sorted(found, key=lambda doc: doc.pk)
