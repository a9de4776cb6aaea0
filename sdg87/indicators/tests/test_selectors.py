"""Statistics selectors."""

from __future__ import annotations

import pytest

from sdg87.api.tests.fixtures import ApiRows
from sdg87.indicators.models import Observation
from sdg87.indicators.selectors import (
    geography_series_coverage,
    indicator_get,
    indicator_list,
    observation_list,
    release_get,
    series_by_codes,
    series_get,
    series_latest_release_ids,
    series_list,
    series_summary,
)

pytestmark = pytest.mark.django_db


def test_indicator_list_and_get(api_rows: ApiRows):
    """indicator_list (used by the home page) includes series; indicator_get ignores case."""
    assert api_rows.indicator in indicator_list()
    assert indicator_get(code="test.1") == api_rows.indicator
    assert indicator_get(code="nope") is None


def test_series_lookups(api_rows: ApiRows):
    """Series by indicator, by code (any case), and many codes at once."""
    assert list(series_list(indicator=api_rows.indicator)) == [
        api_rows.series_a,
        api_rows.series_b,
    ]
    assert series_get(code="test_a") == api_rows.series_a
    assert set(series_by_codes(codes=["test_a", "TEST_B", "nope"])) == {
        api_rows.series_a,
        api_rows.series_b,
    }
    assert release_get(code="test-release-2024") == api_rows.new_release


def test_latest_release_is_per_series(api_rows: ApiRows):
    """Each series' newest release is its own: TEST_B's newest is the older release."""
    latest = series_latest_release_ids(series_ids=[api_rows.series_a.id, api_rows.series_b.id])
    assert latest == {
        api_rows.series_a.id: api_rows.new_release.id,
        api_rows.series_b.id: api_rows.old_release.id,
    }


def test_observation_list_default_and_explicit_release(api_rows: ApiRows):
    """Default: newest release per series; an explicit release or all_releases keeps others."""
    ids = [api_rows.series_a.id]
    assert observation_list(series_ids=ids).count() == 12
    assert observation_list(series_ids=ids, release=api_rows.old_release).count() == 2
    assert observation_list(series_ids=ids, all_releases=True).count() == 14


def test_observation_list_region_does_not_duplicate(api_rows: ApiRows):
    """Combining geographies and a region neither duplicates rows nor drops any."""
    qs = observation_list(
        series_ids=[api_rows.series_a.id],
        geography_ids=[api_rows.country_a.id],
        region=api_rows.group,
    )
    ids = list(qs.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 12


def test_observation_list_after_id(api_rows: ApiRows):
    """after_id continues strictly after the given id, in id order."""
    ids = list(
        observation_list(indicator=api_rows.indicator, all_releases=True).values_list(
            "id", flat=True
        )
    )
    rest = observation_list(indicator=api_rows.indicator, all_releases=True, after_id=ids[4])
    assert list(rest.values_list("id", flat=True)) == ids[5:]


def test_series_summary(api_rows: ApiRows, django_assert_max_num_queries):
    """Coverage per release, newest first, and overall, in three queries."""
    with django_assert_max_num_queries(3):
        summary = series_summary(series=api_rows.series_a)
    assert summary.latest_release == api_rows.new_release
    assert [c.release for c in summary.releases] == [api_rows.new_release, api_rows.old_release]
    assert (summary.geographies, summary.year_min, summary.year_max) == (2, 2018, 2022)


def test_geography_series_coverage(api_rows: ApiRows):
    """Coverage counts only each series' newest release."""
    (coverage,) = geography_series_coverage(geography=api_rows.country_a)
    assert coverage.series == api_rows.series_a
    assert (coverage.observations, coverage.year_min, coverage.year_max) == (7, 2018, 2022)
    assert Observation.objects.filter(geography=api_rows.country_a).count() == 9
