"""Pure parser tests on inline samples (no database)."""

from __future__ import annotations

import io

import pytest

from sdg87.assessments import parsers
from sdg87.core.ingest import ParseError

EN_DASH = "\u2013"


def csv_text(*lines: str) -> io.StringIO:
    return io.StringIO("\n".join(lines) + "\n")


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("130", 130.0),
        ("0.075", 0.075),
        ("84,474\u2021", 84474.0),
        ("29\u2020", 29.0),
        ("400*", 400.0),
        ("$1,200,000", 1_200_000.0),
        ("$1.5 million", 1_500_000.0),
        ("$1.2 Million", 1_200_000.0),
        ("1.1 million", 1_100_000.0),
        ("$2,110,932.64", 2_110_932.64),
        ("$0", 0.0),
    ],
)
def test_parse_number_reads_dol_numbers(text: str, expected: float) -> None:
    """Thousands separators, dollar signs, 'million' and footnote marks are understood."""
    assert parsers.parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Unavailable",
        "Unknown",
        "Unknown*",
        "N/A",
        "NA",
        "Not Applicable",
        "None",
        "Yes",
        "No",
        "",
        "5-14",
        "12/13",
        "MTC",
        "1,23",
        "12,3456",
    ],
)
def test_parse_number_leaves_text_as_text(text: str) -> None:
    """Markers of missing data, Yes/No, age ranges and malformed numbers give no number."""
    assert parsers.parse_number(text) is None


# --- advancement ----------------------------------------------------------------------------


def test_advancement_plain_level() -> None:
    """A plain level has no automatic downgrade."""
    adv = parsers.parse_advancement("Moderate Advancement", "", row=2)
    assert (adv.level, adv.automatic_downgrade, adv.downgrade_reason) == ("moderate", False, "")


def test_advancement_downgrade_folded_into_level() -> None:
    """2018+ files put the downgrade reason after an en dash in the level."""
    text = f"Minimal Advancement {EN_DASH} Efforts Made but Continued Law that Delayed Advancement"
    adv = parsers.parse_advancement(text, "", row=2)
    assert adv.level == "minimal"
    assert adv.automatic_downgrade is True
    assert adv.downgrade_reason == "Efforts Made but Continued Law that Delayed Advancement"
    assert adv.text == text


def test_advancement_downgrade_in_own_column() -> None:
    """2016-2017 files give the plain level plus the full text in automatic_downgrade."""
    full = f"No Advancement {EN_DASH} Efforts Made but Complicit in Forced Child Labor"
    adv = parsers.parse_advancement("No Advancement", full, row=5)
    assert (adv.level, adv.automatic_downgrade) == ("no_advancement", True)
    assert adv.downgrade_reason == "Efforts Made but Complicit in Forced Child Labor"


def test_advancement_empty_is_not_covered() -> None:
    """An empty level means the country is not covered by that Findings edition."""
    assert parsers.parse_advancement("", "", row=2).level == "not_covered"


def test_advancement_unknown_level_names_row_and_column() -> None:
    """An unknown level is a ParseError on that row's advancement_level cell."""
    with pytest.raises(ParseError) as err:
        parsers.parse_advancement("Great Advancement", "", row=7)
    assert (err.value.row, err.value.column) == (7, "advancement_level")


def test_advancement_contradicting_downgrade_is_an_error() -> None:
    """A downgrade text whose level differs from the level column is rejected."""
    with pytest.raises(ParseError) as err:
        parsers.parse_advancement(
            "Moderate Advancement", f"Minimal Advancement {EN_DASH} Efforts Made but X", row=3
        )
    assert err.value.column == "automatic_downgrade"


# --- profiles -------------------------------------------------------------------------------

PROFILE_HEADER = ",".join(parsers.PROFILE_COLUMNS)


def test_parse_profiles_reads_a_row() -> None:
    """A profile row becomes a ProfileRow with its spreadsheet row number."""
    rows = list(
        parsers.parse_profiles(
            csv_text(
                PROFILE_HEADER,
                "countries_2021.xml,2022,Kenya,Sub-Saharan Africa,No,Moderate Advancement,,"
                'https://www.dol.gov/x,"In 2022, Kenya made a moderate advancement."',
            )
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row.line, row.report_year, row.country) == (2, 2022, "Kenya")
    assert row.multiple_territories is False
    assert row.advancement.level == "moderate"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("countries_2099.xml,2099,Kenya,,No,Moderate Advancement,,,", "source_file"),
        ("countries_2021.xml,2021,Kenya,,No,Moderate Advancement,,,", "report_year"),
        ("countries_2021.xml,twenty,Kenya,,No,Moderate Advancement,,,", "report_year"),
        ("countries_2021.xml,2022,,,No,Moderate Advancement,,,", "country"),
        ("countries_2021.xml,2022,Kenya,,Maybe,Moderate Advancement,,,", "multiple_territories"),
        ("countries_2021.xml,2022,Kenya,,No,Moderate Advancement,,www.dol.gov,", "webpage"),
    ],
)
def test_parse_profiles_bad_cells(line: str, column: str) -> None:
    """A bad cell raises ParseError naming row 3 and the column."""
    good = "countries_2021.xml,2022,Kenya,,No,Moderate Advancement,,,"
    with pytest.raises(ParseError) as err:
        list(parsers.parse_profiles(csv_text(PROFILE_HEADER, good, line)))
    assert (err.value.row, err.value.column) == (3, column)


def test_parse_profiles_missing_column() -> None:
    """A missing column is reported on the header row."""
    with pytest.raises(ParseError) as err:
        list(parsers.parse_profiles(csv_text("source_file,report_year,country")))
    assert err.value.row == 1


# --- long values ----------------------------------------------------------------------------

LONG_HEADER = ",".join(parsers.LONG_COLUMNS)
F = "countries_2016.xml,2016"


def test_parse_long_values_and_numbers() -> None:
    """Values keep their text; numbers are parsed where the cell is numeric."""
    stats = parsers.ParseStats()
    rows = list(
        parsers.parse_indicators_long(
            csv_text(
                LONG_HEADER,
                f'{F},Kenya,Enforcements,Labor_Inspectors,"1,300"',
                f"{F},Kenya,Enforcements,Labor_Funding,Unavailable",
                f"{F},Kenya,Conventions,C_182_Ratified,Yes",
                f"{F},Kenya,Mechanisms,,",
            ),
            stats,
        )
    )
    assert [(r.field_path, r.value_text, r.value_number) for r in rows] == [
        ("Labor_Inspectors", "1,300", 1300.0),
        ("Labor_Funding", "Unavailable", None),
        ("C_182_Ratified", "Yes", None),
    ]
    assert stats.skipped == {"empty section marker": 1}


def test_parse_long_territories() -> None:
    """Territory label rows set the territory of the values that follow and are counted."""
    stats = parsers.ParseStats()
    path = "Labor_Funding/Territory"
    rows = list(
        parsers.parse_indicators_long(
            csv_text(
                LONG_HEADER,
                f"{F},Iraq,Enforcements,{path}/Territory_Name,Iraq",
                f"{F},Iraq,Enforcements,{path}/Territory_Display_Name,Iraq",
                f"{F},Iraq,Enforcements,{path}/Enforcement,$1.5 million",
                f"{F},Iraq,Enforcements,{path}/Territory_Name,Kurdistan Region",
                f"{F},Iraq,Enforcements,{path}/Territory_Display_Name,Kurdistan Region",
                f"{F},Iraq,Enforcements,{path}/Enforcement,Unknown",
            ),
            stats,
        )
    )
    assert [(r.territory, r.value_number) for r in rows] == [
        ("Iraq", 1_500_000.0),
        ("Kurdistan Region", None),
    ]
    assert stats.skipped == {"territory label": 4}


def test_parse_long_territory_value_without_name() -> None:
    """A territory value before any Territory_Name is an error on its field_path."""
    with pytest.raises(ParseError) as err:
        list(
            parsers.parse_indicators_long(
                csv_text(
                    LONG_HEADER, f"{F},Iraq,Enforcements,Labor_Funding/Territory/Enforcement,1"
                )
            )
        )
    assert (err.value.row, err.value.column) == (2, "field_path")


def test_parse_long_unknown_section() -> None:
    """An unknown section names its row and column."""
    with pytest.raises(ParseError) as err:
        list(parsers.parse_indicators_long(csv_text(LONG_HEADER, f"{F},Kenya,Budget,X,1")))
    assert (err.value.row, err.value.column) == (2, "section")


# --- suggested actions ----------------------------------------------------------------------


def test_parse_actions_orders_within_country_and_report() -> None:
    """Actions are numbered from 1 per country and report; empty actions are counted."""
    stats = parsers.ParseStats()
    rows = list(
        parsers.parse_suggested_actions(
            csv_text(
                "source_file,report_year,country,area,action",
                f"{F},Kenya,Legal_Framework,Raise the minimum age.",
                f"{F},Kenya,Enforcement,  Hire   inspectors. ",
                f"{F},Kenya,Enforcement,",
                f"{F},Chad,Coordination,Fund the committee.",
            ),
            stats,
        )
    )
    assert [(r.country, r.order, r.action) for r in rows] == [
        ("Kenya", 1, "Raise the minimum age."),
        ("Kenya", 2, "Hire inspectors."),
        ("Chad", 1, "Fund the committee."),
    ]
    assert stats.skipped == {"empty action": 1}


def test_parse_actions_unknown_area() -> None:
    """An unknown area names its row and column."""
    with pytest.raises(ParseError) as err:
        list(
            parsers.parse_suggested_actions(
                csv_text("source_file,report_year,country,area,action", f"{F},Kenya,Budget,x")
            )
        )
    assert (err.value.row, err.value.column) == (2, "area")


# --- goods ----------------------------------------------------------------------------------

GOODS_HEADER = ",".join(parsers.GOODS_COLUMNS)


def test_parse_goods_flags_and_derived() -> None:
    """Yes/No flags become booleans; 'No' as derived country means not derived."""
    rows = list(
        parsers.parse_goods_list(
            csv_text(
                GOODS_HEADER,
                "goods_2016.xml,Cocoa,Agriculture,Ghana,Sub-Saharan Africa,Yes,No,No,,",
                "goods_2021.xml,Cocoa,Agriculture,Ghana,Sub-Saharan Africa,Yes,No,No,No,No",
                "goods_2021.xml,Lithium-Ion Batteries,Manufacturing,China,Indo-Pacific,No,No,No,"
                'Yes,"Congo, Democratic Republic of the"',
            )
        )
    )
    assert rows[0].derived_labor_exploitation is None
    assert rows[1].derived_labor_exploitation is False
    assert rows[1].derived_country == ""
    assert rows[2].derived_labor_exploitation is True
    assert rows[2].derived_country == "Congo, Democratic Republic of the"
    assert (rows[0].sector, rows[0].child_labor, rows[0].forced_labor) == (
        "agriculture",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("goods_1999.xml,Cocoa,Agriculture,Ghana,,Yes,No,No,,", "source_file"),
        ("goods_2016.xml,Cocoa,Farming,Ghana,,Yes,No,No,,", "good_sector"),
        ("goods_2016.xml,Cocoa,Agriculture,Ghana,,Y,No,No,,", "child_labor"),
        ("goods_2021.xml,Cocoa,Agriculture,Ghana,,Yes,No,No,Yes,No", "derived_country"),
        ("goods_2021.xml,Cocoa,Agriculture,Ghana,,Yes,No,No,No,China", "derived_country"),
        ("goods_2016.xml,Tea,Agriculture,Kenya,,Yes,No,No,,", "good"),
    ],
)
def test_parse_goods_bad_cells(line: str, column: str) -> None:
    """Bad cells (and a repeated good-country pair) name row 3 and the column."""
    first = "goods_2016.xml,Tea,Agriculture,Kenya,,Yes,No,No,,"
    with pytest.raises(ParseError) as err:
        list(parsers.parse_goods_list(csv_text(GOODS_HEADER, first, line)))
    assert (err.value.row, err.value.column) == (3, column)


# --- TIP tiers ------------------------------------------------------------------------------

TIP_HEADER = "country_name,iso3,year,cow_code,tier"


def test_parse_tip_tiers_maps_tiers_and_skips_unrated() -> None:
    """'Watchlist' is Tier 2 Watch List; empty tiers are counted as not rated."""
    stats = parsers.ParseStats()
    rows = list(
        parsers.parse_tip_tiers(
            csv_text(
                TIP_HEADER,
                "Kenya,KEN,2000,501,",
                "Kenya,KEN,2004,501,Watchlist",
                "Kenya,KEN,2010,501,Tier 2",
                "Norway,NOR,2010,385,Tier 1",
                "Eritrea,ERI,2010,531,Tier 3",
            ),
            stats,
        )
    )
    assert [(r.iso3, r.year, r.tier) for r in rows] == [
        ("KEN", 2004, "2WL"),
        ("KEN", 2010, "2"),
        ("NOR", 2010, "1"),
        ("ERI", 2010, "3"),
    ]
    assert stats.skipped == {"not rated": 1}


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("Kenya,KE,2004,501,Tier 2", "iso3"),
        ("Kenya,KEN,2024,501,Tier 2", "year"),
        ("Kenya,KEN,20x4,501,Tier 2", "year"),
        ("Kenya,KEN,2004,501,Tier 4", "tier"),
        ("Kenya,KEN,2003,501,Tier 2", "year"),
    ],
)
def test_parse_tip_tiers_bad_cells(line: str, column: str) -> None:
    """Bad codes, years outside 1999-2015, unknown tiers and duplicates name row and column."""
    with pytest.raises(ParseError) as err:
        list(parsers.parse_tip_tiers(csv_text(TIP_HEADER, "Kenya,KEN,2003,501,Tier 2", line)))
    assert (err.value.row, err.value.column) == (3, column)
