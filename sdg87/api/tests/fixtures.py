"""Rows with codes that cannot clash with the bundled data, for unit-style API tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from sdg87.geo.models import Geography, GeographyKind, GeographyMembership
from sdg87.indicators.models import Indicator, Observation, Release, Series, Source
from sdg87.indicators.services import observations_mark_latest


@dataclass
class ApiRows:
    country_a: Geography
    country_b: Geography
    group: Geography
    indicator: Indicator
    series_a: Series
    series_b: Series
    source: Source
    old_release: Release
    new_release: Release


def make_api_rows() -> ApiRows:
    """Two countries (ZZA, ZZB) in a group ZZ_GROUP; series TEST_A (two releases: 2020 with
    2018-2019 values, 2024 with 2018-2022 values) and TEST_B (one release)."""
    a = Geography.objects.create(
        code="ZZA",
        kind=GeographyKind.COUNTRY,
        iso3="ZZA",
        m49="991",
        name_en="Testland",
        name_fr="Testlande",
        name_es="Testlandia",
    )
    b = Geography.objects.create(
        code="ZZB", kind=GeographyKind.COUNTRY, iso3="ZZB", m49="992", name_en="Otherland"
    )
    group = Geography.objects.create(
        code="ZZ_GROUP", kind=GeographyKind.OTHER, m49="993", name_en="Test group"
    )
    GeographyMembership.objects.create(group=group, member=a)
    GeographyMembership.objects.create(group=group, member=b)
    indicator = Indicator.objects.create(code="TEST.1", name="Test indicator", unit="%")
    series_a = Series.objects.create(
        code="TEST_A",
        indicator=indicator,
        name="Test series A",
        unit="PERCENT",
        dimensions=["kind"],
        translations={"fr": {"name": "Série de test A"}},
    )
    series_b = Series.objects.create(
        code="TEST_B", indicator=indicator, name="Test series B", unit="NUMBER"
    )
    source = Source.objects.create(
        code="test-source", title="Test source", publisher="Test publisher", licence="CC-BY-4.0"
    )
    old = Release.objects.create(
        source=source,
        code="test-release-2020",
        title="Test release 2020",
        year=2020,
        released_on=datetime.date(2020, 6, 1),
        citation="Test publisher (2020).",
        provenance="test",
    )
    new = Release.objects.create(
        source=source,
        code="test-release-2024",
        title="Test release 2024",
        year=2024,
        citation="Test publisher (2024).",
        provenance="test",
        url="https://example.org/2024",
    )
    rows = []
    for year in (2018, 2019):
        rows.append(Observation(series=series_a, geography=a, release=old, year=year, value=1.0))
    for year in range(2018, 2023):
        for geo, value in ((a, 10.0 + year - 2018), (b, 20.0 + year - 2018)):
            rows.append(
                Observation(series=series_a, geography=geo, release=new, year=year, value=value)
            )
    for sex, value in (("F", 4.5), ("M", 5.5)):
        rows.append(
            Observation(
                series=series_a,
                geography=a,
                release=new,
                year=2022,
                sex=sex,
                age="Y5T17",
                value=value,
                dimensions={"kind": "hazardous"},
                dimensions_key="kind=hazardous",
            )
        )
    rows.append(Observation(series=series_b, geography=group, release=old, year=2020, value=300.0))
    for row in rows:
        row.unit = row.series.unit
    Observation.objects.bulk_create(rows)
    observations_mark_latest(series_ids=[series_a.id, series_b.id])
    return ApiRows(a, b, group, indicator, series_a, series_b, source, old, new)


@pytest.fixture
def api_rows(db: None) -> ApiRows:
    """The rows of make_api_rows(), for tests of the API and its selectors."""
    return make_api_rows()
