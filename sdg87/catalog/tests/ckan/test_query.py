import pytest

from sdg87.catalog.ckan.errors import SearchQueryError, ValidationError
from sdg87.catalog.ckan.query import parse_fq, parse_search, parse_sort


def test_defaults_match_ckan():
    """No parameters means everything, 10 rows from the start, no facets."""
    params = parse_search({})
    assert (params.q, params.rows, params.start, params.facet_fields) == ("", 10, 0, [])


def test_star_query_means_everything():
    """q=*:* is CKAN's 'match all' and is treated as no text query."""
    assert parse_search({"q": "*:*"}).q == ""


def test_fq_clauses_with_plus_quotes_and_exclusions():
    """fq accepts +field:value, quoted values and -field:value exclusions."""
    filters, excludes = parse_fq('+organization:ilo tags:"child labour" -res_format:PDF')
    assert filters == {"organization": ["ilo"], "tags": ["child labour"]}
    assert excludes == {"res_format": ["PDF"]}


def test_fq_with_and_keyword():
    """Clauses joined by AND are all applied."""
    filters, _ = parse_fq("organization:ilo AND groups:child_labour")
    assert filters == {"organization": ["ilo"], "groups": ["child_labour"]}


def test_field_clause_in_q_becomes_a_filter():
    """q=tags:economy (a CKAN idiom) filters rather than text-searches."""
    params = parse_search({"q": "tags:economy"})
    assert params.q == "" and params.filters == {"tags": ["economy"]}


def test_unknown_fq_field_is_a_search_query_error():
    """An fq field we cannot honour is reported, not ignored."""
    with pytest.raises(SearchQueryError, match="unknown fq field 'author'"):
        parse_fq("author:someone")


def test_sort_parsing_and_errors():
    """sort accepts CKAN field names with asc/desc; others are errors."""
    assert parse_sort("metadata_modified desc, name asc") == [
        ("metadata_modified", True),
        ("name", False),
    ]
    with pytest.raises(SearchQueryError):
        parse_sort("value desc")


@pytest.mark.parametrize("rows", ["-1", "abc", "100000"])
def test_bad_rows_are_validation_errors(rows):
    """rows must be an integer from 0 to 1000."""
    with pytest.raises(ValidationError) as info:
        parse_search({"rows": rows})
    assert "rows" in info.value.fields


def test_facet_field_accepts_json_list_and_rejects_unknown():
    """facet.field is a JSON list as CKAN clients send it."""
    assert parse_search({"facet.field": '["organization", "tags"]'}).facet_fields == [
        "organization",
        "tags",
    ]
    with pytest.raises(SearchQueryError):
        parse_search({"facet.field": '["nonsense"]'})


@pytest.mark.parametrize("start", ["2147483648", "9" * 30])
def test_start_beyond_any_catalog_is_a_validation_error(start):
    """A start too large for the database's OFFSET is a Validation Error, not a 500."""
    with pytest.raises(ValidationError) as info:
        parse_search({"start": start})
    assert "start" in info.value.fields
