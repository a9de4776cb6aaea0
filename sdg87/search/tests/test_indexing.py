"""Writes to the search index (sdg87.search.indexing): one document refreshed from its source
row (created, updated, removed, with its modelsearch index entries and facet rows), and the
whole index rebuilt as a new generation that is served only once complete."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config

from sdg87.geo.models import Geography, GeographyKind, GeographyMembership
from sdg87.search import vocabulary
from sdg87.search.indexing import BATCH, document_refresh, index_rebuild, search_state
from sdg87.search.models import SearchDocument, SearchFacetValue, SearchKey, SearchState, SearchWord
from sdg87.search.registry import DocumentData, Source, sources
from sdg87.search.selectors import search
from sdg87.search.types import SearchParams

pytestmark = pytest.mark.django_db


def index_entries(docs: list[SearchDocument] | list[int]) -> Any:
    """modelsearch's IndexEntry rows of these documents."""
    entry = get_app_config().get_model("IndexEntry")
    ids = [str(d if isinstance(d, int) else d.pk) for d in docs]
    ct = ContentType.objects.get_for_model(SearchDocument)
    return entry.objects.filter(content_type=ct, object_id__in=ids)


def facets(doc: SearchDocument) -> list[tuple[str, str]]:
    return sorted(doc.facets.values_list("facet", "value"))


@pytest.fixture
def zedland() -> Geography:
    """A country of the user-assigned ISO range in an SDG region of its own."""
    region = Geography.objects.create(
        code="9971", kind=GeographyKind.SDG_REGION, name_en="Zed Region"
    )
    country = Geography.objects.create(
        code="QZT",
        iso3="QZT",
        iso2="QZ",
        kind=GeographyKind.COUNTRY,
        name_en="Zedland",
        name_fr="Zédlande",
        name_es="Zedlandia",
    )
    GeographyMembership.objects.create(group=region, member=country)
    vocabulary.clear()
    return country


def test_document_refresh_creates_updates_and_removes_one_document(zedland: Geography) -> None:
    served = search_state().served_generation
    assert document_refresh(kind="country", object_id="QZT") == 1
    doc = SearchDocument.objects.get(kind="country", object_id="QZT")
    assert (doc.generation, doc.heading, doc.path) == (served, "Zedland", "/en/countries/QZT/")
    assert doc.translations == {"fr": {"heading": "Zédlande"}, "es": {"heading": "Zedlandia"}}
    assert "zedland" in doc.title.split()
    assert index_entries([doc]).count() == 1
    # the region comes from the source and again from the region of the country: one row
    assert facets(doc) == [("kind", "country"), ("place", "9971"), ("place", "QZT")]
    assert sorted(doc.keys.values_list("key", flat=True)) == [
        "qz",
        "qzt",
        "zedland",
        "zedlande",
        "zedlandia",
    ]

    zedland.name_en = "Zedland Republic"
    zedland.save()
    assert document_refresh(kind="country", object_id="QZT") == 1
    new = SearchDocument.objects.get(kind="country", object_id="QZT")
    assert new.heading == "Zedland Republic" and new.pk != doc.pk
    assert index_entries([doc]).count() == 0 and index_entries([new]).count() == 1
    assert not SearchFacetValue.objects.filter(document_id=doc.pk).exists()
    assert not SearchKey.objects.filter(document_id=doc.pk).exists()

    zedland.delete()
    assert document_refresh(kind="country", object_id="QZT") == 0
    assert not SearchDocument.objects.filter(kind="country", object_id="QZT").exists()
    assert index_entries([new]).count() == 0
    assert not SearchFacetValue.objects.filter(document_id=new.pk).exists()
    # an unknown kind is nothing to do
    assert document_refresh(kind="no-such-kind", object_id="QZT") == 0


def test_refresh_writes_every_live_generation(zedland: Geography) -> None:
    """During a rebuild a refreshed document is written to the generation being served and
    to the one being built, so the switch does not lose the change."""
    state = search_state()
    state.building_generation = state.served_generation + 1
    state.save()
    assert document_refresh(kind="country", object_id="QZT") == 2
    generations = SearchDocument.objects.filter(kind="country", object_id="QZT")
    assert sorted(generations.values_list("generation", flat=True)) == [
        state.served_generation,
        state.served_generation + 1,
    ]


def test_facet_values_are_deduplicated_and_a_country_carries_its_sdg_region(
    zedland: Geography,
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> None:
    """A document about a country also counts for the country's SDG region (the place facet
    is a tree); repeated values are stored once; empty values not at all; the document's
    language is a facet value even when the source did not list it."""
    row = search_rows(
        "Child labour in Zedland",
        object_id="z1",
        lang="fr",
        facets={"place": ["QZT", "QZT"], "theme": ["child_labour", "", "child_labour"]},
    )
    doc = search_documents([row])["z1"]
    assert facets(doc) == [
        ("kind", "dataset"),
        ("language", "fr"),
        ("place", "9971"),
        ("place", "QZT"),
        ("theme", "child_labour"),
    ]


@pytest.mark.usefixtures("bundled_data")
def test_real_country_and_dataset_carry_their_sdg_region(search_index: Any) -> None:
    """Kenya is in Sub-Saharan Africa (M49 202): its country document and a dataset about it
    both count for the region."""
    search_index()
    kenya = SearchDocument.objects.get(kind="country", object_id="KEN")
    assert ("place", "202") in facets(kenya) and ("place", "KEN") in facets(kenya)
    about_kenya = SearchFacetValue.objects.filter(
        facet="place", value="KEN", document__kind="dataset"
    ).values_list("document_id", flat=True)
    assert about_kenya
    for doc_id in about_kenya:
        assert SearchFacetValue.objects.filter(document_id=doc_id, facet="place", value="202")


def test_index_rebuild_switches_generations_and_removes_the_old_one(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> None:
    first = search_documents([search_rows("Forced labour in fishing", object_id="a")])
    old = first["a"]
    assert search_state().served_generation == old.generation
    report = index_rebuild(
        documents=[
            search_rows("Forced labour in fishing", object_id="a"),
            search_rows("Trafficking in persons report", object_id="b", kind="publication"),
        ]
    )
    assert report.generation == old.generation + 1
    assert report.removed == 1
    assert report.documents == {"dataset": 1, "publication": 1}
    state = SearchState.objects.get()
    assert (state.served_generation, state.building_generation) == (report.generation, None)
    assert state.rebuilt_at is not None and state.thesaurus_version
    assert set(SearchDocument.objects.values_list("generation", flat=True)) == {report.generation}
    assert not index_entries([old]).exists()
    assert not SearchFacetValue.objects.filter(document_id=old.pk).exists()
    assert set(SearchWord.objects.values_list("generation", flat=True)) == {report.generation}
    assert set(SearchWord.objects.values_list("word", flat=True)) == {
        "forced",
        "labour",
        "fishing",
        "trafficking",
        "persons",
        "report",
    }
    new = SearchDocument.objects.filter(generation=report.generation)
    assert index_entries(list(new)).count() == 2


def _entry_values(docs: list[SearchDocument]) -> dict[str, tuple[Any, ...]]:
    columns = ["title", "body", "autocomplete"]
    if connection.vendor == "postgresql":
        columns += ["title_text", "body_text"]
    entries = index_entries(docs).values_list("object_id", "content_type_id", *columns)
    return {
        object_id: tuple(str(v) if v is not None else None for v in values)
        for object_id, *values in entries
    }


def test_index_entries_are_what_modelsearch_would_write(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> None:
    """The rebuild writes modelsearch's index entries itself, in SQL from the documents
    (FTS5 rows on SQLite, tsvectors and plain text on PostgreSQL): the same values
    modelsearch's own add_bulk gives the same documents."""
    written = search_documents(
        [
            search_rows(
                "Côte d'Ivoire: the worst forms of child labour in cocoa, SDG 8.7.1",
                body="Inspections of farms; trabajo infantil; travail des enfants. " * 3,
                object_id="a",
            ),
            search_rows("Trabajo infantil en la minería", lang="es", object_id="b"),
            search_rows("the of and", object_id="c"),  # only stop words: empty text
        ]
    )
    docs = list(written.values())
    ours = _entry_values(docs)
    assert len(ours) == 3 and all(ours[str(written[i].pk)][1] for i in "ab")
    index_entries(docs).delete()
    get_search_backend().add_bulk(SearchDocument, docs)
    assert _entry_values(docs) == ours


def _hits(q: str) -> list[str]:
    outcome = search(params=SearchParams(q=q, per_page=100), facets=False)
    return sorted(h.object_id for h in outcome.hits)


def test_searches_during_a_rebuild_see_the_old_generation_whole(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> None:
    """While the new generation is written (two batches here), a search answers from the
    served generation: all of its results, none of the half-written new ones; afterwards it
    answers from the new one."""
    old = [
        search_rows(f"Forced labour in brick kilns, part {i}", object_id=f"old-{i}")
        for i in range(3)
    ]
    search_documents(old)
    assert _hits("forced labour") == ["old-0", "old-1", "old-2"]
    new = [
        search_rows(f"Forced labour in fishing, part {i}", object_id=f"new-{i}")
        for i in range(BATCH + 100)
    ]
    seen: list[tuple[str, int, list[str]]] = []

    def progress(kind: str, done: int, total: int) -> None:
        seen.append((kind, done, _hits("forced labour")))

    index_rebuild(documents=new, progress=progress)
    assert [(kind, done) for kind, done, _ in seen] == [
        ("documents", BATCH),
        ("documents", BATCH + 100),
    ]
    for _kind, _done, hits in seen:
        assert hits == ["old-0", "old-1", "old-2"]
    assert search(params=SearchParams(q="fishing"), facets=False).total == BATCH + 100
    assert _hits("kilns") == []


def test_a_failing_build_leaves_the_served_generation_and_resets_building(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> None:
    search_documents([search_rows("Forced labour in fishing", object_id="a")])
    served = search_state().served_generation

    def broken() -> Iterator[DocumentData]:
        for i in range(BATCH):  # one whole batch is written before the failure
            yield search_rows(f"Trafficking in persons, part {i}", object_id=f"b{i}")
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        index_rebuild(documents=broken())
    state = SearchState.objects.get()
    assert (state.served_generation, state.building_generation) == (served, None)
    assert SearchDocument.objects.filter(generation=served + 1).count() == BATCH
    assert _hits("fishing") == ["a"] and _hits("trafficking") == []
    # the next rebuild removes what the failed one wrote, and the generation it replaces
    report = index_rebuild(documents=[search_rows("Trafficking in persons", object_id="c")])
    assert report.generation == served + 2 and report.removed == BATCH + 1
    assert set(SearchDocument.objects.values_list("generation", flat=True)) == {report.generation}
    assert _hits("trafficking") == ["c"]


def _failing_rows() -> list[Any]:
    raise RuntimeError("rows broke")


def _failing_build(row: Any) -> DocumentData:
    raise RuntimeError("build broke")


def _nothing(object_id: str) -> None:
    return None


FAILING = {
    "build": Source(
        kind="news", label="News", rows=lambda: [1], build=_failing_build, get=_nothing
    ),
    "rows": Source(
        kind="event", label="Events", rows=_failing_rows, build=_failing_build, get=_nothing
    ),
}
SOURCES: list[Source] = []  # set by the fixture below


@pytest.fixture(params=list(FAILING))
def failing_source(request: Any, settings: Any, monkeypatch: Any) -> Iterator[str]:
    """Only one broken source is registered: failing in build() or in rows()."""
    monkeypatch.setattr(
        __import__(__name__, fromlist=["SOURCES"]), "SOURCES", [FAILING[request.param]]
    )
    settings.SDG87_SEARCH_SOURCES = [__name__]
    sources.cache_clear()
    yield request.param
    sources.cache_clear()


def test_a_failing_source_resets_building_generation(failing_source: str) -> None:
    """Whether a source fails building a document or listing its rows, the rebuild raises,
    searches go on reading the served generation and no rebuild is left marked as running
    (else refreshes go on writing a generation nobody will serve)."""
    served = search_state().served_generation
    assert len(sources()) == 1
    with pytest.raises(RuntimeError, match=f"{failing_source} broke"):
        index_rebuild()
    state = SearchState.objects.get()
    assert (state.served_generation, state.building_generation) == (served, None)
