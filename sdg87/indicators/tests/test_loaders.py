"""The bundled statistics as loaded by the indicators load steps."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, Sum

from sdg87.core.loading import LOADER_MODULES, run_step
from sdg87.indicators import loaders, metadata, population
from sdg87.indicators.models import Indicator, Observation, Release, Series

pytestmark = pytest.mark.django_db


def _obs(series: str, geo: str, year: int, **kw):
    return Observation.objects.filter(series__code=series, geography__code=geo, year=year, **kw)


def test_loader_module_runs_after_geo():
    """The indicators steps are registered after the geography steps."""
    assert LOADER_MODULES.index("sdg87.indicators.loaders") > LOADER_MODULES.index(
        "sdg87.geo.loaders"
    )


def test_world_2020_child_labour_with_chores(bundled_data):
    """World 2020 SL_TLF_CHLDEC: 9.6 (_T), 7.8 (F), 11.2 (M), nature N, ages 5-17."""
    rows = {o.sex: o for o in _obs("SL_TLF_CHLDEC", "001", 2020, age="Y5T17")}
    assert {sex: o.value for sex, o in rows.items()} == {"_T": 9.6, "F": 7.8, "M": 11.2}
    assert {o.nature for o in rows.values()} == {"N"}
    assert rows["_T"].release.code == "unsd-sdg-2023-12"


def test_bangladesh_2019_child_labour(bundled_data):
    """Bangladesh 2019 SL_TLF_CHLDEA is 5.9 for both sexes, ages 5-17."""
    (obs,) = _obs("SL_TLF_CHLDEA", "BGD", 2019, sex="_T", age="Y5T17")
    assert obs.value == 5.9
    assert obs.unit == "PERCENT"


def test_gsi_2023_has_160_countries_summing_to_49_63_million(bundled_data):
    """GSI 2023: 160 countries with estimates summing to 49,630,000 (about 49.6 million)."""
    numbers = Observation.objects.filter(series__code="GSI_NUMBER", release__code="gsi-2023")
    totals = numbers.aggregate(n=Count("id"), total=Sum("value"))
    assert totals == {"n": 160, "total": 49_630_000}
    assert (
        Observation.objects.filter(series__code="GSI_PREV_1000", geography__kind="country").count()
        == 160
    )


def test_ilo_unicef_world_child_labour_2020_and_2024(bundled_data):
    """ILO-UNICEF: 160 million in 2020 (2021 report) and 138 million in 2024 (2025 report)."""
    (y2020,) = _obs("ILO_CL_NUM", "001", 2020, sex="_T", dimensions_key="")
    (y2024,) = _obs("ILO_CL_NUM", "001", 2024, sex="_T", dimensions_key="")
    assert (y2020.value, y2020.unit, y2020.release.code) == (
        160,
        "MILLION_CHILDREN",
        "ilo-unicef-cl-ge-2021",
    )
    assert (y2024.value, y2024.release.code) == (138, "ilo-unicef-cl-ge-2025")


def test_unverified_rows_are_not_loaded(bundled_data):
    """Unverified figures (e.g. 2016 child labour 9.6 %, 2000 hazardous 11.1 %) are absent."""
    assert not _obs("ILO_CL_PCT", "001", 2016).exists()
    assert not _obs("ILO_HAZ_PCT", "001", 2000).exists()
    assert not _obs("ILO_HAZ_NUM", "001", 2004).exists()
    # verified rows around them are present
    assert _obs("ILO_HAZ_NUM", "001", 2000).get().value == 171


def test_qualified_statuses_are_loaded_with_the_status_in_the_note(bundled_data):
    """verified_conflicting/approx rows load, with the status named in the note."""
    arab = _obs("ILO_CL_NUM", "ILO_ARAB_STATES", 2016).get()
    assert arab.value == 1.2
    assert "verified_conflicting" in arab.note
    assert "verified_approx" in _obs("ILO_CL_PCT", "001", 2024).get().note


def test_metadata_records(bundled_data):
    """Indicators, series and releases carry the documented codes, targets and translations."""
    assert set(Indicator.objects.values_list("code", flat=True)) >= {
        spec.code for spec in metadata.INDICATORS
    }
    ind = Indicator.objects.get(code="8.7.1")
    assert ind.custodians == "ILO; UNICEF"
    assert "43 hours" in ind.methodology and "21 hours" in ind.methodology
    assert ind.translations["fr"]["name"] and ind.translations["es"]["name"]
    assert Series.objects.get(code="SL_TLF_CHLDEA").target_year == 2025
    assert Series.objects.get(code="VC_HTF_DETVR").target_year == 2030
    assert Series.objects.filter(indicator__code="16.2.2").count() == 10
    assert Release.objects.get(code="gsi-2023").licence == "attribution required; terms unverified"
    assert Release.objects.get(code="unsd-sdg-2023-12").source.licence == "CC-BY-4.0"
    assert Observation.objects.filter(
        series__code="VC_HTF_DETVSX", dimensions_key="exploitation=SEXUAL"
    ).exists()


def test_every_catalogued_series_has_observations(bundled_data):
    """No series in the catalogue is empty (codes others build on all carry data)."""
    empty = Series.objects.filter(
        code__in=[s.code for s in metadata.SERIES], observations__isnull=True
    )
    assert list(empty.values_list("code", flat=True)) == []


def test_loading_twice_gives_the_same_counts(bundled_data):
    """Running every indicators step again (forced) yields the same observation counts."""
    data_dir = Path(settings.SDG87_DATA_DIR)
    codes = [r.code for r in metadata.RELEASES] + [population.POPULATION_RELEASE]

    def counts():
        return dict(
            Observation.objects.filter(release__code__in=codes)
            .values_list("release__code")
            .annotate(n=Count("id"))
        )

    before = counts()
    outcomes = [run_step(step, data_dir=data_dir, force=True) for step in loaders.STEPS]
    assert counts() == before
    assert sum(o.rows for o in outcomes) == sum(before.values())
