"""The country time series (data/timeseries/) as loaded: own series and releases, no false
trend, no value counted twice, and trends on the country profiles.

Figures were read by hand off the bundled files; the country counts are the ones
data/timeseries/PROVENANCE-timeseries.md states (WDI: 84 countries with 2 or more survey
years; UN SL_TLF_CHLDEA: 34 once REPLACED rows are left out and age bands kept apart,
SL_TLF_CHLDEC: 25; ILOSTAT 5-17: 18).
"""

from __future__ import annotations

import pytest
from django.db.models import Count

from sdg87.geo.models import Geography
from sdg87.indicators.analysis_selectors import progress_list
from sdg87.indicators.models import Observation, Series
from sdg87.indicators.selectors import countries_with_trend

pytestmark = pytest.mark.django_db

HISTORY = "unsd-sdg-earlier-extracts-2018-2022"
CURRENT = "unsd-sdg-2023-12"
CL_SERIES = ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC")
NEW_SERIES = ("SL_TLF_0714_ZS", "SL_TLF_0714_WK_ZS", "SL_TLF_0714_SW_ZS", "CLD_XSNA_SEX_AGE_STU_NB")


def _obs(series: str, geo: str, **kw):
    return Observation.objects.filter(series__code=series, geography__code=geo, **kw)


def test_wdi_bangladesh_2013_by_sex(bundled_data):
    """WDI children in employment 7-14, Bangladesh 2013: 5.002084 % (both sexes), 4.224495 %
    (girls), in its own release; study and work 41.92633 % of the children in employment."""
    rows = {o.sex: o for o in _obs("SL_TLF_0714_ZS", "BGD", year=2013)}
    assert {sex: o.value for sex, o in rows.items()} == {
        "_T": 5.002084,
        "F": 4.224495,
        "M": 5.72861,
    }
    assert {(o.age, o.unit, o.release.code) for o in rows.values()} == {
        ("Y7T14", "PERCENT", "wdi-children-in-employment-2020")
    }
    assert _obs("SL_TLF_0714_SW_ZS", "BGD", year=2013).get().value == 41.92633


def test_unsd_replaced_rows_make_no_false_trend(bundled_data):
    """Afghanistan SL_TLF_CHLDEA (both sexes, 5-17): 2014 = 16.6 from the earlier extracts and
    2020 = 9 from the December 2023 extract; the 2013 row (the same survey, re-dated to 2014)
    is not loaded, nor Palestine's 2019 10-17 row (re-tabulated as 5-17)."""
    points = {
        o.year: (o.value, o.release.code)
        for o in _obs("SL_TLF_CHLDEA", "AFG", sex="_T", age="Y5T17")
    }
    assert points == {2014: (16.6, HISTORY), 2020: (9.0, CURRENT)}
    assert not _obs("SL_TLF_CHLDEA", "PSE", year=2019, age="Y10T17").exists()


def test_no_data_point_is_in_two_releases_and_every_value_is_latest(bundled_data):
    """The earlier extracts add 291 values and share no data point with the 622 of the
    December 2023 extract, so every 8.7.1 value is the newest of its point (ADR 0005)."""
    cl = Observation.objects.filter(series__code__in=CL_SERIES)
    assert dict(cl.values_list("release__code").annotate(n=Count("id"))) == {
        CURRENT: 622,
        HISTORY: 291,
    }
    shared = (
        cl.values("series_id", "geography_id", "year", "sex", "age", "dimensions_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not shared.exists()
    assert not cl.filter(is_latest=False).exists()


def test_ilostat_totals_modelled_regions_and_left_out_rows(bundled_data):
    """ILOSTAT 5-17, thousands: Uganda 2021 = 5,491.148; World 2020 = 222,087.541 (modelled,
    nature M) and the five ILO regions; Egypt's DHS 2014 count (1.927, flagged implausibly
    small) and the 15-17 band are not loaded."""
    code = "CLD_XSNA_SEX_AGE_STU_NB"
    uganda = _obs(code, "UGA", year=2021, sex="_T").get()
    assert (uganda.value, uganda.unit, uganda.age) == (5491.148, "THOUSANDS", "Y5T17")
    assert "LFS - National Labour Force Survey" in uganda.note
    world = _obs(code, "001", year=2020, sex="_T").get()
    assert (world.value, world.nature) == (222087.541, "M")
    regions = set(
        Observation.objects.filter(series__code=code, geography__kind="ilo_region").values_list(
            "geography__code", flat=True
        )
    )
    assert len(regions) == 5
    assert not _obs(code, "EGY", year=2014).exists()
    assert set(Observation.objects.filter(series__code=code).values_list("age", flat=True)) == {
        "Y5T17"
    }


def test_countries_with_two_or_more_years_per_series(bundled_data):
    """Countries with at least two years of one breakdown (both sexes, one age band): WDI 84
    in each of its three series, SL_TLF_CHLDEA 34, SL_TLF_CHLDEC 25, ILOSTAT 18; 88 countries
    in all, where the December 2023 extract alone gave none."""
    trends = countries_with_trend(series_codes=(*CL_SERIES, *NEW_SERIES))
    assert {code: len(isos) for code, isos in trends.items()} == {
        "SL_TLF_CHLDEA": 34,
        "SL_TLF_CHLDEC": 25,
        "SL_TLF_0714_ZS": 84,
        "SL_TLF_0714_WK_ZS": 84,
        "SL_TLF_0714_SW_ZS": 84,
        "CLD_XSNA_SEX_AGE_STU_NB": 18,
    }
    assert {"BGD", "MEX", "VNM", "TZA", "NGA", "PHL"} <= trends["SL_TLF_CHLDEA"]
    assert len(set().union(*trends.values())) == 88
    current_only = (
        Observation.objects.filter(
            series__code__in=CL_SERIES, release__code=CURRENT, geography__kind="country"
        )
        .values("series_id", "geography_id", "sex", "age")
        .annotate(years=Count("year"))
        .filter(years__gt=1)
    )
    assert not current_only.exists()


def test_country_profiles_show_the_8_7_1_trends(bundled_data):
    """Each of the 34 countries with an 8.7.1 trend shows it on its profile (the rows of
    sdg87.site.selectors.country_series_rows): a row of SL_TLF_CHLDEA with two or more years,
    one age band, the series naming its measure."""
    from sdg87.site import selectors as site_selectors  # the page's own read, not a dependency

    isos = countries_with_trend(series_codes=CL_SERIES)["SL_TLF_CHLDEA"]
    world = site_selectors.world()
    shown = set()
    for country in Geography.objects.filter(iso3__in=isos):
        rows = site_selectors.country_series_rows(
            country=country,
            region=site_selectors.geography_sdg_region(geography=country),
            world_geo=world,
        )
        for row in rows:
            if row.series.code == "SL_TLF_CHLDEA" and len({o.year for o in row.trend}) >= 2:
                assert len({o.age for o in row.trend}) == 1
                shown.add(country.iso3)
    assert len(shown) >= 30
    assert "economic activity" in Series.objects.get(code="SL_TLF_CHLDEA").name


def test_trends_feed_progress_to_target(bundled_data):
    """Viet Nam's child labour (economic activity, 5-17) fell from 12.1 % in 2014 (earlier
    extract) to 5.693 % in 2021 (December 2023 extract): progress reads both releases."""
    series = Series.objects.get(code="SL_TLF_CHLDEA")
    vnm = Geography.objects.get(iso3="VNM")
    (result,) = progress_list(series=series, geography_ids=[vnm.pk], age="Y5T17")
    assert (result.progress.first.year, result.progress.first.value) == (2014, 12.1)
    assert (result.progress.last.year, result.progress.last.value) == (2021, 5.693)
    assert [r.code for r in result.releases] == [HISTORY, CURRENT]
