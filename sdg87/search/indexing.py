"""Writes to the search index: refresh one object's document, rebuild everything.

`document_refresh(kind, object_id)` rebuilds one document from its source row (or removes
it when the row is gone or has nothing to show) in every generation being served or built;
sdg87.search.tasks runs it in the task worker after the commit that changed the row.

`index_rebuild()` writes a new generation of every document beside the one searches read,
then switches searches over and removes the old generation in batches: searches never see
a half-built index and nothing waits on a long write lock (ADR 0011).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Field, Max
from django.utils import timezone
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config

from sdg87.search import analysis, vocabulary
from sdg87.search.documents import column
from sdg87.search.models import (
    SearchDocument,
    SearchFacetValue,
    SearchKey,
    SearchState,
    SearchWord,
)
from sdg87.search.registry import DocumentData, sources
from sdg87.search.thesaurus import THESAURUS_VERSION, Thesaurus, concept_token
from sdg87.search.vocabulary import region_of_country, thesaurus

# Documents written per transaction, and removed per transaction from an old generation.
BATCH = 2000
DROP_BATCH = 5000
Progress = Callable[[str, int, int], None]  # (kind, done, total)


# --- one document ----------


def _terms(data: DocumentData, weight: str, words: Thesaurus) -> str:
    terms: list[str] = []
    for piece in data.texts:
        if piece.weight != weight or not piece.text:
            continue
        analysed = analysis.analyse(piece.text, piece.lang)
        terms.extend(analysed)
        terms.extend(concept_token(c) for c in sorted(words.index_concepts(analysed)))
    return " ".join(terms)


def _autocomplete(data: DocumentData) -> str:
    headings = [data.heading, *(t.get("heading", "") for t in data.translations.values())]
    seen: list[str] = []
    for word in analysis.words(" ".join(headings)):
        if word not in seen:
            seen.append(word)
    return " ".join(seen)


# SearchDocument's columns as the rebuild writes them (rows as tuples, in this order).
_DOC_FIELDS = (
    "generation",
    "kind",
    "object_id",
    "heading",
    "summary",
    "translations",
    "path",
    "language",
    "date",
    "year",
    "meta",
    "public",
    "visible_from",
    "audience_org",
    "title",
    "body",
    "autocomplete",
    "boost",
    "indexed_at",
)


def _document_row(
    data: DocumentData, generation: int, words: Thesaurus, now: datetime
) -> tuple[Any, ...]:
    """A SearchDocument row, its values in Python (adapted for the database by _adapt)."""
    return (
        generation,
        data.kind,
        data.object_id,
        data.heading[:500],
        data.summary,
        data.translations,
        data.path,
        data.language,
        data.date,
        data.year,
        data.meta,
        data.public,
        data.visible_from,
        data.audience_org_id,
        _terms(data, "title", words),
        _terms(data, "body", words),
        _autocomplete(data),
        data.boost,
        now,
    )


def _facet_rows(doc_id: int, data: DocumentData) -> list[tuple[int, str, str]]:
    values = {"kind": [data.kind], **data.facets}
    if values.get("place"):  # a country's region counts it too: the facet is a tree
        regions = region_of_country()
        values["place"] = [*values["place"], *(regions.get(p, "") for p in values["place"])]
    if data.language:
        values.setdefault("language", [data.language])
    return [
        (doc_id, facet, str(value)[:100])
        for facet, items in values.items()
        for value in dict.fromkeys(items)
        if value
    ]


def _key_rows(doc_id: int, data: DocumentData) -> list[tuple[int, str]]:
    keys = dict.fromkeys(" ".join(analysis.words(k)) for k in data.keys)
    return [(doc_id, key[:200]) for key in keys if key]


def _index_entry_model() -> Any:
    return get_app_config().get_model("IndexEntry")


def _drop_index_entries(doc_ids: Sequence[int]) -> None:
    ct = ContentType.objects.get_for_model(SearchDocument)
    entries = _index_entry_model()._default_manager
    for start in range(0, len(doc_ids), DROP_BATCH):
        chunk = [str(i) for i in doc_ids[start : start + DROP_BATCH]]
        entries.filter(content_type=ct, object_id__in=chunk)._raw_delete(using="default")


# --- writing rows in bulk ----------
#
# Rows go to the database as plain tuples in multi-row INSERTs (no model instances, no ORM
# compilation per row: that was most of a rebuild's time). The full-text entries are made by
# the database from the documents just written, in one INSERT ... SELECT per batch, with the
# same values modelsearch's backends write (sdg87.search.engine reads them): on SQLite the
# analysed text, which modelsearch's trigger copies into the FTS5 table; on PostgreSQL the
# tsvectors of the text under the backend's configuration ('simple') and the plain text.
# modelsearch's `title_norm` (only its own ranking reads it, not sdg87.search.engine) keeps
# its default of 1.0: refreshing it after every batch rewrote every new row a second time.


def _doc_fields() -> list[Field[Any, Any]]:
    fields = {f.name: f for f in SearchDocument._meta.concrete_fields}
    return [fields[name] for name in _DOC_FIELDS]


def _adapters() -> dict[int, Field[Any, Any]]:
    """Column position -> its field, for the columns whose values the database needs
    adapted (JSON, dates, times); the others go as they are."""
    return {
        i: field
        for i, field in enumerate(_doc_fields())
        if field.get_internal_type() in ("JSONField", "DateField", "DateTimeField")
    }


def _chunk_size(columns: int) -> int:
    limit = min(connection.features.max_query_params or 999, 30_000)
    return max(1, limit // columns)


def _insert(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, returning: bool = False
) -> list[int]:
    """Write rows to a table; the new ids, in row order, when `returning`.

    SQLite: multi-row INSERTs (RETURNING gives the ids in the order of VALUES, as Django's
    bulk_create relies on). PostgreSQL: COPY, the ids taken from the table's sequence first
    (one statement for them, none of the cost of binding thousands of parameters)."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows, returning=returning)
    ids: list[int] = []
    quote = connection.ops.quote_name
    # table and column names from the models' meta; every value a bound parameter
    names = ", ".join(quote(c) for c in columns)
    head = f"INSERT INTO {quote(table)} ({names}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = _chunk_size(len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = head + ", ".join([one] * len(chunk))
            params = [value for row in chunk for value in row]
            if returning:
                cursor.execute(sql + " RETURNING " + quote("id"), params)
                ids.extend(row[0] for row in cursor.fetchall())
            else:
                cursor.execute(sql, params)
    return ids


def _copy(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, returning: bool
) -> list[int]:
    quote = connection.ops.quote_name
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns = ["id", *columns]
            rows = [(doc_id, *row) for doc_id, row in zip(ids, rows, strict=True)]
        names = ", ".join(quote(c) for c in columns)
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return ids


def _write_index_entries(doc_ids: Sequence[int]) -> None:
    """modelsearch's index entries of these documents, made from them in SQL."""
    entry = _index_entry_model()
    ct = ContentType.objects.get_for_model(SearchDocument).pk
    quote = connection.ops.quote_name
    entries, docs = quote(entry._meta.db_table), quote(SearchDocument._meta.db_table)
    if connection.vendor == "postgresql":
        config = _postgres_config()
        # modelsearch: setweight(to_tsvector(config, stripped text), weight); plain text
        # stripped for its fuzzy search. Every search field has weight D (no boost).
        strip = "btrim(d.{0}, E' \\t\\n\\r\\f\\v')"

        def vector(column: str, cfg: str) -> str:
            return f"setweight(to_tsvector('{cfg}'::regconfig, {strip.format(column)}), 'D')"

        columns = "content_type_id, object_id, title_norm, title, autocomplete, body"
        columns += ", title_text, body_text"
        select = (
            f"%s, CAST(d.id AS text), 1.0, {vector('title', config)}, "
            f"{vector('autocomplete', 'simple')}, {vector('body', config)}, "
            f"{strip.format('title')}, {strip.format('body')}"
        )
    else:
        columns = "content_type_id, object_id, title_norm, title, autocomplete, body"
        select = "%s, CAST(d.id AS TEXT), 1.0, d.title, d.autocomplete, d.body"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the ids as one array parameter
            cursor.execute(
                f"INSERT INTO {entries} ({columns}) SELECT {select} "  # noqa: S608
                f"FROM {docs} d WHERE d.id = ANY(%s) ORDER BY d.id",
                [ct, list(doc_ids)],
            )
            return
        size = _chunk_size(1)
        for start in range(0, len(doc_ids), size):
            chunk = list(doc_ids[start : start + size])
            cursor.execute(
                f"INSERT INTO {entries} ({columns}) SELECT {select} "  # noqa: S608
                f"FROM {docs} d WHERE d.id IN ({', '.join(['%s'] * len(chunk))}) ORDER BY d.id",
                [ct, *chunk],
            )


def _postgres_config() -> str:
    """The text-search configuration of the search backend (settings: SEARCH_CONFIG)."""
    config = str(getattr(get_search_backend(), "config", None) or "simple")
    if not re.fullmatch(r"[a-z_][a-z0-9_.]*", config):
        raise ValueError(f"unexpected text-search configuration {config!r}")
    return config


def _write(batch: list[DocumentData], generation: int, words: Thesaurus) -> list[int]:
    """Write the documents of one batch, their facet values, keys and index entries;
    returns the new documents' ids (in batch order)."""
    now = timezone.now()
    adapters = _adapters()
    rows = []
    for data in batch:
        row = list(_document_row(data, generation, words, now))
        for i, field in adapters.items():
            row[i] = field.get_db_prep_save(row[i], connection)
        rows.append(row)
    columns = [str(field.column) for field in _doc_fields()]
    ids = _insert(SearchDocument._meta.db_table, columns, rows, returning=True)
    _insert(
        SearchFacetValue._meta.db_table,
        ("document_id", "facet", "value"),
        [row for doc_id, data in zip(ids, batch, strict=True) for row in _facet_rows(doc_id, data)],
    )
    _insert(
        SearchKey._meta.db_table,
        ("document_id", "key"),
        [row for doc_id, data in zip(ids, batch, strict=True) for row in _key_rows(doc_id, data)],
    )
    _write_index_entries(ids)
    return ids


def _live_generations() -> list[int]:
    state = search_state()
    return [g for g in (state.served_generation, state.building_generation) if g]


def document_refresh(*, kind: str, object_id: str) -> int:
    """Rebuild the document of one object in every live generation; returns how many
    documents now exist for it (0 when it has nothing to show)."""
    source = sources().get(kind)
    if source is None:
        return 0
    row = source.get(str(object_id))
    data = source.build(row) if row is not None else None
    words = thesaurus()
    written = 0
    changed = False
    with transaction.atomic():
        for generation in _live_generations():
            old = list(
                SearchDocument.objects.filter(
                    generation=generation, kind=kind, object_id=str(object_id)
                ).values_list("id", flat=True)
            )
            if old:
                _drop_index_entries(old)
                SearchDocument.objects.filter(id__in=old).delete()
                changed = True
            if data is not None:
                _write([data], generation, words)
                written += 1
                changed = True
        if changed:
            # searches reload the served generation's postings (sdg87.search.postings); an
            # object with nothing to show, before and after (a draft), changes nothing
            SearchState.objects.filter(pk=_saved_state().pk).update(version=uuid.uuid4().hex)
    return written


# --- the whole index ----------


def search_state() -> SearchState:
    """The index's state (read only: before the first rebuild, an unsaved first state)."""
    return SearchState.objects.order_by("pk").first() or SearchState(served_generation=1)


def served_state() -> tuple[int, str]:
    """(served generation, version) of search_state(), read with one plain statement (every
    search reads it: the ORM's queryset cost more than the read)."""
    sql = (
        f"SELECT {column(SearchState, 'served_generation')}, "  # noqa: S608
        f"{column(SearchState, 'version')} "
        f"FROM {connection.ops.quote_name(SearchState._meta.db_table)} "
        f"ORDER BY {column(SearchState, 'id')} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return (int(row[0]), str(row[1] or "")) if row else (1, "")


def _saved_state() -> SearchState:
    state = SearchState.objects.order_by("pk").first()
    return state or SearchState.objects.create(served_generation=1)


def served_generation() -> int:
    return search_state().served_generation


@dataclass
class RebuildReport:
    generation: int
    documents: dict[str, int]
    removed: int


def _batches(items: Iterable[DocumentData | None]) -> Iterator[list[DocumentData]]:
    batch: list[DocumentData] = []
    for item in items:
        if item is None:
            continue
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _vocabulary(generation: int) -> None:
    counts: Counter[str] = Counter()
    headings = SearchDocument.objects.filter(generation=generation).values_list(
        "autocomplete", flat=True
    )
    for text in headings.iterator(chunk_size=2000):
        counts.update(w for w in set(text.split()) if 3 <= len(w) <= 64 and w.isalpha())
    SearchWord.objects.bulk_create(
        [SearchWord(generation=generation, word=w, frequency=n) for w, n in counts.items()],
        batch_size=2000,
    )


def index_rebuild(
    *, progress: Progress | None = None, documents: Iterable[DocumentData] | None = None
) -> RebuildReport:
    """Write a new generation of every document, then serve it and drop the old ones.

    `documents` replaces the registered sources (the benchmark's synthetic corpus)."""
    with transaction.atomic():
        state = SearchState.objects.select_for_update().get(pk=_saved_state().pk)
        top = SearchDocument.objects.aggregate(top=Max("generation"))["top"] or 0
        generation = max(top, state.served_generation, state.building_generation or 0) + 1
        state.building_generation = generation
        state.save(update_fields=["building_generation"])
    counts: Counter[str] = Counter()
    # the thesaurus holds the countries' names as the database has them now, not as this
    # process first read them (a long-running worker, countries added since)
    vocabulary.clear()
    try:
        words = thesaurus()
        groups: list[tuple[str, Iterable[DocumentData | None], int]] = []
        if documents is not None:
            groups.append(("documents", documents, 0))
        else:
            for kind, source in sources().items():
                rows = list(source.rows())
                groups.append((kind, map(source.build, rows), len(rows)))
        for kind, items, total in groups:
            for batch in _batches(items):
                with transaction.atomic():
                    _write(batch, generation, words)
                for data in batch:
                    counts[data.kind] += 1
                if progress:
                    done = counts[kind] if kind != "documents" else sum(counts.values())
                    progress(kind, done, total)
    except BaseException:
        # searches go on reading the served generation; the next rebuild removes this one
        SearchState.objects.filter(pk=state.pk).update(building_generation=None)
        raise
    _vocabulary(generation)
    with transaction.atomic():
        state = SearchState.objects.select_for_update().get(pk=state.pk)
        state.served_generation = generation
        state.building_generation = None
        state.thesaurus_version = THESAURUS_VERSION
        state.rebuilt_at = timezone.now()
        state.version = uuid.uuid4().hex
        state.save()
    removed = _drop_generations_except(generation)
    _refresh_statistics()
    return RebuildReport(generation=generation, documents=dict(counts), removed=removed)


def _refresh_statistics() -> None:
    """Planner statistics for the index tables after a rebuild: without them PostgreSQL
    plans searches over a table it believes empty (seconds instead of milliseconds)."""
    tables = [
        SearchDocument._meta.db_table,
        SearchFacetValue._meta.db_table,
        SearchKey._meta.db_table,
        get_app_config().get_model("IndexEntry")._meta.db_table,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        else:
            for table in tables:
                cursor.execute("ANALYZE " + connection.ops.quote_name(table))


def _drop_generations_except(generation: int) -> int:
    old = SearchDocument.objects.exclude(generation=generation)
    removed = 0
    while True:
        ids = list(old.values_list("id", flat=True)[:DROP_BATCH])
        if not ids:
            break
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _drop_documents_postgresql(ids)
            else:
                _drop_index_entries(ids)
                SearchFacetValue.objects.filter(document_id__in=ids)._raw_delete(using="default")
                SearchKey.objects.filter(document_id__in=ids)._raw_delete(using="default")
                SearchDocument.objects.filter(id__in=ids)._raw_delete(using="default")
        removed += len(ids)
    SearchWord.objects.exclude(generation=generation)._raw_delete(using="default")
    return removed


def _drop_documents_postgresql(ids: list[int]) -> None:
    """The documents, their facet values, keys and index entries: the ids as one array
    parameter per statement (thousands of placeholders cost seconds to bind)."""
    quote = connection.ops.quote_name
    entries = quote(_index_entry_model()._meta.db_table)
    ct = ContentType.objects.get_for_model(SearchDocument).pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {entries} WHERE content_type_id = %s "  # noqa: S608
            "AND object_id = ANY(%s::text[])",
            [ct, [str(i) for i in ids]],
        )
        for model, column in (
            (SearchFacetValue, "document_id"),
            (SearchKey, "document_id"),
            (SearchDocument, "id"),
        ):
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608
                f"WHERE {quote(column)} = ANY(%s)",
                [ids],
            )
