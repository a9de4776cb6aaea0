"""Parser for the Walk Free GSI 2023 country estimates."""

from __future__ import annotations

import pytest

from sdg87.core.ingest import ParseError
from sdg87.indicators.ingest.walk_free import parse_gsi_country_estimates

HEADER = (
    "country,iso3,population,gsi_region,prevalence_per_1000,estimated_number_in_modern_slavery\n"
)
SAMPLE = HEADER + (
    "Afghanistan,AFG,38928000,Asia and the Pacific,13.0,505000\n"
    "Iceland,ISL,341000,Europe and Central Asia,,\n"
    "Kosovo,XKX,1873000,Europe and Central Asia,8.0,15000\n"
)


def test_estimates_become_prevalence_number_and_population_rows():
    """Countries with estimates give three rows (year 2021); others only their population."""
    table = parse_gsi_country_estimates(SAMPLE)
    assert table.countries_with_estimates == 2
    afg = {r.series: r for r in table.rows if r.geo == "AFG"}
    assert afg["GSI_PREV_1000"].value == 13.0
    assert afg["GSI_NUMBER"].value == 505000
    assert afg["GSI_POPULATION"].unit == "NUMBER"
    assert {r.series for r in table.rows if r.geo == "ISL"} == {"GSI_POPULATION"}
    assert all(r.year == 2021 for r in table.rows)


def test_half_an_estimate_is_an_error():
    """A prevalence without a number (or the reverse) names the empty column."""
    with pytest.raises(ParseError) as exc:
        parse_gsi_country_estimates(HEADER + "Chad,TCD,1,Africa,4.0,\n")
    assert (exc.value.row, exc.value.column) == (2, "estimated_number_in_modern_slavery")


def test_bad_number_names_row_and_column():
    """A non-numeric cell raises ParseError with row and column."""
    with pytest.raises(ParseError) as exc:
        parse_gsi_country_estimates(SAMPLE + "Chad,TCD,many,Africa,4.0,100\n")
    assert (exc.value.row, exc.value.column) == (5, "population")
