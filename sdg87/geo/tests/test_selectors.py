"""Geography selectors."""

from __future__ import annotations

import pytest

from sdg87.api.tests.fixtures import ApiRows
from sdg87.geo.selectors import (
    country_get,
    country_list,
    geography_get,
    geography_list,
    geography_resolve,
)

pytestmark = pytest.mark.django_db


def test_country_list_without_arguments_lists_countries_only(api_rows: ApiRows):
    """The no-argument form (used by the home page) lists countries, not aggregates."""
    codes = set(country_list().values_list("code", flat=True))
    assert {"ZZA", "ZZB"} <= codes
    assert "ZZ_GROUP" not in codes


def test_country_list_region_and_q(api_rows: ApiRows):
    """`region` keeps members, `q` searches names in three languages and ISO3."""
    assert list(country_list(region=api_rows.group)) == [api_rows.country_b, api_rows.country_a]
    assert api_rows.country_a in country_list(q="testlandia")
    assert list(country_list(region=api_rows.group, q="zza")) == [api_rows.country_a]


def test_geography_get_by_code_iso3_or_m49(api_rows: ApiRows):
    """A geography is found by code (any case) or M49 code (with or without leading zeros)."""
    assert geography_get(code="zza") == api_rows.country_a
    assert geography_get(code="991") == api_rows.country_a
    assert geography_get(code="ZZ_GROUP") == api_rows.group
    assert geography_get(code="QQQ") is None


def test_country_get(api_rows: ApiRows):
    """Only countries are found by country_get."""
    assert country_get(iso3="zza") == api_rows.country_a
    assert country_get(iso3="ZZ_GROUP") is None


def test_geography_list_excludes_countries(api_rows: ApiRows):
    """Aggregates only, filterable by kind, with country members prefetched."""
    groups = list(geography_list(kind="other"))
    assert api_rows.group in groups
    assert all(g.kind == "other" for g in groups)
    group = next(g for g in groups if g == api_rows.group)
    assert [m.iso3 for m in group.members.all()] == ["ZZA", "ZZB"]


def test_geography_resolve(api_rows: ApiRows, django_assert_num_queries):
    """Many codes of mixed kinds resolve in one query; unknown ones are reported."""
    with django_assert_num_queries(1):
        found, missing = geography_resolve(codes=["zza", "992", "ZZ_GROUP", "QQQ", "0993"])
    assert found["zza"] == api_rows.country_a
    assert found["992"] == api_rows.country_b
    assert found["ZZ_GROUP"] == api_rows.group
    assert missing == ["QQQ", "0993"]
