"""Pure parser tests: small inline tables and the real bundled files (no database)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.conf import settings

from sdg87.core.ingest import ParseError
from sdg87.geo import parsers, reference

DATA = Path(settings.SDG87_DATA_DIR)

COUNTRY_HEADER = ",".join(parsers.COUNTRY_COLUMNS)


def country_line(**overrides: str) -> str:
    row = {
        "ISO3166-1-Alpha-3": "AFG",
        "ISO3166-1-Alpha-2": "AF",
        "M49": "4",
        "official_name_en": "Afghanistan",
        "official_name_fr": "Afghanistan (l')",
        "official_name_es": "Afganistán (el)",
        "UNTERM English Formal": "the Islamic Republic of Afghanistan",
        "is_independent": "Yes",
        "Region Code": "142",
        "Region Name": "Asia",
        "Sub-region Code": "34",
        "Sub-region Name": "Southern Asia",
        "Intermediate Region Code": "",
        "Intermediate Region Name": "",
        "Least Developed Countries (LDC)": "x",
        "Land Locked Developing Countries (LLDC)": "x",
        "Small Island Developing States (SIDS)": "",
    }
    row.update(overrides)
    return ",".join(row[column] for column in parsers.COUNTRY_COLUMNS)


def read(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)


class TestParseCountryCodes:
    def test_parses_codes_names_and_regions(self) -> None:
        """A row gives ISO codes, the M49 code zero-padded to 3 digits, names in three
        languages and the UN region/sub-region."""
        (country,) = parsers.parse_country_codes([COUNTRY_HEADER, country_line()])
        assert country.iso3 == "AFG"
        assert country.iso2 == "AF"
        assert country.m49 == "004"
        assert (country.name_en, country.name_fr, country.name_es) == (
            "Afghanistan",
            "Afghanistan (l')",
            "Afganistán (el)",
        )
        assert country.official_name_en == "the Islamic Republic of Afghanistan"
        assert country.is_independent is True
        assert country.region == parsers.UnArea("142", "Asia")
        assert country.subregion == parsers.UnArea("034", "Southern Asia")
        assert country.intermediate is None
        assert country.special_groups == ("199", "432")

    def test_territory_is_not_independent(self) -> None:
        """Values other than 'Yes' (e.g. 'Part of FI') mean not independent."""
        (country,) = parsers.parse_country_codes(
            [COUNTRY_HEADER, country_line(is_independent="Part of FI")]
        )
        assert country.is_independent is False

    def test_bad_m49_names_row_and_column(self) -> None:
        """A non-numeric M49 code raises ParseError with the spreadsheet row (header = 1)."""
        lines = [COUNTRY_HEADER, country_line(), country_line(**{"ISO3166-1-Alpha-3": "ALB"})]
        lines.append(country_line(**{"ISO3166-1-Alpha-3": "DZA", "M49": "x12"}))
        with pytest.raises(ParseError) as info:
            parsers.parse_country_codes(lines)
        assert (info.value.row, info.value.column) == (4, "M49")

    def test_duplicate_iso3_is_rejected(self) -> None:
        """The same ISO3 twice is an error on the second row."""
        with pytest.raises(ParseError) as info:
            parsers.parse_country_codes([COUNTRY_HEADER, country_line(), country_line()])
        assert (info.value.row, info.value.column) == (3, "ISO3166-1-Alpha-3")

    def test_missing_column_is_reported_on_the_header(self) -> None:
        """A table without a required column fails on row 1 naming the column."""
        with pytest.raises(ParseError) as info:
            parsers.parse_country_codes(["ISO3166-1-Alpha-3,M49\n", "AFG,4\n"])
        assert info.value.row == 1
        assert info.value.column == "ISO3166-1-Alpha-2"

    def test_real_file_has_249_countries(self) -> None:
        """The bundled table has 249 countries/areas, all with M49 and three names."""
        countries = parsers.parse_country_codes(read("reference/country_codes_iso_m49.csv"))
        assert len(countries) == 249
        by_iso3 = {c.iso3: c for c in countries}
        assert by_iso3["CIV"].name_fr == "C\u00f4te d\u2019Ivoire"
        assert by_iso3["CIV"].name_es == "C\u00f4te d\u2019Ivoire"
        assert by_iso3["AFG"].m49 == "004"
        assert by_iso3["NAM"].iso2 == "NA"  # not read as "not available"
        assert all(c.m49 and len(c.m49) == 3 for c in countries)
        assert all(c.name_en and c.name_fr and c.name_es for c in countries)

    def test_kosovo_has_no_m49(self) -> None:
        """Kosovo is added by hand with the code XKX and no M49 code."""
        kosovo = parsers.kosovo()
        assert (kosovo.iso3, kosovo.m49, kosovo.name_fr) == ("XKX", "", "Kosovo")


class TestParseGapminder:
    HEADER = "country,iso3166_1_alpha3,income_groups,un_sdg_region,latitude,longitude\n"

    def test_parses_income_region_and_coordinates(self) -> None:
        """Income group, SDG region and coordinates are read; Kosovo maps to XKX."""
        rows = parsers.parse_gapminder_groups(
            [
                self.HEADER,
                "ken,KEN,lower_middle_income,un_sub_saharan_africa,1,38\n",
                "kos,,upper_middle_income,un_europe_and_northern_america,,\n",
            ]
        )
        assert rows[0].iso3 == "KEN"
        assert rows[0].income_group == "lower_middle_income"
        assert (rows[0].latitude, rows[0].longitude) == (1.0, 38.0)
        assert rows[1].iso3 == "XKX"
        assert rows[1].latitude is None

    def test_bad_latitude(self) -> None:
        """A latitude that is not a number is reported with row and column."""
        with pytest.raises(ParseError) as info:
            parsers.parse_gapminder_groups([self.HEADER, "ken,KEN,,,north,38\n"])
        assert (info.value.row, info.value.column) == (2, "latitude")

    def test_unknown_income_group(self) -> None:
        """Only the four World Bank groups are accepted."""
        with pytest.raises(ParseError) as info:
            parsers.parse_gapminder_groups([self.HEADER, "ken,KEN,rich,,,\n"])
        assert info.value.column == "income_groups"


class TestParseGsiRegions:
    def test_unknown_region_is_rejected(self) -> None:
        """Regions other than the five ILO regions raise ParseError."""
        with pytest.raises(ParseError) as info:
            parsers.parse_gsi_regions(["iso3,gsi_region\n", "KEN,Africa\n", "FRA,Europe\n"])
        assert (info.value.row, info.value.column) == (3, "gsi_region")

    def test_real_file(self) -> None:
        """All 180 GSI countries have one of the five ILO regions."""
        rows = parsers.parse_gsi_regions(read("walk_free/gsi_2023_country_estimates.csv"))
        assert len(rows) == 180
        assert {r.gsi_region for r in rows} == set(reference.GSI_REGION_TO_ILO)


WPP_HEADER = (
    "geo_type,wpp_location_code,location_name,iso3,year,sex,pop_5_17_thousands,"
    "pop_5_11_thousands,pop_12_14_thousands,pop_15_17_thousands,variant\n"
)


class TestParseWppPopulation:
    def test_row_gives_four_age_bands(self) -> None:
        """One WPP row holds 5-17 and the three SDG 8.7.1 bands, in thousands."""
        (row,) = parsers.parse_wpp_population(
            [WPP_HEADER, "country,404,Kenya,KEN,2000,female,5000.5,3000,1000,1000.5,estimate\n"]
        )
        assert row.sex == "F"
        assert row.by_age == {
            "Y5T17": 5000.5,
            "Y5T11": 3000.0,
            "Y12T14": 1000.0,
            "Y15T17": 1000.5,
        }
        assert row.projection is False

    def test_bad_value(self) -> None:
        """A value that is not a number raises ParseError naming the column."""
        with pytest.raises(ParseError) as info:
            list(
                parsers.parse_wpp_population(
                    [WPP_HEADER, "country,404,Kenya,KEN,2000,both,x,3000,1000,1000,estimate\n"]
                )
            )
        assert (info.value.row, info.value.column) == (2, "pop_5_17_thousands")

    def test_unknown_variant(self) -> None:
        """Only estimates and the medium variant are expected."""
        with pytest.raises(ParseError) as info:
            list(
                parsers.parse_wpp_population(
                    [WPP_HEADER, "country,404,Kenya,KEN,2040,both,1,1,1,1,high_variant\n"]
                )
            )
        assert info.value.column == "variant"

    def test_mapping_to_geographies(self) -> None:
        """Countries map by ISO3, WPP 900 to World 001, Low/High income to WB_LIC/WB_HIC,
        Channel Islands to 830; middle income and 'no income group' are skipped.
        Projections are nature M with a note, estimates nature E."""
        lines = [
            WPP_HEADER,
            "global,900,WORLD,,1990,both,4,1,1,2,estimate\n",
            "wb_income_group,1500,Low-income countries,,1990,both,4,1,1,2,estimate\n",
            "wb_income_group,1517,Middle-income countries,,1990,both,4,1,1,2,estimate\n",
            "wb_income_group,1518,No income group available,,1990,both,4,1,1,2,estimate\n",
            "country,830,Channel Islands,CHI,1990,both,4,1,1,2,estimate\n",
            "country,404,Kenya,KEN,2030,male,4,1,1,2,medium_variant_projection\n",
        ]
        values = list(parsers.population_values(parsers.parse_wpp_population(lines)))
        assert [v.geo for v in values[::4]] == ["001", "WB_LIC", "830", "KEN"]
        kenya = values[-4]
        assert (kenya.nature, kenya.note, kenya.sex, kenya.age) == (
            "M",
            parsers.PROJECTION_NOTE,
            "M",
            "Y5T17",
        )
        assert values[0].nature == "E" and values[0].note == ""
        assert "Low-income" in values[4].note

    def test_real_file_world_1990(self) -> None:
        """The first real row is World 1990, both sexes, 5-17 = 1,417,752.621 thousand."""
        rows = parsers.parse_wpp_population(read("population/wpp2019_population_aged_5_17.csv"))
        first = next(rows)
        assert (first.wpp_code, first.year, first.sex) == ("900", 1990, "_T")
        assert first.by_age["Y5T17"] == 1417752.621
        assert sum(1 for _ in itertools.chain([first], rows)) == 25338


# --- country aliases ------------------------------------------------------------------------

ALIAS_HEADER = "iso3,language,name,note\n"


def test_parse_country_aliases_inline() -> None:
    """Rows become curated aliases with their language."""
    rows = parsers.parse_country_aliases([ALIAS_HEADER, "VNM,,Vietnam,spelling\n"])
    assert rows == [
        parsers.AliasRow(iso3="VNM", name="Vietnam", language="", source="curated", line=2)
    ]


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("vnm,en,Vietnam,x\n", "iso3"),
        ("VNM,de,Vietnam,x\n", "language"),
        ("VNM,en,,x\n", "name"),
        ("VNM,en,Vietnam,\n", "note"),
    ],
)
def test_parse_country_aliases_errors(line: str, column: str) -> None:
    """A bad code, an unknown language, an empty name or an undocumented name is refused
    with its row and column."""
    with pytest.raises(ParseError) as err:
        parsers.parse_country_aliases([ALIAS_HEADER, line])
    assert (err.value.row, err.value.column) == (2, column)


def test_parse_country_aliases_refuses_duplicates() -> None:
    with pytest.raises(ParseError) as err:
        parsers.parse_country_aliases([ALIAS_HEADER, "VNM,en,Vietnam,a\n", "VNM,es,Vietnam,b\n"])
    assert (err.value.row, err.value.column) == (3, "name")


def test_bundled_alias_table_parses_and_documents_every_name() -> None:
    """The bundled table parses; every language of the brief has names in it."""
    with (DATA / "geo" / "country_aliases.csv").open(encoding="utf-8") as fh:
        rows = parsers.parse_country_aliases(fh)
    assert {r.language for r in rows} == {"en", "fr", "es", ""}
    assert ("CIV", "Costa de Marfil") in {(r.iso3, r.name) for r in rows}


# --- name corrections -----------------------------------------------------------------------

CORRECTION_HEADER = "iso3,column,published,corrected,source\n"


def _country(iso3: str, name_en: str) -> parsers.CountryRow:
    return parsers.CountryRow(
        iso3=iso3, iso2=iso3[:2], m49="384", name_en=name_en, name_fr="", name_es="",
        official_name_en="", is_independent=True,
    )  # fmt: skip


def test_name_correction_replaces_the_published_name() -> None:
    fixes = parsers.parse_name_corrections(
        [CORRECTION_HEADER, "CIV,official_name_en,Ivory Coast,Côte d'Ivoire,UN M49\n"]
    )
    countries = [_country("CIV", "Ivory Coast"), _country("AFG", "Afghanistan")]
    fixed = parsers.corrected_countries(countries, fixes)
    assert [c.name_en for c in fixed] == ["Côte d'Ivoire", "Afghanistan"]


def test_name_correction_fails_when_the_table_changed() -> None:
    """A correction of a name the table no longer gives is refused with its row: the
    upstream table was fixed or changed, and the correction must be reviewed."""
    fixes = parsers.parse_name_corrections(
        [CORRECTION_HEADER, "CIV,official_name_en,Ivory Coast,Côte d'Ivoire,UN M49\n"]
    )
    with pytest.raises(ParseError) as err:
        parsers.corrected_countries([_country("CIV", "Côte d'Ivoire")], fixes)
    assert (err.value.row, err.value.column) == (2, "published")


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("CIV,iso2,CI,XX,why\n", "column"),
        ("CIV,official_name_en,Ivory Coast,Côte d'Ivoire,\n", "source"),
        ("CIV,official_name_en,,Côte d'Ivoire,why\n", "published"),
    ],
)
def test_name_correction_errors(line: str, column: str) -> None:
    with pytest.raises(ParseError) as err:
        parsers.parse_name_corrections([CORRECTION_HEADER, line])
    assert (err.value.row, err.value.column) == (2, column)


def test_bundled_corrections_apply_to_the_bundled_table() -> None:
    """Côte d'Ivoire has its UN English name, as the UN SDG files name M49 384."""
    with (DATA / "reference" / "country_codes_iso_m49.csv").open(encoding="utf-8") as fh:
        countries = parsers.parse_country_codes(fh)
    with (DATA / "geo" / "country_name_corrections.csv").open(encoding="utf-8") as fh:
        fixed = {
            c.iso3: c
            for c in parsers.corrected_countries(countries, parsers.parse_name_corrections(fh))
        }
    assert fixed["CIV"].name_en == "Côte d'Ivoire"
    with (DATA / "unsd_sdg" / "sdg_16_2_2_detected_trafficking_victims_by_country.csv").open(
        encoding="utf-8"
    ) as fh:
        assert ",384,Côte d'Ivoire,CIV," in fh.read()


def test_cldr_and_gapminder_names_from_the_reference_tables() -> None:
    """CLDR display names come from the ISO/M49 table, Gapminder's from its entity list."""
    with (DATA / "reference" / "country_codes_iso_m49.csv").open(encoding="utf-8") as fh:
        cldr = {r.iso3: r.name for r in parsers.parse_cldr_names(fh)}
    assert (cldr["VNM"], cldr["LAO"], cldr["GBR"]) == ("Vietnam", "Laos", "UK")
    with (DATA / "reference" / "gapminder_country_groups.csv").open(encoding="utf-8") as fh:
        gapminder = {
            r.iso3: r.name for r in parsers.gapminder_names(parsers.parse_gapminder_groups(fh))
        }
    assert (gapminder["TUR"], gapminder["CZE"], gapminder["USA"]) == (
        "Turkey",
        "Czech Republic",
        "USA",
    )
