"""Parsers of the country time series (data/timeseries/): WDI, UN SDG extracts, ILOSTAT.

Samples are real rows of the bundled files (row numbers there given in comments), cut to the
columns the parsers read; the expected values were read off the files by hand.
"""

from __future__ import annotations

import pytest

from sdg87.core.ingest import ParseError
from sdg87.indicators.ingest.timeseries import (
    parse_ilostat_children_in_employment,
    parse_unsd_extract_history,
    parse_wdi_children_in_employment,
)

WDI_HEADER = "source,indicator_code,indicator_name,iso3,country,year,sex,age,value,unit,note\n"
WDI = WDI_HEADER + (
    # wdi_children_in_employment_7_14.csv rows 22, 303 and 1147
    "WB,SL.TLF.0714.ZS,name,BGD,Bangladesh,2013,BOTHSEX,7-14,5.002084,"
    "percent of children aged 7-14,matches open-numbers WDI copy\n"
    "WB,SL.TLF.0714.FE.ZS,name,BGD,Bangladesh,2013,FEMALE,7-14,4.224495,"
    "percent of female children aged 7-14,\n"
    "WB,SL.TLF.0714.SW.ZS,name,BGD,Bangladesh,2013,BOTHSEX,7-14,41.92633,"
    "percent of children in employment aged 7-14,\n"
)


def test_wdi_total_female_male_are_one_series_by_sex_and_shares_their_own():
    """SL.TLF.0714.ZS and .FE.ZS become SL_TLF_0714_ZS by sex; study-and-work (a share of the
    children in employment) is SL_TLF_0714_SW_ZS with its own unit; ages 7-14; values as
    published."""
    total, female, study = parse_wdi_children_in_employment(WDI)
    assert (total.series, total.geo, total.year, total.value) == (
        "SL_TLF_0714_ZS",
        "BGD",
        2013,
        5.002084,
    )
    assert (total.sex, total.age, total.unit, total.line) == ("_T", "Y7T14", "PERCENT", 2)
    assert total.note == "matches open-numbers WDI copy"
    assert (female.series, female.sex, female.value) == ("SL_TLF_0714_ZS", "F", 4.224495)
    assert (study.series, study.sex, study.value) == ("SL_TLF_0714_SW_ZS", "_T", 41.92633)
    assert study.unit == "PERCENT_OF_CHILDREN_IN_EMPLOYMENT"


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (",FEMALE,", ",MALE,", "sex", "does not match the WDI code"),
        ("aged 7-14,\n", "aged 5-14,\n", "unit", "is not the unit of"),
        (",7-14,4.2", ",5-17,4.2", "age", "ages 7-14 only"),
        ("SL.TLF.0714.FE.ZS", "SL.TLF.0714.XX.ZS", "indicator_code", "unknown"),
        ("4.224495", "n/a", "value", "not a number"),
    ],
)
def test_wdi_bad_cells_name_row_and_column(old, new, column, message):
    """A female WDI code with another sex, a wrong unit or age band, an unknown code or a
    non-number fails on its row (3) and column."""
    with pytest.raises(ParseError) as exc:
        parse_wdi_children_in_employment(WDI.replace(old, new, 1))
    assert (exc.value.row, exc.value.column) == (3, column)
    assert message in exc.value.message


UNSD_HEADER = (
    "source,indicator_code,indicator_name,iso3,country,year,sex,age,value,unit,note,"
    "first_seen_extract,last_seen_extract,in_latest_extract,nature\n"
)
UNSD = UNSD_HEADER + (
    # unsd_sdg_8_7_1_all_extracts_2018_2023.csv rows 2, 3, 4, 432 and 1008
    "UN,SL_TLF_CHLDEA,n,AFG,Afghanistan,2013,BOTHSEX,5-17,16.6,PERCENT,"
    "REPLACED in the 2021-04-04 extract by year 2014 with the same value (likely the same "
    "survey re-dated - do not count as a separate survey),2018-10-04,2020-05-17,no,CA\n"
    "UN,SL_TLF_CHLDEA,n,AFG,Afghanistan,2014,BOTHSEX,5-17,16.6,PERCENT,dropped from later "
    "extracts without a same-year replacement (superseded by a newer survey or withdrawn),"
    "2021-04-04,2021-04-04,no,CA\n"
    "UN,SL_TLF_CHLDEA,n,AFG,Afghanistan,2020,BOTHSEX,5-17,9,PERCENT,,2022-04-03,2023-05-21,"
    "yes,CA\n"
    'UN,SL_TLF_CHLDEA,n,PSE,State of Palestine,2019,BOTHSEX,10-17,1.8,PERCENT,"REPLACED in '
    "the 2022-04-03 extract by age band 5-17, year 2020 (same survey re-tabulated - do not mix "
    'age bands in a trend)",2021-04-04,2021-04-04,no,CA\n'
    "UN,SL_TLF_CHLDEC,n,,World,2020,BOTHSEX,5-17,9.6,PERCENT,M49=1,2022-04-03,2023-05-21,yes,N\n"
)


def test_unsd_history_drops_replaced_rows_and_splits_current_from_dropped():
    """Afghanistan 2013 (re-dated to 2014) and Palestine 2019 10-17 (re-tabulated as 5-17) are
    REPLACED and never loaded; Afghanistan 2014 (dropped) is history, with its extracts in the
    note; Afghanistan 2020 and World 2020 are rows of the newest extract."""
    table = parse_unsd_extract_history(UNSD)
    assert table.replaced_lines == [2, 5]
    (afg2014,) = table.history
    assert (afg2014.series, afg2014.geo, afg2014.year, afg2014.value) == (
        "SL_TLF_CHLDEA",
        "AFG",
        2014,
        16.6,
    )
    assert (afg2014.sex, afg2014.age, afg2014.nature, afg2014.line) == ("_T", "Y5T17", "CA", 3)
    assert afg2014.note.startswith("In UN SDG database extracts 2021-04-04 to 2021-04-04. ")
    assert "dropped from later extracts" in afg2014.note
    afg2020, world = table.current
    assert (afg2020.geo, afg2020.year, afg2020.value) == ("AFG", 2020, 9.0)
    assert (world.series, world.geo, world.nature, world.value) == (
        "SL_TLF_CHLDEC",
        "001",
        "N",
        9.6,
    )
    assert (table.first_extract, table.last_extract) == ("2018-10-04", "2023-05-21")


def test_unsd_age_bands_stay_apart():
    """A 5-14 row keeps age Y5T14: it is never read as 5-17."""
    row = UNSD.splitlines()[2].replace(",5-17,", ",5-14,")
    (history,) = parse_unsd_extract_history(UNSD_HEADER + row + "\n").history
    assert history.age == "Y5T14"


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (",yes,CA", ",maybe,CA", "in_latest_extract", "unknown"),
        ("5-17,9,PERCENT,", "5-17,9,NUMBER,", "unit", "not PERCENT"),
        (
            ",2022-04-03,2023-05-21,yes,CA",
            ",2023-05-21,2022-04-03,yes,CA",
            "last_seen_extract",
            "before",
        ),
        (
            ",2022-04-03,2023-05-21,yes,CA",
            ",2022-4-3,2023-05-21,yes,CA",
            "first_seen_extract",
            "date",
        ),
        ("5-17,9,PERCENT,,", "5-17,9,PERCENT,REPLACED by 2021,", "note", "newest extract"),
        (",yes,CA", ",yes,XX", "nature", "nature"),
    ],
)
def test_unsd_bad_cells_name_row_and_column(old, new, column, message):
    """Row 4 (Afghanistan 2020) with a bad flag, unit, extract dates, a REPLACED note on a
    current row, or an unknown nature fails on its row and column."""
    with pytest.raises(ParseError) as exc:
        parse_unsd_extract_history(UNSD.replace(old, new, 1))
    assert (exc.value.row, exc.value.column) == (4, column)
    assert message in exc.value.message


def test_unsd_aggregate_without_m49_in_the_note_is_an_error():
    """An area without ISO3 must say its M49 code in the note."""
    with pytest.raises(ParseError) as exc:
        parse_unsd_extract_history(UNSD.replace("M49=1,", ","))
    assert (exc.value.row, exc.value.column) == (6, "note")


ILO_HEADER = (
    "source,indicator_code,indicator_name,iso3,country,year,sex,age,value,unit,note,"
    "school_attendance,survey_source,obs_status\n"
)
C = "CLD_XSNA_SEX_AGE_STU_NB"
ILO = ILO_HEADER + (
    # ilostat_children_in_employment_5_17_thousands.csv rows 6400, 6398, 2218, 8130, 7590, 859
    f"ILO,{C},n,UGA,Uganda,2021,BOTHSEX,5-17,5491.148,thousands of children,Repository: "
    "ILO-STATISTICS - Micro data processing,Total,LFS - National Labour Force Survey,\n"
    f"ILO,{C},n,UGA,Uganda,2021,BOTHSEX,5-17,4729.918,thousands of children,Repository: "
    "ILO-STATISTICS - Micro data processing,Attending,LFS - National Labour Force Survey,\n"
    f"ILO,{C},n,EGY,Egypt,2014,BOTHSEX,5-17,1.927,thousands of children,IMPLAUSIBLY SMALL: "
    "5-17 total is <1% of the WPP2019 5-17 population (likely unweighted sample counts) - do "
    "not use,Total,HS - Demographic and Health Survey,\n"
    f"ILO,{C},n,,World,2020,BOTHSEX,5-17,222087.541,thousands of children,ILO modelled "
    "regional/global estimate,Total,ILO - Modelled Estimates,\n"
    f"ILO,{C},n,,Northern Africa,2020,BOTHSEX,5-17,8355.702,thousands of children,ILO modelled "
    "regional/global estimate,Total,ILO - Modelled Estimates,\n"
    f"ILO,{C},n,KHM,Cambodia,2012,BOTHSEX,5-17,755.245,thousands of children,Break in series: "
    "Methodology revised,Total,LFS - Labour Force Survey,Break in series\n"
    f"ILO,{C},n,KHM,Cambodia,2012,BOTHSEX,15-17,400,thousands of children,,Total,LFS,\n"
)


def test_ilostat_keeps_5_17_totals_and_leaves_out_flagged_rows_and_subregions():
    """Kept: Uganda 2021 (5,491.148 thousand), World 2020 (modelled, nature M, geography 001)
    and Cambodia 2012 (break in series, in the note). Left out: the attending-school part,
    Egypt's implausibly small DHS count (reported), Northern Africa (no geography, reported)
    and the 15-17 band."""
    table = parse_ilostat_children_in_employment(ILO)
    uganda, world, cambodia = table.rows
    assert (uganda.series, uganda.geo, uganda.year, uganda.value) == (C, "UGA", 2021, 5491.148)
    assert (uganda.sex, uganda.age, uganda.unit, uganda.nature) == ("_T", "Y5T17", "THOUSANDS", "")
    assert uganda.note == (
        "Survey: LFS - National Labour Force Survey; "
        "Repository: ILO-STATISTICS - Micro data processing"
    )
    assert (world.geo, world.value, world.nature) == ("001", 222087.541, "M")
    assert cambodia.note.startswith("Survey: LFS - Labour Force Survey; Break in series; ")
    assert table.implausible_lines == [4]
    assert table.skipped_regions == {"Northern Africa"}


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        ("5491.148,thousands of children", "5491.148,children", "unit", "is not"),
        ("5491.148", "-1", "value", "negative"),
        (",Total,LFS - National", ",Sometimes,LFS - National", "school_attendance", "unknown"),
        ("UGA,Uganda,2021,BOTHSEX", "UGA,Uganda,2021,BOTH", "sex", "unknown"),
    ],
)
def test_ilostat_bad_cells_name_row_and_column(old, new, column, message):
    """Uganda's row (2) with a wrong unit, a negative count, an unknown attendance category or
    sex fails on its row and column."""
    with pytest.raises(ParseError) as exc:
        parse_ilostat_children_in_employment(ILO.replace(old, new, 1))
    assert (exc.value.row, exc.value.column) == (2, column)
    assert message in exc.value.message


def test_missing_columns_fail_on_the_header_row():
    """Each parser names the first missing column on row 1."""
    for parse, header, column in (
        (parse_wdi_children_in_employment, WDI_HEADER, "note"),
        (parse_unsd_extract_history, UNSD_HEADER, "nature"),
        (parse_ilostat_children_in_employment, ILO_HEADER, "obs_status"),
    ):
        cut = header.replace(f",{column}", "")
        with pytest.raises(ParseError) as exc:
            parse(cut)
        assert (exc.value.row, exc.value.column) == (1, column)
