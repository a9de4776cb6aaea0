"""observation_filter_resolve: codes of an observations query to rows, or an error naming the
parameter (rows with test-only codes: TEST_A, ZZA, ZZ_GROUP, ...)."""

from __future__ import annotations

import pytest

from sdg87.api.tests.fixtures import ApiRows
from sdg87.indicators.observation_filters import (
    ObservationFilterError,
    observation_filter_resolve,
)

pytestmark = pytest.mark.django_db


def test_no_codes_no_filters(api_rows: ApiRows) -> None:
    """Nothing asked: nothing filtered, default view (no release, not all releases)."""
    resolved = observation_filter_resolve()
    assert resolved.series_ids is None and resolved.geography_ids is None
    assert resolved.indicator is None and resolved.region is None
    assert resolved.release is None and not resolved.all_releases


def test_codes_resolve(api_rows: ApiRows) -> None:
    """Series codes in any case (repeated once), geo by M49 and countries by ISO3 join into
    one set; region, indicator and release are the rows; `all` is every release."""
    resolved = observation_filter_resolve(
        series=["test_a", "TEST_B", "TEST_A"],
        indicator="TEST.1",
        geo=["993"],
        country=["ZZA"],
        region="ZZ_GROUP",
        release="test-release-2020",
    )
    assert resolved.series_ids == sorted([api_rows.series_a.id, api_rows.series_b.id])
    assert resolved.indicator == api_rows.indicator
    assert resolved.geography_ids == {api_rows.group.id, api_rows.country_a.id}
    assert resolved.region == api_rows.group
    assert resolved.release == api_rows.old_release
    assert observation_filter_resolve(release="all").all_releases


@pytest.mark.parametrize(
    ("kwargs", "code", "parameter", "named"),
    [
        ({"series": ["TEST_A", "NOPE", "ZILCH"]}, "unknown_series", "series", "NOPE, ZILCH"),
        ({"indicator": "9.9.9"}, "unknown_indicator", "indicator", "9.9.9"),
        ({"geo": ["ZZA", "QQQ"]}, "unknown_geography", "geo", "QQQ"),
        ({"country": ["ZZ_GROUP"]}, "unknown_country", "country", "ZZ_GROUP"),
        ({"region": "ZZA"}, "unknown_geography", "region", "ZZA"),
        ({"release": "no-such-release"}, "unknown_release", "release", "no-such-release"),
        # the first unknown code in parameter order is the one reported
        ({"series": ["NOPE"], "release": "no-such-release"}, "unknown_series", "series", "NOPE"),
    ],
)
def test_unknown_codes_name_the_parameter(
    api_rows: ApiRows, kwargs: dict[str, object], code: str, parameter: str, named: str
) -> None:
    """An unknown code (or a country code that is an aggregate, a region that is a country)
    raises ObservationFilterError with the machine code, the parameter and the codes."""
    with pytest.raises(ObservationFilterError) as info:
        observation_filter_resolve(**kwargs)  # type: ignore[arg-type]
    assert (info.value.code, info.value.parameter) == (code, parameter)
    assert named in info.value.message
