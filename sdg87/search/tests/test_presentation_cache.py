"""What a results page shows is kept per process (highlighted texts, documents' shown columns
and headings, title tiers, top cards): these tests fail if a kept value were served after the
document changed under a new index version, or if the kept path gave anything else than the
plain computation."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from sdg87.search import analysis, documents, highlight, ranking
from sdg87.search.models import SearchDocument, SearchState
from sdg87.search.registry import DocumentData
from sdg87.search.selectors import search
from sdg87.search.types import SearchOutcome, SearchParams
from sdg87.search.vocabulary import thesaurus

pytestmark = pytest.mark.django_db

Index = Callable[[Sequence[DocumentData]], dict[str, SearchDocument]]


def _cold() -> None:
    """Every kept value of the results page dropped (the plain computation follows)."""
    ranking.clear()
    highlight.hit_texts.cache_clear()


def _changed(doc: SearchDocument, **fields: Any) -> None:
    """The document's row changed in place under a new index version (what a refresh's new
    row and new version amount to, with the same id: the hardest case for a kept value)."""
    SearchDocument.objects.filter(pk=doc.pk).update(**fields)
    SearchState.objects.update(version=uuid.uuid4().hex)


def _shown(outcome: SearchOutcome) -> Any:
    return (
        outcome.total,
        [(h.object_id, str(h.title), str(h.snippet), h.url, h.score) for h in outcome.hits],
        [(g.kind, [(h.object_id, str(h.title), h.score) for h in g.hits]) for g in outcome.groups],
        outcome.top,
    )


@pytest.fixture
def cocoa(search_documents: Index, search_rows: Callable[..., DocumentData]) -> dict[str, Any]:
    rows = [
        search_rows(
            "Cocoa",
            body="A survey of cocoa farms.",
            object_id="900801",
        ),
        search_rows(
            "Farms and cocoa growers",
            body="Growers of cocoa and their farms.",
            object_id="900802",
        ),
        search_rows(
            "Zedland",
            kind="country",
            object_id="ZZL",
            path="/en/countries/ZZL/",
            body="Zedland, a country.",
            keys=["Zedland"],
        ),
    ]
    return search_documents(rows)


def test_a_changed_document_is_shown_as_it_is_now(cocoa: dict[str, SearchDocument]) -> None:
    """Its highlighted title and snippet, its place in the title step, its top card: after the
    change (new index version), as a first search would show them."""
    before = search(params=SearchParams(q="cocoa"))
    assert [h.object_id for h in before.hits] == ["900801", "900802"]  # "Cocoa" is the title
    assert str(before.hits[0].title) == "<mark>Cocoa</mark>"
    assert str(before.hits[0].snippet) == "A survey of <mark>cocoa</mark> farms."
    assert search(params=SearchParams(q="cocoa")).hits == before.hits  # kept, the same
    top = search(params=SearchParams(q="Zedland")).top
    assert top is not None and top.title == "Zedland"

    _changed(cocoa["900801"], heading="Farm report", summary="A survey of farms.")
    _changed(cocoa["ZZL"], heading="Zedland (renamed)")
    after = search(params=SearchParams(q="cocoa"))
    # the heading no longer names cocoa: the other document's heading has every word
    assert [h.object_id for h in after.hits] == ["900802", "900801"]
    assert str(after.hits[1].title) == "Farm report"
    assert str(after.hits[1].snippet) == "A survey of farms."
    top = search(params=SearchParams(q="Zedland")).top
    assert top is not None and top.title == "Zedland (renamed)"
    kept = _shown(after)
    _cold()
    assert _shown(search(params=SearchParams(q="cocoa"))) == kept


@pytest.mark.parametrize(
    ("q", "lang"),
    [("cocoa", "en"), ("farms cocoa", "en"), ("cocoa growers", "fr"), ("Zedland", "es")],
)
def test_kept_results_equal_the_plain_computation(
    cocoa: dict[str, SearchDocument], q: str, lang: str
) -> None:
    _cold()
    plain = _shown(search(params=SearchParams(q=q), lang=lang))
    assert _shown(search(params=SearchParams(q=q), lang=lang)) == plain
    assert _shown(search(params=SearchParams(q=q), lang=lang)) == plain


def test_kept_rows_equal_the_rows_read(cocoa: dict[str, SearchDocument]) -> None:
    search(params=SearchParams(q="cocoa"))  # the served version's postings are loaded
    assert documents.served_version()
    ids = [d.pk for d in cocoa.values()]
    plain_shown = {
        doc.pk: doc for doc in map(documents._shown, documents.rows_by_id(documents.SHOWN, ids))
    }
    plain_headings = {
        pk: ranking._headings(heading, language, tr)
        for pk, heading, language, tr in documents.headings_rows(ids)
    }
    for _ in range(2):  # read, then kept
        assert documents.shown_by_id(ids) == plain_shown
        assert ranking.headings_by_id(ids) == plain_headings
    assert documents.shown_by_id([*ids, 10**9]) == plain_shown  # a missing id left out


def test_nothing_is_kept_without_a_served_version(cocoa: dict[str, SearchDocument]) -> None:
    ranking.clear()
    from sdg87.search import postings

    postings.clear()
    doc = cocoa["900801"]
    assert documents.served_version() == ""
    assert ranking.headings_by_id([doc.pk]) == {doc.pk: [("Cocoa", "en")]}
    SearchDocument.objects.filter(pk=doc.pk).update(heading="Changed")
    assert ranking.headings_by_id([doc.pk]) == {doc.pk: [("Changed", "en")]}


HEADINGS = [
    [("Worst Forms of Child Labour Convention, 1999 (No. 182)", "en")],
    [("Child labour: global estimates 2020", "en"), ("Travail des enfants : estimations", "fr")],
    [("Evaluation of the South-Eastern Nepal Hotspot to Reduce Bonded Labour", "en")],
    [("Protocolo para prevenir la trata de personas", "es")],
    [("Protocol to Prevent Trafficking in Persons", "en")],
    [("Cash for Class: child labour and schooling", "en")],
    [("Kenia: trabajo infantil", "es")],
    [("Forced labour in fishing", "en")],
    [],
]
QUERIES = [
    "child labour",
    "travail des enfants",
    "worst forms of child labour convention",
    "trafficking in persons",
    "cash for class",
    "kenya child labour",
    "bonded labour nepal",
]


@pytest.mark.parametrize("q", QUERIES)
def test_in_tiers_equals_the_plain_sort(q: str) -> None:
    """The kept tier keys order as sorting by title_tier() and words_found() does."""
    concepts = thesaurus()
    words = analysis.words(q)
    rng = random.Random(q)
    for _ in range(5):
        ids = list(range(len(HEADINGS)))
        rng.shuffle(ids)
        ranked = [(i, float(len(ids) - n)) for n, i in enumerate(ids)]
        headings = {i: HEADINGS[i] for i in ids if HEADINGS[i]}
        plain = sorted(
            ranked,
            key=lambda r: (
                -ranking.title_tier(words, headings.get(r[0], []), concepts),
                -ranking.words_found(words, headings.get(r[0], []), concepts),
                ranked.index(r),
            ),
        )
        assert ranking.in_tiers(ranked, headings, words, concepts) == plain
        assert ranking.in_tiers(ranked, headings, words, concepts) == plain  # kept


@pytest.mark.parametrize(
    ("heading", "summary", "terms", "lang"),
    [
        ("Child labour in cocoa", "Cocoa farms " * 40, {"cocoa", "child"}, "en"),
        ("Côte d'Ivoire <b>", "", {"cot"}, "fr"),
        ("Indicator 8.7.1", "SDG 8.7.1 proportion " * 30, {"871"}, "es"),
        ("Nothing", "no match here", set(), "en"),
    ],
)
def test_hit_texts_equal_highlight_and_snippet(
    heading: str, summary: str, terms: set[str], lang: str
) -> None:
    plain = (
        highlight.highlight(heading, terms, lang),
        highlight.snippet(summary, terms, lang) if summary else highlight.snippet("", terms),
    )
    highlight.hit_texts.cache_clear()
    for _ in range(2):
        assert highlight.hit_texts(heading, summary, frozenset(terms), lang) == plain
    assert highlight.hit_texts(heading + " cocoa", summary, frozenset(terms), lang) != plain


def _plain_marked(text: str, terms: frozenset[str], lang: str) -> list[tuple[int, int]]:
    """highlight._marked as first written: every word of the text walked, each analysed."""
    if not terms:
        return []
    marked = {
        word
        for word in set(highlight._TOKEN.findall(text))
        if not terms.isdisjoint(highlight._forms(word, lang))
    }
    return [m.span() for m in highlight._TOKEN.finditer(text) if m.group() in marked]


PIECES = [
    "child", "Child", "CHILD", "children", "labour", "labours", "Côte", "Co\u0302te", "cote",
    "8.7.1", "8.7", "871", "SL_TLF_CHLDEC", "x.child", "child.x", "_child", "child_", "..",
    "a._child", "the", "de", "trabajo", "infantil", "travail", "enfants", "é", "\u0301child",
    "child\u0301", "1.child", "naïve", "labour-market", "(child)", "«enfant»", "8.7.1.", " ",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_marked_words_are_those_of_the_plain_walk(seed: int) -> None:
    """The words marked (found by set operations and a pattern per word) are exactly those
    the plain walk over every word marks, in random texts of awkward words and joins."""
    rng = random.Random(seed)
    cases = [
        (frozenset({"child", "labour"}), "en"),
        (frozenset({"cot", "871", "sltlfchldec"}), "fr"),
        (frozenset({"trabaj", "infantil", "enfant", "87"}), "es"),
    ]
    for _ in range(30):
        text = "".join(
            rng.choice(PIECES) + rng.choice(["", " ", ".", "_", ", ", "\u0300", "-"])
            for _ in range(rng.randrange(1, 25))
        )
        for terms, lang in cases:
            assert highlight._marked(text, terms, lang) == _plain_marked(text, terms, lang), text


def _plain_contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def test_contains_equals_the_plain_scan() -> None:
    rng = random.Random(8)
    for _ in range(2000):
        haystack = tuple(rng.choice("abc") for _ in range(rng.randrange(0, 8)))
        needle = tuple(rng.choice("abc") for _ in range(rng.randrange(0, 4)))
        assert ranking._contains(haystack, needle) == _plain_contains(haystack, needle)
