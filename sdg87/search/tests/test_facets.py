"""The facets' fast paths (sdg87.search.facets): counts from the packed words equal the plain
counts value by value (postings.count_each), cut short the same way; labels and their order
kept per index version and language equal those made at each search, and never outlive a
version change or a language switch (names, region tree, active language)."""

from __future__ import annotations

import random
import time
from array import array
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from sdg87.geo.models import Geography, GeographyKind, GeographyMembership
from sdg87.search import facets, postings, selectors
from sdg87.search.sources.places import FACET_REGION_KIND
from sdg87.search.types import FACETS, Facet, SearchParams


@pytest.fixture(autouse=True)
def _fresh_facet_caches() -> Iterator[None]:
    facets.clear()
    yield
    facets.clear()


def _postings(size: int, seed: int, version: str = "v-count") -> postings.Postings:
    """Postings with random facet bitsets (dense, sparse, empty and single documents)."""
    rng = random.Random(seed)

    def bitset(density: float) -> int:
        return postings.bits_of([p for p in range(size) if rng.random() < density], size)

    densities = [0.9, 0.5, 0.1, 0.01, 0.001, 0.0]
    values = {
        facet: {f"{facet}-{i}": bitset(rng.choice(densities)) for i in range(rng.randint(0, 40))}
        for facet in ("theme", "place", "organisation", "language", "format")
    }
    values["place"]["one"] = postings.bits_of([size - 1], size) if size else 0
    return postings.Postings(
        version=version,
        generation=1,
        size=size,
        ids=list(range(size)),
        kind_of=["news"] * size,
        year_of=[None] * size,
        boost_of=[1.0] * size,
        boost_rank=list(range(size)),
        entry_position={},
        entry_of=[0] * size,
        dataset_position={},
        sorted_ids=array("q", range(size)),
        sorted_positions=array("l", range(size)),
        everything=(1 << size) - 1,
        open=(1 << size) - 1,
        with_audience=0,
        audience={},
        scheduled=[],
        kinds={"news": bitset(0.7), "dataset": bitset(0.3), "event": 0},
        years={2020 + i: bitset(0.05) for i in range(rng.randint(0, 8))},
        values=values,
    )


def _plain(index: postings.Postings, name: str, within: int) -> dict[str, int] | None:
    table = (
        index.kinds
        if name == "kind"
        else facets.years_table(index)
        if name == "year"
        else index.values.get(name, {})
    )
    return postings.count_each(table, within, time.perf_counter() + 60)


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 1000, 5003])
@pytest.mark.parametrize("chunk", [facets.CHUNK_WORDS, 1, 7])
def test_packed_counts_equal_plain_counts(
    size: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facets, "CHUNK_WORDS", chunk)  # several chunks per facet, or one
    index = _postings(size, seed=size * 31 + chunk)
    packed = facets.Counter(index)
    rng = random.Random(size)
    withins = [0, index.everything, index.everything | (1 << (size + 70))]  # bits past the end
    withins += [index.kinds["news"], postings.bits_of(rng.sample(range(size), size // 3), size)]
    for within in withins:
        words = packed.words(within)
        for name in ("kind", "year", "theme", "place", "organisation", "language", "format"):
            table = packed.tables.get(name, {})
            found = packed.count(name, words, time.perf_counter() + 60, bool(table))
            expected = _plain(index, name, within)
            assert found == expected, name
            assert list(found or {}) == list(expected or {}), name  # the table's order


def test_packed_counts_are_cut_short_like_plain_counts() -> None:
    index = _postings(300, seed=7)
    index.values["format"] = {}
    packed = facets.Counter(index)
    words = packed.words(index.everything)
    past = time.perf_counter() - 1
    for name in ("kind", "theme", "place"):
        assert postings.count_each(packed.tables[name], index.everything, past) is None
        assert packed.count(name, words, past, True) is None
    # an empty table is never cut short: nothing was left to count
    assert postings.count_each({}, index.everything, past) == {}
    assert packed.count("format", words, past, False) == {}


def test_packed_tables_follow_the_postings_object() -> None:
    first, second = _postings(200, seed=1, version="a"), _postings(200, seed=2, version="b")
    assert facets.counter(first) is facets.counter(first)
    made = facets.counter(second)
    assert made is not None and made.tables["theme"] is second.values["theme"]
    assert facets.counter(first) is not made  # packed again for the other postings
    assert facets.counter(_postings(10, seed=3, version="")) is None  # unkept postings


# --- labels, their order and the region tree ----------


def _place(code: str, en: str, fr: str, kind: str = GeographyKind.COUNTRY) -> Geography:
    return Geography.objects.create(
        code=code, iso3=None if code.isdigit() else code, kind=kind, name_en=en, name_fr=fr
    )


def _shown(facet: Facet) -> list[tuple[str, str, int, bool, list[Any]]]:
    return [
        (v.value, v.label, v.count, v.selected, [(c.value, c.label, c.count) for c in v.children])
        for v in facet.values
    ]


def _both(
    name: str, counts: dict[str, int], selected: tuple[str, ...], lang: str, version: str
) -> Facet:
    """The facet by the kept labels, asserted equal to the one made at this search."""
    fast = selectors._facet(name, dict(counts), selected, lang, version)
    plain_counts = dict(counts)
    for value in selected:
        plain_counts.setdefault(value, 0)
    assert fast == selectors._facet_plain(name, plain_counts, selected, lang, version)
    return fast


@pytest.mark.django_db
def test_place_names_and_region_tree_follow_the_index_version() -> None:
    region = _place("991", "Zone", "Zone", kind=FACET_REGION_KIND)
    alpha = _place("QZA", "Alpha", "Zulu")
    beta = _place("QZB", "Beta", "Yankee")
    GeographyMembership.objects.create(group=region, member=alpha)
    counts = {"QZB": 2, "QZA": 2, "991": 3}
    first = _both("place", counts, ("QZX",), "en", "version-1")
    assert _shown(first) == [
        ("991", "Zone", 3, False, [("QZA", "Alpha", 2)]),
        ("QZX", "QZX", 0, True, []),  # selected, in no document: still shown to unselect
        ("QZB", "Beta", 2, False, []),
    ]
    # the places change, and with them the index version
    GeographyMembership.objects.create(group=region, member=beta)
    Geography.objects.filter(pk=beta.pk).update(name_en="Aardvark")
    second = _both("place", counts, ("QZX",), "en", "version-2")
    assert _shown(second) == [
        ("991", "Zone", 3, False, [("QZB", "Aardvark", 2), ("QZA", "Alpha", 2)]),
        ("QZX", "QZX", 0, True, []),
    ]
    # the names in another language are another ordering (French: Yankee before Zulu)
    french = _both("place", {"QZA": 2, "QZB": 2}, (), "fr", "version-2")
    assert [v.label for v in french.values] == ["Yankee", "Zulu"]
    assert [
        v.label for v in _both("place", {"QZA": 2, "QZB": 2}, (), "en", "version-2").values
    ] == [
        "Aardvark",
        "Alpha",
    ]


@pytest.mark.django_db
def test_labels_follow_the_active_language() -> None:
    counts = {value: 1 for value in ("child_labour", "forced_labour", "human_trafficking")}
    with translation.override("en"):
        english = _both("theme", counts, (), "en", "version-l")
        languages = _both("language", {"fr": 1, "en": 1, "es": 1}, (), "en", "version-l")
    with translation.override("fr"):
        french = _both("theme", counts, (), "fr", "version-l")
        kinds = _both("kind", {"news": 1, "dataset": 2}, ("news",), "fr", "version-l")
        french_languages = _both("language", {"fr": 1, "en": 1, "es": 1}, (), "fr", "version-l")
    assert [v.label for v in english.values] != [v.label for v in french.values]
    assert [v.label for v in languages.values] != [v.label for v in french_languages.values]
    assert french.label != english.label  # the facet's own name too
    assert [v.value for v in kinds.values] == ["dataset", "news"]


@pytest.mark.django_db
def test_labels_with_ties_unknown_and_hidden_values() -> None:
    region = _place("992", "Zone", "Zone", kind=FACET_REGION_KIND)
    same_c = _place("QZC", "Same", "Same")
    same_d = _place("QZD", "Same", "Same")
    GeographyMembership.objects.create(group=region, member=same_c)
    GeographyMembership.objects.create(group=region, member=same_d)
    # equal labels keep the counts' order, as a sort by label does; a region's children
    # keep the members' order
    ties = _both("place", {"QZD": 3, "QZC": 3, "QZE": 3}, (), "en", "v-t")
    assert [v.value for v in ties.values] == ["QZE", "QZD", "QZC"]  # "QZE" < "Same"
    tree = _both("place", {"QZD": 3, "QZC": 3, "992": 1}, ("QZD",), "en", "v-t")
    assert _shown(tree) == [("992", "Zone", 1, False, [("QZC", "Same", 3), ("QZD", "Same", 3)])]
    freshness = _both(
        "freshness", {"fresh": 2, "no-such-state": 5, "due": 2}, ("due",), "en", "v-t"
    )
    assert [v.value for v in freshness.values] == ["due", "fresh"]  # no label: not shown
    years = _both("year", {"2019": 1, "2021": 4, "2020": 2}, (), "en", "v-t")
    assert [v.value for v in years.values] == ["2021", "2020", "2019"]
    # values met later (another search, other selections) join the kept order
    orgs = _both("organisation", {"b-org": 3, "a-org": 3}, (), "en", "v-t")
    assert [v.value for v in orgs.values] == ["a-org", "b-org"]
    more = _both(
        "organisation", {"b-org": 3, "a-org": 3, "c-org": 4, "zz": 3}, ("zz",), "en", "v-t"
    )
    assert [v.value for v in more.values] == ["zz", "c-org", "a-org", "b-org"]


@pytest.mark.django_db
def test_too_many_values_fall_back_to_the_plain_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facets, "MAX_VALUES", 2)
    counts = {"x": 1, "y": 2, "z": 3}
    assert facets.ordering("v-max", ("format", "en", "en"), counts, lambda v: {}) is None
    assert [v.value for v in _both("format", counts, (), "en", "v-max").values] == ["z", "y", "x"]


# --- the whole search ----------


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(),
        SearchParams(q="labour", theme=("child_labour",), place=("QZA", "QZZ")),
        SearchParams(kind=("dataset",), format=("CSV", "PDF"), year_from=2019),
    ],
)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_search_facets_equal_the_plain_path(
    params: SearchParams,
    lang: str,
    search_rows: Callable[..., Any],
    search_documents: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        search_rows(
            "Child labour in cocoa",
            kind="dataset",
            year=2019,
            facets={
                "theme": ["child_labour"],
                "place": ["QZA"],
                "format": ["CSV"],
            },
        ),
        search_rows(
            "Forced labour",
            kind="publication",
            year=2020,
            facets={
                "theme": ["forced_labour", "child_labour"],
                "place": ["QZB"],
                "format": ["PDF"],
            },
        ),
        search_rows(
            "Travail des enfants",
            kind="news",
            year=2021,
            lang="fr",
            facets={"theme": ["child_labour"], "place": ["QZA", "QZB"]},
        ),
    ]
    search_documents(rows)
    with translation.override(lang):
        fast = selectors.search(params=params, lang=lang)
        fast_again = selectors.search(params=params, lang=lang)  # from what was kept
        monkeypatch.setattr(facets, "counter", lambda index: None)
        monkeypatch.setattr(facets, "ordering", lambda *a, **k: None)
        plain = selectors.search(params=params, lang=lang)
    assert [f.name for f in fast.facets] == list(FACETS)
    assert fast.facets == fast_again.facets == plain.facets
