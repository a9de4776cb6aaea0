"""A fixed number of queries per public page (issue 15 item 1): the country profile and the
indicator page read their observations in a constant number of queries, however many series,
places or charts they show."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.geo.selectors import country_get
from sdg87.indicators.models import Release, Series, Source
from sdg87.site import selectors as sel

pytestmark = pytest.mark.django_db

COUNTRY_MAX_QUERIES = 36
INDICATOR_MAX_QUERIES = 18


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _series_count(iso3: str) -> int:
    country = country_get(iso3=iso3)
    assert country is not None
    return len(
        sel.country_series_rows(
            country=country,
            region=sel.geography_sdg_region(geography=country),
            world_geo=sel.world(),
        )
    )


def test_country_rows_take_the_same_few_queries_for_any_number_of_series(bundled_data):
    """The rows of a profile (every series' trend, latest, region and world values) take at
    most 8 queries (values of the country, region and world; breakdown counts where needed;
    the instances shown; their series, releases and sources translations), for Kenya's many
    series as for a country with a few."""
    # Content types are cached per process (warm in any running server); a transactional test
    # earlier in this worker empties that cache with the tables, so fill it before counting.
    ContentType.objects.get_for_models(Series, Release, Source)
    for iso3 in ("KEN", "BGD", "LIE"):
        country = country_get(iso3=iso3)
        assert country is not None
        region = sel.geography_sdg_region(geography=country)
        world = sel.world()
        with CaptureQueriesContext(connection) as captured:
            rows = sel.country_series_rows(country=country, region=region, world_geo=world)
        assert len(captured) <= 8, (iso3, len(rows), len(captured))
    assert _series_count("KEN") >= _series_count("LIE") + 5


def test_country_profile_queries_are_bounded(client, bundled_data):
    """A whole profile, sections and charts included, in a bounded number of queries."""
    counts = {iso3: _queries(client, f"/en/countries/{iso3}/") for iso3 in ("KEN", "BGD", "LIE")}
    assert max(counts.values()) <= COUNTRY_MAX_QUERIES, counts


def test_indicator_page_queries_do_not_grow_with_places_or_charts(client, bundled_data):
    """A series with data for many places and one with few, and a chart of one place or of
    several, take the same bounded number of queries."""
    paths = [
        "/en/indicators/VC_HTF_DETV/",
        "/en/indicators/SL_TLF_CHLDEA/",
        "/en/indicators/SL_TLF_CHLDEA/?geo=KEN",
        "/en/indicators/SL_TLF_CHLDEA/?geo=KEN&geo=NPL&geo=BGD&geo=ETH",
    ]
    counts = {path: _queries(client, path) for path in paths}
    assert max(counts.values()) <= INDICATOR_MAX_QUERIES, counts
    assert max(counts.values()) - min(counts.values()) <= 3, counts
