"""Population aged 5-17 (series SP_POP_5T17, UN WPP 2019): the denominator of SDG 8.7.1.

Population figures are observations like any other statistic, so their series, release and
import live here with the statistics; `geo` only says which places exist. The WPP file itself
is read by the pure parsers in `sdg87.geo.parsers` (they map WPP locations to our geography
codes). The load step keeps the key `geo.population` it was first recorded under, so databases
that loaded it before do not load it again.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from sdg87.core.ingest import reading
from sdg87.core.loading import LoadStep
from sdg87.geo import parsers
from sdg87.geo.parsers import PopulationValue
from sdg87.indicators.models import Release, Series
from sdg87.indicators.services import (
    ObservationRow,
    observations_import,
    release_upsert,
    series_upsert,
    source_upsert,
)

POPULATION_SERIES = "SP_POP_5T17"
POPULATION_UNIT = "THOUSANDS"
POPULATION_RELEASE = "un-wpp-2019"
WPP_POPULATION = "population/wpp2019_population_aged_5_17.csv"


@transaction.atomic
def population_series_upsert() -> Series:
    """The series holding WPP population aged 5-17, the denominator of SDG 8.7.1."""
    # Through series_upsert, like every loader: a field an editor changed is kept.
    return series_upsert(
        code=POPULATION_SERIES,
        indicator=None,
        name="Population aged 5-17 years",
        description=(
            "Population on 1 July by sex and by the SDG 8.7.1 age bands 5-11, 12-14 and 15-17, "
            "summed from single years of age in UN DESA World Population Prospects 2019."
        ),
        unit=POPULATION_UNIT,
        unit_label="thousand persons",
        dimensions=[],
        decimals=3,
        translations={
            "fr": {"name": "Population âgée de 5 à 17 ans", "unit_label": "milliers de personnes"},
            "es": {"name": "Población de 5 a 17 años", "unit_label": "miles de personas"},
        },
    )


@transaction.atomic
def population_import(*, release: Release, values: Iterable[PopulationValue]) -> int:
    """Replace the release's population observations (all or nothing, via
    observations_import)."""
    rows = (
        ObservationRow(
            series=POPULATION_SERIES,
            geo=value.geo,
            year=value.year,
            value=value.value,
            unit=POPULATION_UNIT,
            sex=value.sex,
            age=value.age,
            nature=value.nature,
            note=value.note,
            line=value.line,
        )
        for value in values
    )
    return observations_import(release=release, rows=rows)


WPP_CITATION = (
    "United Nations, Department of Economic and Social Affairs, Population Division (2019). "
    "World Population Prospects 2019, Online Edition. Rev. 1."
)
WPP_PROVENANCE = (
    "data/population/wpp2019_population_aged_5_17.csv, built from the DDF conversion of UN WPP "
    "2019 in repository open-numbers/ddf--unpop--wpp_population (HEAD "
    "2eee2208f2e4fd902eb10753d44718ebc1080a49, 2019-07-20), population by single year of age "
    "and sex (thousands, 1 July). Sums of single ages 5-17 and the bands 5-11, 12-14, 15-17 "
    "per location, year and sex; both sexes = male + female; rounded to 0.001 thousand "
    "(data/PROVENANCE.md section 5). Loaded for countries (by ISO3), WPP 900 World -> 001, "
    "WPP 830 Channel Islands -> M49 intermediate region 830, WPP 1500 Low-income countries -> "
    "WB_LIC and 1503 High-income countries -> WB_HIC (WPP's World Bank classification); WPP "
    "1517 Middle-income countries and 1518 No income group available are not loaded."
)


def load_population(data_dir: Path) -> int:
    """WPP 2019 population aged 5-17 by sex and age band as series SP_POP_5T17."""
    path = data_dir / WPP_POPULATION
    source = source_upsert(
        code="un-wpp",
        title="World Population Prospects",
        publisher="United Nations, Department of Economic and Social Affairs, Population Division",
        licence="CC-BY-3.0-IGO",
        licence_url="https://creativecommons.org/licenses/by/3.0/igo/",
        url="https://population.un.org/wpp/",
        description=(
            "Official United Nations population estimates and projections for every country "
            "and area, prepared by the UN DESA Population Division."
        ),
    )
    release = release_upsert(
        source=source,
        code=POPULATION_RELEASE,
        title="World Population Prospects 2019",
        year=2019,
        released_on=datetime.date(2019, 6, 17),
        url="https://population.un.org/wpp/",
        citation=WPP_CITATION,
        provenance=WPP_PROVENANCE,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    population_series_upsert()
    with reading(WPP_POPULATION), path.open(encoding="utf-8") as fh:
        values = parsers.population_values(parsers.parse_wpp_population(fh))
        return population_import(release=release, values=values)


# Key, files and version unchanged since the step lived in geo: its recorded checksum still
# matches, so an existing database skips it.
STEP = LoadStep(
    key="geo.population",
    label="Population aged 5-17 (UN WPP 2019)",
    files=(WPP_POPULATION,),
    run=load_population,
    depends_on=("geo.aggregates",),
    version="1",
)
