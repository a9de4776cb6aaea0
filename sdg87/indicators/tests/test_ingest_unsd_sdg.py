"""Parser for the UN SDG Global Database extracts."""

from __future__ import annotations

import pytest

from sdg87.core.ingest import ParseError
from sdg87.indicators.ingest.unsd_sdg import parse_unsd_sdg

HEADER = (
    "series_code,series_description,sdg_indicator,geo_area_code_m49,geo_area_name,iso3,"
    "age_group,sex,nature,units,year,value\n"
)
SAMPLE = HEADER + (
    'SL_TLF_CHLDEA,"Proportion of children engaged in economic activity, by sex and age  (%)",'
    "8.7.1,50,Bangladesh,BGD,5-17,BOTHSEX,CA,PERCENT,2019,5.9\n"
    'SL_TLF_CHLDEC,"Proportion ... household chores",8.7.1,1,World,,5-17,FEMALE,N,PERCENT,'
    "2020,7.8\n"
    'VC_HTF_DETVFL,"Detected victims ... forced labour",16.2.2,8,Albania,ALB,<18Y,_O,C,NUMBER,'
    "2018,3\n"
    'SP_DYN_MRBF18,"Proportion of women ... before age 18 (%)",5.3.1,4,Afghanistan,AFG,20-24,'
    "FEMALE,C,PER_MARW_20T24Y,2017,28.3\n"
)


def test_rows_use_sdmx_codes_and_keep_units_nature_and_values():
    """Labels become SDMX codes; unit, nature and value stay as published; line = sheet row."""
    table = parse_unsd_sdg(SAMPLE)
    bgd, world, alb, afg = table.rows
    assert (bgd.series, bgd.geo, bgd.year, bgd.value) == ("SL_TLF_CHLDEA", "BGD", 2019, 5.9)
    assert (bgd.sex, bgd.age, bgd.nature, bgd.unit, bgd.line) == ("_T", "Y5T17", "CA", "PERCENT", 2)
    assert (world.geo, world.sex, world.nature) == ("001", "F", "N")
    assert (alb.sex, alb.age, alb.dimensions) == ("_O", "Y_LT18", {"exploitation": "FORCED_LABOUR"})
    assert (afg.age, afg.unit, afg.value) == ("Y20T24", "PER_MARW_20T24Y", 28.3)


def test_metadata_collects_series_and_aggregates():
    """Series descriptions and aggregate areas (no ISO3) are reported, keyed by code/M49."""
    table = parse_unsd_sdg(SAMPLE)
    assert table.series["SL_TLF_CHLDEA"][1:] == ("8.7.1", "PERCENT")
    assert table.aggregates == {"001": "World"}


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("value", "n/a", "not a number"),
        ("sex", "BOTH", "unknown sex label"),
        ("age_group", "5-99", "unknown age_group label"),
        ("year", "20x9", "not a year"),
        ("nature", "ZZ", "unknown nature flag"),
    ],
)
def test_bad_cell_names_row_and_column(column, bad, message):
    """A bad cell raises ParseError with the spreadsheet row (header = 1) and the column."""
    good = {
        "value": "5.9",
        "sex": "BOTHSEX",
        "age_group": "5-17",
        "year": "2019",
        "nature": "CA",
    }
    good[column] = bad
    line = (
        f"SL_TLF_CHLDEA,desc,8.7.1,50,Bangladesh,BGD,{good['age_group']},{good['sex']},"
        f"{good['nature']},PERCENT,{good['year']},{good['value']}\n"
    )
    with pytest.raises(ParseError) as exc:
        parse_unsd_sdg(SAMPLE + line)
    assert exc.value.row == 6
    assert exc.value.column == column
    assert message in exc.value.message


def test_missing_column_is_reported_on_the_header_row():
    """A file without a required column fails on row 1, naming the column."""
    with pytest.raises(ParseError) as exc:
        parse_unsd_sdg(HEADER.replace(",value", "") + "x\n")
    assert (exc.value.row, exc.value.column) == (1, "value")
