"""Bad input to the search service (issue 11 item 7): whatever is typed or put in the query
string, `search()` and `autocomplete()` answer (results, or none with a plain message), never
an exception and never query syntax reaching FTS5, tsquery or SQL.

Hypothesis feeds random text, strings built from FTS5/SQL/tsquery syntax fragments, and random
filters, over the indexed bundled data; the explicit cases of the issue follow. These tests are
part of the normal suite (a modest number of examples, no deadline) so that both backends of
the CI run them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdg87.search.indexing import index_rebuild
from sdg87.search.selectors import autocomplete, search
from sdg87.search.tests.conftest import empty_search_index
from sdg87.search.types import (
    KINDS,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    PER_PAGE_MAX,
    SORTS,
    Hit,
    SearchOutcome,
    SearchParams,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs on every run and backend: a failure reproduces
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the test transaction: searches only read
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

SYNTAX = [
    '"', "-", "*", "AND", "OR", "NOT", "NEAR(", "NEAR/3", "title:", "heading:", "^", "{", "}",
    "(", ")", ":", "&", "|", "!", "<->", "<2>", "'", "\x00", ";", "--", "/*", "*/", "=", "%",
    "_", "\\", '" OR 1=1 --', "' OR '1'='1", "'; DROP TABLE search_searchdocument; --",
    "MATCH", "rank", "bm25(", "to_tsquery(", ":*", "a:*", "!child", "child:*", "-\"", '""',
    "\u200f", "\u202e", "\ufeff", "\U0001f600", "\U0001f9d2\U0001f3fd", "عمل الأطفال",
    "עבודת ילדים",
    "\u0301", "ǅ", "ß", "İ", "ﬁ",
]  # fmt: skip
WORDS = [
    "child", "labour", "labor", "travail", "enfants", "trabajo", "infantil", "trata", "kenya",
    "Côte", "d'Ivoire", "8.7.1", "16.2.2", "SL_TLF_CHLDEA", "cocoa", "forced", "the", "de",
    "l'esclavage", "x" * 70,
]  # fmt: skip

syntax_queries = st.lists(st.sampled_from(SYNTAX + WORDS), max_size=12).flatmap(
    lambda parts: st.sampled_from([" ".join(parts), "".join(parts)])
)
long_queries = st.sampled_from([5_000, MAX_QUERY_CHARS + 1, 70_000]).flatmap(
    lambda n: st.sampled_from(["x" * n, "child " * (n // 6), "\x00" * n, '"' * n, "-a " * (n // 3)])
)
# Lone surrogates: what JSON's "\ud800" escapes give a Python string (the CKAN action's body).
surrogate_queries = st.text(
    st.one_of(
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), st.sampled_from("ke \x00")
    ),
    max_size=6,
)
queries = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8")),
    syntax_queries,
    long_queries,
    surrogate_queries,
)
facet_values = st.lists(
    st.one_of(
        st.sampled_from(["KEN", "ken", "202", "001", "ZZZ", "ilo", "nonsense", "CSV", "en", ""]),
        st.text(max_size=12),
    ),
    max_size=4,
).map(tuple)
years = st.one_of(st.none(), st.integers(1800, 2100), st.integers(-(2**31), 2**31 - 1))


@st.composite
def search_params(draw: st.DrawFn) -> SearchParams:
    return SearchParams(
        q=draw(queries),
        kind=draw(st.one_of(facet_values, st.lists(st.sampled_from(KINDS), max_size=3).map(tuple))),
        theme=draw(facet_values),
        place=draw(facet_values),
        organisation=draw(facet_values),
        language=draw(facet_values),
        year_from=draw(years),
        year_to=draw(years),
        resource_type=draw(facet_values),
        format=draw(facet_values),
        licence=draw(facet_values),
        freshness=draw(facet_values),
        sort=draw(st.sampled_from([*SORTS, "nonsense", ""])),
        page=draw(st.one_of(st.integers(-5, 60), st.sampled_from([10**9, -(10**9), 0]))),
        per_page=draw(st.one_of(st.integers(-5, 120), st.sampled_from([0, 10**6, -(10**6)]))),
    )


@pytest.fixture(scope="module")
def search_index(bundled_data: None, django_db_blocker: Any) -> Iterator[None]:
    """The bundled data indexed once for this module (as in test_ranking); emptied after."""
    with django_db_blocker.unblock():
        index_rebuild()
    yield
    with django_db_blocker.unblock():
        empty_search_index()


def check_outcome(outcome: SearchOutcome, params: SearchParams) -> None:
    """What every answer satisfies, whatever was asked."""
    assert outcome.total >= 0
    assert 0 <= outcome.pages <= MAX_PAGE
    assert len(outcome.hits) <= max(1, min(params.per_page, PER_PAGE_MAX))
    assert len(outcome.hits) <= outcome.total
    if outcome.total == 0:
        assert outcome.hits == [] and outcome.groups == []
    for hit in [*outcome.hits, *(h for g in outcome.groups for h in g.hits)]:
        check_hit(hit)
    for facet in outcome.facets:
        assert facet.cut_short or all(v.count >= 0 for v in facet.values)
    assert all(isinstance(notice, str) and notice for notice in outcome.notices)


def check_hit(hit: Hit) -> None:
    assert hit.kind in KINDS
    assert hit.url.startswith("/")
    assert "<script" not in hit.title and "<script" not in hit.snippet


# --- random input ----------


@FUZZ
@given(q=queries, lang=st.sampled_from(["en", "fr", "es"]))
def test_any_query_answers(search_index: None, q: str, lang: str) -> None:
    params = SearchParams(q=q)
    check_outcome(search(params=params, lang=lang), params)


@FUZZ
@given(params=search_params())
def test_any_query_and_filters_answer(search_index: None, params: SearchParams) -> None:
    check_outcome(search(params=params), params)


@FUZZ
@given(prefix=queries, limit=st.integers(1, 20))
def test_any_prefix_autocompletes(search_index: None, prefix: str, limit: int) -> None:
    hits = autocomplete(prefix=prefix, limit=limit)
    assert len(hits) <= limit
    for hit in hits:
        check_hit(hit)


# --- the cases of item 7 ----------


def everything() -> int:
    return search(params=SearchParams(), facets=False).total


def test_empty_query_shows_everything(search_index: None) -> None:
    outcome = search(params=SearchParams(q=""))
    check_outcome(outcome, outcome.params)
    assert outcome.total > 300 and outcome.notices == []


@pytest.mark.parametrize("q", ["   ", "\x00", "\x00\x00 \x00"])
def test_blank_query_shows_everything(search_index: None, q: str) -> None:
    outcome = search(params=SearchParams(q=q))
    check_outcome(outcome, outcome.params)
    assert outcome.total == everything()


def test_5000_characters_are_cut_with_a_notice(search_index: None) -> None:
    q = ("child labour " * 400)[:5000]
    outcome = search(params=SearchParams(q=q))
    check_outcome(outcome, outcome.params)
    assert outcome.total > 0
    assert "Your search was long: only its beginning was used." in outcome.notices


def test_nul_separates_words(search_index: None) -> None:
    plain = search(params=SearchParams(q="child labour"), facets=False)
    with_nul = search(params=SearchParams(q="child\x00labour"), facets=False)
    assert with_nul.total == plain.total > 0


@pytest.mark.parametrize("q", ['"', "-", "*", "AND", "OR", "NOT", "NEAR(", "( )", ":", "^", "&|!"])
def test_operator_only_shows_everything_with_a_notice(search_index: None, q: str) -> None:
    outcome = search(params=SearchParams(q=q))
    check_outcome(outcome, outcome.params)
    assert outcome.total == everything()
    assert outcome.notices, q


@pytest.mark.parametrize(
    "q",
    [
        '" OR 1=1 --',
        "' OR '1'='1",
        "'; DROP TABLE search_searchdocument; --",
        "NEAR(child labour)",
        "NEAR(child",
        "title:child",
        "heading:kenya",
        "child:*",
        "!child & labour",
        "child <-> labour",
        '"child labour',
        "child AND labour",
        "{child labour}",
        "child^2",
        "child*",
    ],
)
def test_query_syntax_is_only_words(search_index: None, q: str) -> None:
    """Syntax of FTS5, tsquery or SQL neither fails nor changes what is searched for: no
    injection widens the results to everything."""
    outcome = search(params=SearchParams(q=q))
    check_outcome(outcome, outcome.params)
    assert outcome.total < everything()


def test_syntax_around_words_finds_the_words(search_index: None) -> None:
    plain = search(params=SearchParams(q="child labour"), facets=False).total
    for q in ["NEAR(child labour)", "child AND labour", "(child) (labour)"]:
        assert search(params=SearchParams(q=q), facets=False).total == plain, q


@pytest.mark.parametrize(
    "filters",
    [
        {"place": ("ZZZ",)},
        {"kind": ("nonsense",)},
        {"theme": ("nonsense",)},
        {"organisation": ("no-such-organisation",)},
        {"licence": ("nonsense",)},
        {"freshness": ("nonsense",)},
        {"language": ("zz",)},
        {"format": ("NOPE",)},
        {"resource_type": ("nonsense",)},
    ],
)
def test_unknown_facet_value_finds_nothing(search_index: None, filters: dict[str, Any]) -> None:
    params = SearchParams(q="child", **filters)
    outcome = search(params=params)
    check_outcome(outcome, params)
    assert outcome.total == 0
    (facet,) = filters
    if facet != "freshness":  # a freshness value outside the scale has no label to show
        shown = next(f for f in outcome.facets if f.name == facet)
        assert any(v.selected and v.count == 0 for v in shown.values), shown


def test_page_past_the_end_says_so(search_index: None) -> None:
    outcome = search(params=SearchParams(q="kenya", page=40))
    check_outcome(outcome, outcome.params)
    assert outcome.hits == [] and outcome.total > 0
    assert any("There is no page 40" in n for n in outcome.notices)


def test_page_beyond_the_limit_says_so(search_index: None) -> None:
    outcome = search(params=SearchParams(q="child", page=10**9))
    check_outcome(outcome, outcome.params)
    assert outcome.hits == [] and outcome.total > 0
    assert any(str(MAX_PAGE) in n for n in outcome.notices)


@pytest.mark.parametrize("page", [0, -1, -(10**9)])
def test_page_below_one_is_the_first(search_index: None, page: int) -> None:
    outcome = search(params=SearchParams(q="child", page=page), facets=False)
    first = search(params=SearchParams(q="child"), facets=False)
    assert [h.url for h in outcome.hits] == [h.url for h in first.hits]


@pytest.mark.parametrize(("per_page", "shown"), [(0, 1), (-3, 1), (10**6, PER_PAGE_MAX)])
def test_per_page_is_bounded(search_index: None, per_page: int, shown: int) -> None:
    outcome = search(params=SearchParams(q="", per_page=per_page), facets=False)
    check_outcome(outcome, outcome.params)
    assert len(outcome.hits) == shown


def test_year_range_upside_down_finds_nothing(search_index: None) -> None:
    outcome = search(params=SearchParams(q="child", year_from=2020, year_to=2010))
    check_outcome(outcome, outcome.params)
    assert outcome.total == 0


@pytest.mark.parametrize("year", [-(2**31), 0, 2**31 - 1])
def test_years_far_out_of_range_find_nothing(search_index: None, year: int) -> None:
    outcome = search(params=SearchParams(q="child", year_from=year, year_to=year))
    check_outcome(outcome, outcome.params)
    assert outcome.total == 0


@pytest.mark.parametrize(
    "prefix", ["", "k", "\x00", '"', "NEAR(", "*", "title:", '" OR 1=1 --', "x" * 5000, "ke\x00"]
)
def test_autocomplete_of_bad_prefixes(search_index: None, prefix: str) -> None:
    hits = autocomplete(prefix=prefix)
    assert len(hits) <= 8
    for hit in hits:
        check_hit(hit)


@pytest.mark.parametrize("facet", ["place", "organisation", "language", "kind", "theme"])
def test_facet_value_with_a_lone_surrogate(search_index: None, facet: str) -> None:
    """A JSON body (CKAN package_search's) can carry "\\ud800": it selects nothing, no error."""
    changes: dict[str, Any] = {facet: ("\ud800",)}
    params = dataclasses.replace(SearchParams(q="child"), **changes)
    outcome = search(params=params)
    check_outcome(outcome, params)
    assert outcome.total == 0


def test_autocomplete_finds_a_country(search_index: None) -> None:
    assert "KEN" in [h.object_id for h in autocomplete(prefix="ken")]
