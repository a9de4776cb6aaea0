"""Parsers for the hand-built global estimates tables."""

from __future__ import annotations

import pytest

from sdg87.core.ingest import ParseError
from sdg87.indicators.ingest.global_estimates import (
    parse_child_labour_estimates,
    parse_modern_slavery_estimates,
)

CL_HEADER = (
    "reference_year,geography,dimension,category,indicator,unit,value,verification_status,"
    "source_report,evidence_location,evidence_quote\n"
)
R2021 = '"ILO & UNICEF (2021) Child Labour: Global estimates 2020, trends and the road forward"'
R2017 = '"ILO (2017) Global estimates of child labour: Results and trends, 2012-2016"'
CL_SAMPLE = CL_HEADER + (
    f"2020,World,total,5-17,child_labour,million_children,160,verified,{R2021},https://a,q\n"
    f"2016,World,total,5-17,child_labour,percent_of_children_5_17,9.6,unverified,{R2017},,\n"
    f"2020,World,sex,girls,child_labour,million_children,63,verified,{R2021},https://a,q\n"
    f"2016,Arab States,region_ilo,5-17,child_labour,million_children,1.2,verified_conflicting,"
    f"{R2017},https://b,NOTE differs\n"
    f"2020,World,sector,agriculture,child_labour,percent_of_child_labour,70,verified,{R2021},x,q\n"
    f"2020,Sub-Saharan Africa,region_sdg,5-17,child_labour,percent_of_children_5_17,23.9,"
    f"verified,{R2021},x,q\n"
    f"2016,World,age,5-11,hazardous_work,million_children,19,verified,{R2017},x,q\n"
    f"2020,World,change_since_2016,5-17,child_labour,million_children,8.4,verified,{R2021},x,q\n"
)


def test_unverified_rows_are_skipped_and_reported():
    """`unverified` rows never become observations; their row numbers are returned."""
    table = parse_child_labour_estimates(CL_SAMPLE)
    assert table.unverified_lines == [3]
    assert all(row.line != 3 for rows in table.rows_by_release.values() for row in rows)
    assert table.row_count == 7


def test_rows_are_grouped_by_the_release_of_their_report():
    """Each figure belongs to the release of the report that published it."""
    table = parse_child_labour_estimates(CL_SAMPLE)
    assert sorted(table.rows_by_release) == ["ilo-cl-ge-2017", "ilo-unicef-cl-ge-2021"]
    world = table.rows_by_release["ilo-unicef-cl-ge-2021"][0]
    assert (world.series, world.geo, world.year, world.value) == ("ILO_CL_NUM", "001", 2020, 160)
    assert (world.sex, world.age, world.unit) == ("_T", "Y5T17", "MILLION_CHILDREN")


def test_dimensions_map_to_sex_age_geography_and_series():
    """sex/age/sector/region rows map to SDMX codes, dimensions and region geographies."""
    rows = {
        r.line: r
        for rs in parse_child_labour_estimates(CL_SAMPLE).rows_by_release.values()
        for r in rs
    }
    assert rows[4].sex == "F"
    assert rows[5].geo == "ILO_ARAB_STATES"
    assert "verified_conflicting" in rows[5].note
    assert (rows[6].series, rows[6].dimensions) == ("ILO_CL_SHARE", {"sector": "AGRICULTURE"})
    assert (rows[7].geo, rows[7].series) == ("202", "ILO_CL_PCT")
    assert (rows[8].series, rows[8].age) == ("ILO_HAZ_NUM", "Y5T11")
    assert rows[9].series == "ILO_CL_CHANGE_NUM"


def test_unknown_report_names_row_and_column():
    """A row citing a report we have no release for is an error on that cell."""
    text = CL_HEADER + "2020,World,total,5-17,child_labour,million_children,1,verified,Foo,x,q\n"
    with pytest.raises(ParseError) as exc:
        parse_child_labour_estimates(text)
    assert (exc.value.row, exc.value.column) == (2, "source_report")


def test_non_numeric_value_names_row_and_column():
    """A non-numeric value raises ParseError on its row and the `value` column."""
    text = CL_SAMPLE + (
        f"2020,World,total,5-17,child_labour,million_children,lots,verified,{R2021},x,q\n"
    )
    with pytest.raises(ParseError) as exc:
        parse_child_labour_estimates(text)
    assert (exc.value.row, exc.value.column) == (10, "value")


MS_HEADER = (
    "reference_year,geography,dimension,category,unit,value,verification_status,source_report,"
    "evidence_location,evidence_quote\n"
)
R2022 = (
    '"ILO, Walk Free & IOM (2022) Global Estimates of Modern Slavery: Forced Labour and Forced '
    'Marriage (reference year 2021)"'
)
GSI = "Walk Free (2023) Global Slavery Index 2023 - Regional overview"
MS_SAMPLE = MS_HEADER + (
    f"2021,World,form,modern_slavery_total,million_people,49.6,verified,{R2022},x,q\n"
    f"2021,Africa,region_ilo,forced_labour,per_1000_population,2.9,verified,{R2022},x,q\n"
    f"2021,Low income countries,income_group,forced_labour,per_1000_population,6.3,verified,"
    f"{R2022},x,q\n"
    f"2021,World,forced_labour_type,state_imposed_share_of_forced_labour,percent,14,verified,"
    f"{R2022},x,q\n"
    f"2021,Arab States,region_ilo,modern_slavery_total,per_1000_population,10.1,verified,"
    f"{GSI},x,q\n"
)


def test_modern_slavery_rows_map_form_geography_and_gsi_release():
    """Forms become the `form` dimension; GSI regional rows go to release gsi-2023."""
    table = parse_modern_slavery_estimates(MS_SAMPLE)
    total, africa, lic, share = table.rows_by_release["gems-2022"]
    assert (total.series, total.dimensions, total.value) == (
        "GEMS_NUM",
        {"form": "MODERN_SLAVERY"},
        49.6,
    )
    assert (africa.geo, africa.series, africa.unit) == (
        "ILO_AFRICA",
        "GEMS_PREV",
        "PER_1000_POPULATION",
    )
    assert lic.geo == "WB_LIC"
    assert share.dimensions == {"form": "FORCED_LABOUR", "subgroup": "FL_STATE_IMPOSED"}
    (gsi,) = table.rows_by_release["gsi-2023"]
    assert (gsi.series, gsi.geo, gsi.dimensions) == ("GSI_PREV_1000", "ILO_ARAB_STATES", {})


def test_modern_slavery_unknown_category_names_row_and_column():
    """An unknown category is an error on its cell."""
    text = MS_HEADER + f"2021,World,form,slavery,million_people,1,verified,{R2022},x,q\n"
    with pytest.raises(ParseError) as exc:
        parse_modern_slavery_estimates(text)
    assert (exc.value.row, exc.value.column) == (2, "category")
