"""The listing's filters and disjunctive facet counts, hand-counted on the fixture records
(table in library_fixtures)."""

from __future__ import annotations

import pytest

from sdg87.library.listing import LibraryFilters, publication_search
from sdg87.library.tests.library_fixtures import *  # noqa: F403
from sdg87.library.tests.library_fixtures import HIDDEN, LibraryFixture

pytestmark = pytest.mark.django_db


def counts(result, facet):
    return {i.value: i.count for i in result.facets[facet]}


def slugs(result):
    return sorted(p.slug for p in result.publications)


def test_facet_counts_of_one_organisation(lib: LibraryFixture) -> None:
    """With the organisation selected, every other facet counts its four public records;
    the organisation facet (its own selection left out) counts both fixture organisations."""
    result = publication_search(filters=LibraryFilters(organisation=("t-lib-org",)))
    assert slugs(result) == ["t-lib-a", "t-lib-b", "t-lib-c", "t-lib-d"]
    assert result.count == 4
    assert counts(result, "type") == {"report": 2, "policy_brief": 1, "impact_evaluation": 1}
    assert counts(result, "theme") == {"child_labour": 3, "forced_labour": 2}
    assert counts(result, "country") == {"QZA": 2, "QZB": 2}
    assert counts(result, "language") == {"en": 2, "fr": 1, "es": 1}
    assert counts(result, "year") == {"2021": 2, "2020": 1, "2019": 1}
    assert [i.value for i in result.facets["year"]] == ["2021", "2020", "2019"]
    orgs = counts(result, "organisation")
    assert orgs["t-lib-org"] == 4 and orgs["t-lib-org2"] == 1
    assert [i.value for i in result.facets["organisation"] if i.selected] == ["t-lib-org"]


def test_values_of_one_facet_are_ored_and_facets_anded(lib: LibraryFixture) -> None:
    """Two types select either; the type facet keeps the counts it had before (its own
    selection is left out of its counts), while the theme facet counts within both types.
    Adding a theme narrows (AND)."""
    either = LibraryFilters(organisation=("t-lib-org",), type=("report", "policy_brief"))
    result = publication_search(filters=either)
    assert slugs(result) == ["t-lib-a", "t-lib-b", "t-lib-c"]
    assert counts(result, "type") == {"report": 2, "policy_brief": 1, "impact_evaluation": 1}
    assert counts(result, "theme") == {"child_labour": 2, "forced_labour": 2}
    assert counts(result, "country") == {"QZA": 2, "QZB": 2}
    both = LibraryFilters(
        organisation=("t-lib-org",), type=("report", "policy_brief"), theme=("forced_labour",)
    )
    result = publication_search(filters=both)
    assert slugs(result) == ["t-lib-b", "t-lib-c"]
    assert counts(result, "theme") == {"child_labour": 2, "forced_labour": 2}
    assert counts(result, "type") == {"report": 1, "policy_brief": 1}


def test_two_countries_count_a_record_about_both_once(lib: LibraryFixture) -> None:
    """t-lib-b is about QZA and QZB: selecting both lists it once."""
    result = publication_search(
        filters=LibraryFilters(organisation=("t-lib-org",), country=("QZA", "QZB"))
    )
    assert slugs(result) == ["t-lib-a", "t-lib-b", "t-lib-c"]
    assert result.count == 3
    assert counts(result, "theme") == {"child_labour": 2, "forced_labour": 2}


def test_a_selected_value_without_records_stays_removable(lib: LibraryFixture) -> None:
    result = publication_search(
        filters=LibraryFilters(organisation=("t-lib-org",), language=("es",), year=("2021",))
    )
    assert result.count == 0
    years = {i.value: (i.count, i.selected) for i in result.facets["year"]}
    assert years == {"2019": (1, False), "2021": (0, True)}


def test_title_text_and_sort(lib: LibraryFixture) -> None:
    """`q` keeps titles containing the text (any case); newest sorts by year then title,
    title sorts by title."""
    result = publication_search(filters=LibraryFilters(q="T-LIB t-lib-c"))
    assert slugs(result) == ["t-lib-c"]
    org = ("t-lib-org",)
    newest = publication_search(filters=LibraryFilters(organisation=org))
    assert [p.slug for p in newest.publications] == ["t-lib-b", "t-lib-c", "t-lib-a", "t-lib-d"]
    by_title = publication_search(filters=LibraryFilters(organisation=org, sort="title"))
    assert [p.slug for p in by_title.publications] == ["t-lib-a", "t-lib-b", "t-lib-c", "t-lib-d"]


def test_no_hidden_record_is_listed_or_counted(lib: LibraryFixture) -> None:
    """Draft, unverified, organisation-only and scheduled records share t-lib-a's theme and
    place, yet appear in no result and no count."""
    result = publication_search(filters=LibraryFilters(country=("QZA",)))
    assert slugs(result) == ["t-lib-a", "t-lib-b", "t-lib-e"]
    assert counts(result, "organisation") == {"t-lib-org": 2, "t-lib-org2": 1}
    everything = {p.slug for p in publication_search(filters=LibraryFilters()).publications}
    assert not everything & set(HIDDEN)


def test_filters_from_a_query_are_cleaned() -> None:
    """Country codes upper-cased, years kept only as four digits, duplicates dropped, an
    unknown sort replaced by the default."""
    f = LibraryFilters.from_query(
        {"country": ["qza", "QZA", " "], "year": ["2020", "20x", "99999"], "sort": ["bad"]}
    )
    assert f.country == ("QZA",) and f.year == ("2020",) and f.sort == "newest"
