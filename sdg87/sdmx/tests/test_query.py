"""SDMX REST query parsing and content negotiation (pure)."""

import pytest

from sdg87.sdmx import query
from sdg87.sdmx.query import NotAcceptable, NotImplementedQuery, QueryError

DIMS = ["FREQ", "SERIES", "REF_AREA", "SEX"]


def test_key_with_wildcards_and_alternatives():
    assert query.parse_key("A..524+356.F", DIMS) == {
        "FREQ": ["A"],
        "REF_AREA": ["524", "356"],
        "SEX": ["F"],
    }
    assert query.parse_key("all", DIMS) == {}
    assert query.parse_key(None, DIMS) == {}


@pytest.mark.parametrize("key", ["A.B", "A..524.F.X", "A..52<4.F", "A..524.F;"])
def test_bad_keys_are_syntax_errors(key):
    with pytest.raises(QueryError):
        query.parse_key(key, DIMS)


def test_keys_are_bounded():
    many = "+".join(str(i) for i in range(query.MAX_VALUES_PER_DIMENSION + 1))
    with pytest.raises(QueryError, match="At most"):
        query.parse_key(f"A..{many}.F", DIMS)
    with pytest.raises(QueryError, match="too long"):
        query.parse_key("A" * (query.MAX_KEY_LENGTH + 1), DIMS)


def test_component_filters():
    filters = query.Filters(codes={"SEX": ["F", "M"]})
    query.parse_component_filters(
        {"c[SEX]": "F,_T", "c[REF_AREA]": "524", "c[TIME_PERIOD]": "ge:2010 le:2015"},
        DIMS,
        filters,
    )
    assert filters.codes == {"SEX": ["F"], "REF_AREA": ["524"]}
    assert (filters.year_from, filters.year_to) == (2010, 2015)
    with pytest.raises(QueryError):
        query.parse_component_filters({"c[NOPE]": "1"}, DIMS, query.Filters())
    with pytest.raises(NotImplementedQuery):
        query.parse_component_filters({"c[SEX]": "ne:F"}, DIMS, query.Filters())


def test_flow_references():
    assert query.flow_ref("SDG87,SDG_8_7_1,1.0") == query.FlowRef("SDG87", "SDG_8_7_1", "1.0")
    assert query.flow_ref("SDG_8_7_1") == query.FlowRef(None, "SDG_8_7_1", None)
    for bad in ["a,b,c,d", "SDG87,,1.0", "SDG87,X,v1"]:
        with pytest.raises(QueryError):
            query.flow_ref(bad)


def test_format_parameter_wins_over_accept():
    assert query.data_format(format_param="sdmx-csv-2.0", accept="application/json") == query.CSV2
    assert query.data_format(format_param=None, accept=None) == query.GENERIC
    with pytest.raises(NotAcceptable):
        query.data_format(format_param="xlsx", accept=None)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/vnd.sdmx.data+json;version=1.0.0", query.JSON1),
        ("application/vnd.sdmx.data+json;version=2.0.0", query.JSON2),
        ("application/vnd.sdmx.data+csv;version=2.0.0", query.CSV2),
        ("text/csv", query.CSV1),
        ("application/vnd.sdmx.structurespecificdata+xml;version=2.1", query.STRUCTURE_SPECIFIC),
        ("text/html;q=0.9, application/vnd.sdmx.genericdata+xml;version=2.1", query.GENERIC),
        ("*/*", query.GENERIC),
    ],
)
def test_accept_header(accept, expected):
    assert query.data_format(format_param=None, accept=accept) == expected


def test_unknown_media_type_is_not_acceptable():
    with pytest.raises(NotAcceptable):
        query.data_format(format_param=None, accept="application/pdf")
    with pytest.raises(NotAcceptable):
        query.structure_format(format_param=None, accept="application/vnd.sdmx.data+csv")


def test_boolean_parameter():
    """includeHistory: true/false in any case, absent or empty is false, anything else 400."""
    assert query.boolean({"includeHistory": "TRUE"}, "includeHistory") is True
    assert query.boolean({"includeHistory": "false"}, "includeHistory") is False
    assert query.boolean({}, "includeHistory") is False
    assert query.boolean({"includeHistory": ""}, "includeHistory") is False
    with pytest.raises(QueryError):
        query.boolean({"includeHistory": "1"}, "includeHistory")
