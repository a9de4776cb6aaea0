"""Writes to the search index: refresh one object's document, rebuild everything.

`document_refresh(kind, object_id)` rebuilds one document from its source row (or removes
it when the row is gone or has nothing to show) in every generation being served or built;
sdg87.search.tasks runs it in the task worker after the commit that changed the row.

`index_rebuild()` writes a new generation of every document beside the one searches read,
then switches searches over and removes the old generation in batches: searches never see
a half-built index and nothing waits on a long write lock (ADR 0011).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config

from sdg87.search import analysis
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

BATCH = 500
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


def _document(data: DocumentData, generation: int, words: Thesaurus) -> SearchDocument:
    return SearchDocument(
        generation=generation,
        kind=data.kind,
        object_id=data.object_id,
        heading=data.heading[:500],
        summary=data.summary,
        translations=data.translations,
        path=data.path,
        language=data.language,
        date=data.date,
        year=data.year,
        meta=data.meta,
        public=data.public,
        visible_from=data.visible_from,
        audience_org_id=data.audience_org_id,
        title=_terms(data, "title", words),
        body=_terms(data, "body", words),
        autocomplete=_autocomplete(data),
        boost=data.boost,
    )


def _facet_rows(doc: SearchDocument, data: DocumentData) -> list[SearchFacetValue]:
    values = {"kind": [data.kind], **data.facets}
    if values.get("place"):  # a country's region counts it too: the facet is a tree
        regions = region_of_country()
        values["place"] = [*values["place"], *(regions.get(p, "") for p in values["place"])]
    if data.language:
        values.setdefault("language", [data.language])
    return [
        SearchFacetValue(document=doc, facet=facet, value=str(value)[:100])
        for facet, items in values.items()
        for value in dict.fromkeys(items)
        if value
    ]


def _key_rows(doc: SearchDocument, data: DocumentData) -> list[SearchKey]:
    keys = dict.fromkeys(" ".join(analysis.words(k)) for k in data.keys)
    return [SearchKey(document=doc, key=key[:200]) for key in keys if key]


def _index_entries() -> Iterable[object]:
    return get_app_config().get_model("IndexEntry")._default_manager


def _drop_index_entries(doc_ids: list[int]) -> None:
    ct = ContentType.objects.get_for_model(SearchDocument)
    for start in range(0, len(doc_ids), BATCH):
        chunk = [str(i) for i in doc_ids[start : start + BATCH]]
        _index_entries().filter(content_type=ct, object_id__in=chunk)._raw_delete(  # type: ignore[attr-defined]
            using="default"
        )


def _write(batch: list[DocumentData], generation: int, words: Thesaurus) -> list[SearchDocument]:
    docs = SearchDocument.objects.bulk_create([_document(d, generation, words) for d in batch])
    SearchFacetValue.objects.bulk_create(
        [row for doc, data in zip(docs, batch, strict=True) for row in _facet_rows(doc, data)]
    )
    SearchKey.objects.bulk_create(
        [row for doc, data in zip(docs, batch, strict=True) for row in _key_rows(doc, data)]
    )
    get_search_backend().add_bulk(SearchDocument, docs)
    return docs


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
            if data is not None:
                _write([data], generation, words)
                written += 1
    return written


# --- the whole index ----------


def search_state() -> SearchState:
    """The index's state (read only: before the first rebuild, an unsaved first state)."""
    return SearchState.objects.order_by("pk").first() or SearchState(served_generation=1)


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
        ids = list(old.values_list("id", flat=True)[:BATCH])
        if not ids:
            break
        with transaction.atomic():
            _drop_index_entries(ids)
            SearchFacetValue.objects.filter(document_id__in=ids)._raw_delete(using="default")
            SearchKey.objects.filter(document_id__in=ids)._raw_delete(using="default")
            SearchDocument.objects.filter(id__in=ids)._raw_delete(using="default")
        removed += len(ids)
    SearchWord.objects.exclude(generation=generation)._raw_delete(using="default")
    return removed
