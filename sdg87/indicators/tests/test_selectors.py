"""Statistics selectors."""

from __future__ import annotations

import pytest

from sdg87.api.tests.fixtures import ApiRows
from sdg87.indicators.models import Observation
from sdg87.indicators.selectors import (
    geography_series_coverage,
    indicator_get,
    indicator_list,
    observation_history,
    observation_list,
    observation_newest_by_geography,
    observation_timelines,
    observations_of_series,
    release_get,
    series_by_codes,
    series_get,
    series_list,
    series_summary,
)
from sdg87.indicators.services import observations_mark_latest

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


def test_observation_list_default_and_explicit_release(api_rows: ApiRows):
    """Default: the newest value of each data point; an explicit release or all_releases keeps
    the superseded values."""
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
    """Coverage counts the newest value of each data point: TEST_A's 2018-2019 values of the
    2020 release are superseded by the 2024 release."""
    (coverage,) = geography_series_coverage(geography=api_rows.country_a)
    assert coverage.series == api_rows.series_a
    assert (coverage.observations, coverage.year_min, coverage.year_max) == (7, 2018, 2022)
    assert Observation.objects.filter(geography=api_rows.country_a).count() == 9


def test_observation_history_keeps_the_newest_value_of_each_year(api_rows: ApiRows):
    """2018 and 2019 are in both releases: the 2024 release's figures are kept, one per year."""
    history = observation_history(
        series_code="TEST_A", geography_code="ZZA", sex="_T", age="_T", dimensions_key=""
    )
    assert list(history) == [2018, 2019, 2020, 2021, 2022]
    assert {obs.release for obs in history.values()} == {api_rows.new_release}
    assert [obs.value for obs in history.values()] == [10.0, 11.0, 12.0, 13.0, 14.0]


def test_a_year_only_in_an_older_release_stays(api_rows: ApiRows):
    """A value the newer release does not repeat stays visible from the older release."""
    Observation.objects.filter(
        release=api_rows.new_release, geography=api_rows.country_a, year=2018
    ).delete()
    observations_mark_latest(series_ids=[api_rows.series_a.id])
    history = observation_history(series_code="TEST_A", geography_code="ZZA", sex="_T", age="_T")
    assert (history[2018].release, history[2018].value) == (api_rows.old_release, 1.0)
    assert history[2019].release == api_rows.new_release


def test_observations_of_series_hold_no_superseded_value(api_rows: ApiRows):
    """Every observation of the series, without the two values the 2024 release revised."""
    rows = observations_of_series(series_codes=["TEST_A", "TEST_B"])
    assert len(rows) == 12 + 1
    assert api_rows.old_release not in {o.release for o in rows if o.series == api_rows.series_a}
    assert [o.id for o in rows] == sorted(o.id for o in rows)


def test_newest_by_geography_and_timelines(api_rows: ApiRows):
    """The newest year of each place (up to year_to), and each place's years in order."""
    newest = observation_newest_by_geography(
        series=api_rows.series_a, sex="_T", age="_T", year_to=2021
    )
    assert {geo: (o.year, o.value) for geo, o in newest.items()} == {
        api_rows.country_a.id: (2021, 13.0),
        api_rows.country_b.id: (2021, 23.0),
    }
    only_a = observation_newest_by_geography(
        series=api_rows.series_a, sex="_T", age="_T", geography_ids=[api_rows.country_a.id]
    )
    assert list(only_a) == [api_rows.country_a.id]
    timelines = observation_timelines(
        series=api_rows.series_a, geography_ids=[api_rows.country_b.id], sex="_T", age="_T"
    )
    assert [o.year for o in timelines[api_rows.country_b.id]] == [2018, 2019, 2020, 2021, 2022]
