"""API v1 geography endpoints against rows with test-only codes (ZZA, ZZB, ZZ_GROUP)."""

from __future__ import annotations

import pytest

from sdg87.api.tests.fixtures import ApiRows
from sdg87.api.tests.test_routers_indicators import assert_error

pytestmark = pytest.mark.django_db


def test_countries_filter_by_region(client, api_rows: ApiRows):
    """`region` keeps the members of an aggregate, by its code or M49 code."""
    for region in ("ZZ_GROUP", "993"):
        body = client.get(f"/api/v1/countries?region={region}").json()
        assert [c["iso3"] for c in body["results"]] == ["ZZB", "ZZA"]  # by English name
        assert body["count"] == 2


def test_country_shape_and_lang(client, api_rows: ApiRows):
    """Countries carry codes, names in three languages, `name` in `lang`, and group codes."""
    body = client.get("/api/v1/countries?region=ZZ_GROUP&q=testl&lang=fr").json()
    assert body["results"] == [
        {
            "code": "ZZA",
            "iso3": "ZZA",
            "iso2": "",
            "m49": "991",
            "name": "Testlande",
            "names": {"en": "Testland", "fr": "Testlande", "es": "Testlandia"},
            "groups": ["ZZ_GROUP"],
        }
    ]


def test_countries_name_search_all_languages(client, api_rows: ApiRows):
    """`q` matches English, French or Spanish names, case-insensitively."""
    for q in ("testland", "TESTLANDE", "testlandia"):
        body = client.get(f"/api/v1/countries?q={q}").json()
        assert "ZZA" in [c["iso3"] for c in body["results"]]


def test_countries_names_fall_back_to_english(client, api_rows: ApiRows):
    """A missing translation falls back to the English name."""
    body = client.get("/api/v1/countries?q=Otherland&lang=es").json()
    assert body["results"][0]["name"] == "Otherland"
    assert body["results"][0]["names"]["fr"] == "Otherland"


def test_countries_errors(client, api_rows: ApiRows):
    """Unknown or non-aggregate regions and bad languages are JSON errors."""
    assert_error(client.get("/api/v1/countries?region=QQQ"), 400, "unknown_geography")
    assert_error(client.get("/api/v1/countries?region=ZZA"), 400, "invalid_parameter")
    assert_error(client.get("/api/v1/countries?lang=xx"), 422, "invalid_parameter")


def test_country_detail(client, api_rows: ApiRows):
    """Country detail lists its groups and its series with data and years, counting the newest
    value of each data point (7: the 2020 release's two values of TEST_A are superseded)."""
    body = client.get("/api/v1/countries/zza").json()
    assert body["iso3"] == "ZZA" and body["m49"] == "991"
    assert body["groups"] == [
        {"code": "ZZ_GROUP", "kind": "other", "m49": "993", "name": "Test group"}
    ]
    assert body["series"] == [
        {
            "code": "TEST_A",
            "name": "Test series A",
            "indicator": "TEST.1",
            "unit": "PERCENT",
            "observations": 7,
            "year_min": 2018,
            "latest_year": 2022,
        }
    ]


def test_country_detail_404(client, api_rows: ApiRows):
    """An unknown ISO3 code, or an aggregate's code, is a JSON 404."""
    assert_error(client.get("/api/v1/countries/QQQ"), 404, "unknown_country")
    assert_error(client.get("/api/v1/countries/ZZ_GROUP"), 404, "unknown_country")


def test_geographies(client, api_rows: ApiRows):
    """Aggregates list their kind, codes and member ISO3 codes; `kind` filters."""
    body = client.get("/api/v1/geographies?kind=other").json()
    group = next(g for g in body["results"] if g["code"] == "ZZ_GROUP")
    assert group["members"] == ["ZZA", "ZZB"]
    assert group["kind"] == "other" and group["m49"] == "993"
    assert {g["kind"] for g in body["results"]} == {"other"}
    everything = client.get("/api/v1/geographies").json()
    assert "ZZ_GROUP" in [g["code"] for g in everything["results"]]
    assert "ZZA" not in [g["code"] for g in everything["results"]]


def test_geographies_errors(client, api_rows: ApiRows):
    """An unknown kind is 422, kind=country is 400 (countries have their own endpoint)."""
    assert_error(client.get("/api/v1/geographies?kind=planet"), 422, "invalid_parameter")
    assert_error(client.get("/api/v1/geographies?kind=country"), 400, "invalid_parameter")


def test_geo_query_counts(client, api_rows: ApiRows, django_assert_max_num_queries):
    """List endpoints prefetch: a constant number of queries whatever the row count."""
    # countries, their groups and their aliases (searched by `q`, sdg87.geo.names)
    with django_assert_max_num_queries(3):
        client.get("/api/v1/countries")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/countries?region=ZZ_GROUP")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/geographies")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/countries/ZZA")
