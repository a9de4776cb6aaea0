"""Population aged 5-17 (SP_POP_5T17, UN WPP 2019): the load step and its figures, against the
real bundled data (loaded once by `bundled_data`)."""

from __future__ import annotations

import pytest

from sdg87.core import loading
from sdg87.geo.models import GeographyKind
from sdg87.indicators import population
from sdg87.indicators.loaders import STEPS
from sdg87.indicators.models import Observation, Release, Series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]


def test_step_keeps_its_recorded_key_and_order() -> None:
    """The step keeps the key `geo.population` (databases that loaded it skip it), is
    registered with the statistics and still runs right after the geography steps."""
    assert STEPS[0] is population.STEP
    assert population.STEP.key == "geo.population"
    assert population.STEP.version == "1"
    assert population.STEP.files == ("population/wpp2019_population_aged_5_17.csv",)
    keys = [step.key for step in loading.all_steps()]
    assert keys.index("geo.population") == keys.index("geo.aliases") + 1  # the last geo step


def test_series_metadata() -> None:
    """SP_POP_5T17 has no indicator, counts thousands and is named in three languages."""
    series = Series.objects.get(code=population.POPULATION_SERIES)
    assert series.indicator is None
    assert (series.unit, series.decimals) == ("THOUSANDS", 3)
    assert series.translations["fr"]["name"] == "Population âgée de 5 à 17 ans"


def test_world_population_1990() -> None:
    """World 1990, both sexes, aged 5-17 = 1,417,752.621 thousand (WPP 2019 estimate)."""
    obs = Observation.objects.get(
        series__code="SP_POP_5T17", geography__code="001", year=1990, sex="_T", age="Y5T17"
    )
    assert obs.value == pytest.approx(1417752.621)
    assert (obs.unit, obs.nature, obs.note) == ("THOUSANDS", "E", "")
    assert obs.release.code == "un-wpp-2019"
    assert obs.release.source.licence == "CC-BY-3.0-IGO"


def test_population_bands_and_projections() -> None:
    """Countries have four age bands by three sexes; years after 2020 are projections."""
    kenya = Observation.objects.filter(series__code="SP_POP_5T17", geography__code="KEN")
    assert set(kenya.values_list("age", flat=True)) == {"Y5T17", "Y5T11", "Y12T14", "Y15T17"}
    assert set(kenya.values_list("sex", flat=True)) == {"_T", "F", "M"}
    projection = kenya.get(year=2030, sex="F", age="Y5T11")
    assert projection.nature == "M"
    assert projection.note == "WPP 2019 medium-variant projection"
    assert kenya.get(year=2019, sex="F", age="Y5T11").nature == "E"
    bands = kenya.filter(year=2010, sex="_T").exclude(age="Y5T17")
    total = kenya.get(year=2010, sex="_T", age="Y5T17").value
    assert sum(bands.values_list("value", flat=True)) == pytest.approx(total, abs=0.01)


def test_population_aggregates() -> None:
    """WPP aggregates land on World, WB_LIC, WB_HIC and Channel Islands (830) only."""
    release = Release.objects.get(code="un-wpp-2019")
    geos = set(
        Observation.objects.filter(release=release)
        .exclude(geography__kind=GeographyKind.COUNTRY)
        .values_list("geography__code", flat=True)
        .distinct()
    )
    assert geos == {"001", "WB_LIC", "WB_HIC", "830"}
    lic = Observation.objects.filter(release=release, geography__code="WB_LIC").first()
    assert lic is not None and "Low-income" in lic.note
