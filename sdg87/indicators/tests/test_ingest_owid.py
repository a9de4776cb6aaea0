"""Parsers for the Our World in Data child labour files."""

from __future__ import annotations

import pytest

from sdg87.core.ingest import ParseError
from sdg87.indicators.ingest.owid import (
    HISTORICAL_COLUMN,
    parse_owid_child_labor_world,
    parse_owid_incidence_historical,
)

WORLD = (
    'Entity,Year,"Child Labor (All, World, ILO-IPEC)","Child Labor (Boys, World, 2000-2012) (ILO)",'
    '"Child Labor (Girls, World, 2000-2012) (ILO)",Children (5-14 years) in employment (ILO),'
    "Children (5-14 years) not in employment (ILO),Child labor (incidence) (ILO)\n"
    "15-17 years,2012,,,,,,33\n"
    "World,2012,16.7,18.1,15.2,144066000,1076832000,\n"
)


def test_world_file_maps_columns_to_series_sex_and_age():
    """Shares by sex and age go to one percent series; counts to number series."""
    rows = parse_owid_child_labor_world(WORLD)
    by_key = {(r.series, r.sex, r.age): r.value for r in rows}
    assert by_key[("OWID_CHILD_EMPL_PCT", "_T", "Y15T17")] == 33
    assert by_key[("OWID_CHILD_EMPL_PCT", "M", "Y5T17")] == 18.1
    assert by_key[("OWID_CHILD_EMPL_NUM", "_T", "Y5T14")] == 144066000
    assert len(rows) == 6


def test_historical_entities_map_to_geographies_and_ages():
    """England is stored under GBR with coverage ENGLAND; the US series is ages 10-13."""
    text = f'Entity,Year,"{HISTORICAL_COLUMN}"\nEngland,1851,28.25\nUnited States,1900,12.02\n'
    england, usa = parse_owid_incidence_historical(text)
    assert (england.geo, england.dimensions, england.age) == (
        "GBR",
        {"coverage": "ENGLAND"},
        "Y10T14",
    )
    assert (usa.geo, usa.age) == ("USA", "Y10T13")


def test_unknown_entity_names_row_and_column():
    """An entity the parser cannot place is an error on the Entity cell."""
    text = f'Entity,Year,"{HISTORICAL_COLUMN}"\nAtlantis,1900,1\n'
    with pytest.raises(ParseError) as exc:
        parse_owid_incidence_historical(text)
    assert (exc.value.row, exc.value.column) == (2, "Entity")
