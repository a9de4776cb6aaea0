"""A small statistical series for the indicator-link tests: Uganda's values in a public
release (2012: 20.0, 2017: 15.0) and one in a release that is not public (2020: 99.0), which
no public page may show. Imported by name by the test modules."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation, Release, Series, Source


@pytest.fixture
def test_series(uga: Geography) -> Series:
    source = Source.objects.create(
        code="zz-test-source",
        title="ZZ Test Survey",
        publisher="ZZ Statistics Office",
        url="https://example.org/zz-survey",
        licence="CC-BY-4.0",
    )
    public = Release.objects.create(
        source=source,
        code="zz-test-2018",
        title="ZZ Test Survey 2018",
        year=2018,
        url="https://example.org/zz-survey/2018",
    )
    hidden = Release.objects.create(
        source=source, code="zz-test-2021", title="ZZ embargoed", year=2021, is_public=False
    )
    series = Series.objects.create(
        code="ZZ_CL_TEST", name="ZZ children in hazardous work", unit="PERCENT"
    )
    for release, year, value in ((public, 2012, 20.0), (public, 2017, 15.0), (hidden, 2020, 99.0)):
        Observation.all_objects.create(
            series=series, geography=uga, release=release, year=year, value=value, unit="PERCENT"
        )
    return series


def link_values(test_series: Series, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments of a valid link: baseline 15.0 in 2017, target 5.0 by 2030."""
    values: dict[str, Any] = {
        "series": test_series,
        "baseline_year": 2017,
        "baseline_value": 15.0,
        "target_year": 2030,
        "target_value": 5.0,
        "target_text": "",
        "label": "Share of children in hazardous work",
        "source_url": "https://example.org/uganda-nap",
    }
    values.update(overrides)
    return values
