"""SearchForm: the query string becomes SearchParams; what cannot be used is dropped with a
sentence, never an error page."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from sdg87.search.forms import MAX_VALUES, SearchForm
from sdg87.search.types import MAX_QUERY_CHARS, PER_PAGE_DEFAULT, PER_PAGE_MAX, SearchParams


def _form(query: str) -> SearchForm:
    return SearchForm(QueryDict(query))


def test_unbound_form_is_the_default_search() -> None:
    form = SearchForm(None)
    assert form.params() == SearchParams()
    assert form.messages() == []


def test_a_plain_query_and_repeated_facets() -> None:
    form = _form(
        "q=+child++labour+&kind=dataset&kind=publication&kind=dataset&format=csv&language=FR"
        "&licence=CC-BY-4.0&freshness=fresh&theme=child_labour&resource_type=report"
        "&year_from=2010&year_to=2020&sort=date&page=3&per_page=50"
    )
    params = form.params()
    assert form.messages() == []
    assert params == SearchParams(
        q="child labour",
        kind=("dataset", "publication"),
        theme=("child_labour",),
        language=("fr",),
        resource_type=("report",),
        format=("CSV",),
        licence=("CC-BY-4.0",),
        freshness=("fresh",),
        year_from=2010,
        year_to=2020,
        sort="date",
        page=3,
        per_page=50,
    )


@pytest.mark.django_db
def test_places_and_organisations_are_checked_against_the_database(bundled_data: None) -> None:
    form = _form(
        "place=ken&place=202&place=ZZZ&place=1%3D1&organisation=ilo&organisation=no-such-org"
    )
    params = form.params()
    assert params.place == ("KEN", "202")
    assert params.organisation == ("ilo",)
    messages = form.messages()
    assert any("Country or region" in m and "2 values" in m for m in messages)
    assert any("Organisation" in m and "does not exist" in m for m in messages)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=bogus", "kind"),
        ("theme=nothing", "theme"),
        ("licence=all-rights", "licence"),
        ("freshness=stale", "freshness"),
        ("resource_type=%3Cscript%3E", "resource_type"),
        ("language=english", "language"),
        ("format=%22+OR+1%3D1", "format"),
    ],
)
def test_unknown_facet_values_are_dropped_with_a_message(query: str, field: str) -> None:
    form = _form(query)
    assert form.params().selected(field) == ()
    assert len(form.messages()) == 1


def test_known_values_stay_when_others_are_dropped() -> None:
    form = _form("kind=country&kind=nope&kind=region")
    assert form.params().kind == ("country", "region")
    assert len(form.messages()) == 1


def test_too_many_values_are_cut() -> None:
    form = _form("&".join(f"language=l{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(80)))
    assert len(form.params().language) == MAX_VALUES
    assert form.messages() == [f"Language: only the first {MAX_VALUES} values were used."]


def test_long_query_is_cut_with_a_message() -> None:
    form = _form("q=" + "word " * 1000)
    params = form.params()
    assert len(params.q) <= MAX_QUERY_CHARS
    assert params.q.startswith("word word")
    assert any(str(MAX_QUERY_CHARS) in m for m in form.messages())


def test_nul_and_control_characters_are_removed() -> None:
    form = _form("q=child%00labour%07%1b")
    assert form.params().q == "child labour"
    assert len(form.messages()) == 1


def test_sql_and_fts_syntax_is_kept_as_typed_for_the_service_to_parse() -> None:
    form = _form("q=%22+OR+1%3D1+--+NEAR(+title%3A")
    assert form.params().q == '" OR 1=1 -- NEAR( title:'
    assert form.messages() == []


@pytest.mark.parametrize(
    ("query", "field", "default"),
    [
        ("year_from=abc", "year_from", None),
        ("year_to=1800", "year_to", None),
        ("year_from=3000", "year_from", None),
        ("sort=random", "sort", "relevance"),
        ("page=0", "page", 1),
        ("page=-4", "page", 1),
        ("page=two", "page", 1),
        ("per_page=1000", "per_page", PER_PAGE_DEFAULT),
        ("per_page=0", "per_page", PER_PAGE_DEFAULT),
    ],
)
def test_bad_scalars_fall_back_to_the_default_with_a_message(
    query: str, field: str, default: object
) -> None:
    form = _form(query)
    assert getattr(form.params(), field) == default
    messages = form.messages()
    assert len(messages) == 1
    assert "ignored" in messages[0]


def test_per_page_limit_is_accepted() -> None:
    assert _form(f"per_page={PER_PAGE_MAX}").params().per_page == PER_PAGE_MAX


def test_years_the_wrong_way_round_are_swapped() -> None:
    form = _form("year_from=2020&year_to=2001")
    params = form.params()
    assert (params.year_from, params.year_to) == (2001, 2020)
    assert len(form.messages()) == 1


def test_messages_are_not_repeated_when_asked_twice() -> None:
    form = _form("kind=bogus&page=x")
    form.params()
    assert form.messages() == form.messages()
    assert len(form.messages()) == 2
