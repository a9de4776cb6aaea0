"""Pure parsers for the geography reference tables and WPP population (no ORM).

Every function takes CSV text or lines (an open file) and returns dataclasses, reading rows with
the ingest toolkit's `read_rows`. Bad input raises `ParseError` with the spreadsheet row
(header = row 1) and column name. The code tables they check against are in `reference.py`;
the aggregates built from them in `aggregates.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from sdg87.core.ingest import (
    ParseError,
    cell_float,
    cell_m49,
    cell_optional_float,
    cell_year,
    read_rows,
)
from sdg87.geo.reference import (
    GAPMINDER_ID_TO_CODE,
    GAPMINDER_INCOME_GROUPS,
    GSI_REGION_TO_ILO,
    KOSOVO_CODE,
    WORLD_CODE,
    WPP_SDG_REGION_TO_M49,
)

# --- countries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnArea:
    """A UN M49 region, sub-region or intermediate region as named in the country table."""

    m49: str
    name_en: str


@dataclass(frozen=True)
class CountryRow:
    iso3: str
    iso2: str
    m49: str  # 3 digits, "" for Kosovo
    name_en: str
    name_fr: str
    name_es: str
    official_name_en: str
    is_independent: bool
    region: UnArea | None = None
    subregion: UnArea | None = None
    intermediate: UnArea | None = None
    special_groups: tuple[str, ...] = ()  # M49 codes of LDC (199), LLDC (432), SIDS (722)
    line: int | None = None


COUNTRY_COLUMNS = (
    "ISO3166-1-Alpha-3",
    "ISO3166-1-Alpha-2",
    "M49",
    "official_name_en",
    "official_name_fr",
    "official_name_es",
    "UNTERM English Formal",
    "is_independent",
    "Region Code",
    "Region Name",
    "Sub-region Code",
    "Sub-region Name",
    "Intermediate Region Code",
    "Intermediate Region Name",
    "Least Developed Countries (LDC)",
    "Land Locked Developing Countries (LLDC)",
    "Small Island Developing States (SIDS)",
)
# UN M49 special groupings, flagged "x" per country in the reference table.
SPECIAL_GROUP_COLUMNS = {
    "199": "Least Developed Countries (LDC)",
    "432": "Land Locked Developing Countries (LLDC)",
    "722": "Small Island Developing States (SIDS)",
}


def parse_country_codes(lines: Iterable[str]) -> list[CountryRow]:
    """Parse reference/country_codes_iso_m49.csv (datasets/country-codes)."""
    countries: list[CountryRow] = []
    seen: set[str] = set()
    for line, row in read_rows(lines, required=COUNTRY_COLUMNS):
        iso3 = row["ISO3166-1-Alpha-3"]
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            raise ParseError(
                _("invalid ISO3 code '%(iso3)s'") % {"iso3": iso3},
                row=line,
                column="ISO3166-1-Alpha-3",
            )
        if iso3 in seen:
            raise ParseError(
                _("duplicate ISO3 code '%(iso3)s'") % {"iso3": iso3},
                row=line,
                column="ISO3166-1-Alpha-3",
            )
        seen.add(iso3)
        iso2 = row["ISO3166-1-Alpha-2"]
        if len(iso2) != 2:
            raise ParseError(
                _("invalid ISO2 code '%(iso2)s'") % {"iso2": iso2},
                row=line,
                column="ISO3166-1-Alpha-2",
            )
        name_en = row["official_name_en"]
        if not name_en:
            raise ParseError(_("empty English name"), row=line, column="official_name_en")
        countries.append(
            CountryRow(
                iso3=iso3,
                iso2=iso2,
                m49=cell_m49(row, "M49", line),
                name_en=name_en,
                name_fr=row["official_name_fr"],
                name_es=row["official_name_es"],
                official_name_en=row["UNTERM English Formal"],
                # Territories are "Part of FR", "Territory of US", "In contention", ...
                is_independent=row["is_independent"] == "Yes",
                region=_area(row, line, "Region Code", "Region Name"),
                subregion=_area(row, line, "Sub-region Code", "Sub-region Name"),
                intermediate=_area(
                    row, line, "Intermediate Region Code", "Intermediate Region Name"
                ),
                special_groups=_special_groups(row, line),
                line=line,
            )
        )
    return countries


def _special_groups(row: dict[str, str], line: int) -> tuple[str, ...]:
    groups = []
    for code, column in SPECIAL_GROUP_COLUMNS.items():
        if row[column] not in ("", "x"):
            raise ParseError(
                _("expected 'x' or empty, got '%(value)s'") % {"value": row[column]},
                row=line,
                column=column,
            )
        if row[column] == "x":
            groups.append(code)
    return tuple(groups)


def _area(row: dict[str, str], line: int, code_column: str, name_column: str) -> UnArea | None:
    code = cell_m49(row, code_column, line, required=False)
    if not code:
        return None
    if not row[name_column]:
        raise ParseError(_("region code without a name"), row=line, column=name_column)
    return UnArea(m49=code, name_en=row[name_column])


def kosovo() -> CountryRow:
    """Kosovo, added by hand because the GSI 2023 file uses XKX (not in ISO 3166 / M49)."""
    return CountryRow(
        iso3=KOSOVO_CODE,
        iso2="XK",
        m49="",
        name_en="Kosovo",
        name_fr="Kosovo",
        name_es="Kosovo",
        official_name_en="Kosovo (under UN Security Council resolution 1244 (1999))",
        is_independent=False,
    )


# --- Gapminder country groups (income groups, SDG region, coordinates) ----------------------


@dataclass(frozen=True)
class GapminderCountry:
    gapminder_id: str
    iso3: str  # "" for Gapminder entities without ISO3 (Kosovo is mapped to XKX)
    income_group: str  # low_income | lower_middle_income | upper_middle_income | high_income | ""
    sdg_region: str  # e.g. un_sub_saharan_africa, or ""
    latitude: float | None
    longitude: float | None
    line: int | None = None
    name: str = ""  # Gapminder's English short name ("Vietnam", "UK"), a search alias


GAPMINDER_COLUMNS = (
    "country",
    "iso3166_1_alpha3",
    "income_groups",
    "un_sdg_region",
    "latitude",
    "longitude",
)


def parse_gapminder_groups(lines: Iterable[str]) -> list[GapminderCountry]:
    """Parse reference/gapminder_country_groups.csv (Gapminder systema globalis entities)."""
    result = []
    for line, row in read_rows(lines, required=GAPMINDER_COLUMNS):
        income = row["income_groups"]
        if income and income not in GAPMINDER_INCOME_GROUPS:
            raise ParseError(
                _("unknown income group '%(income)s'") % {"income": income},
                row=line,
                column="income_groups",
            )
        latitude = cell_optional_float(row, "latitude", line)
        longitude = cell_optional_float(row, "longitude", line)
        if latitude is not None and not -90 <= latitude <= 90:
            raise ParseError(
                _("latitude out of range: %(latitude)s") % {"latitude": latitude},
                row=line,
                column="latitude",
            )
        if longitude is not None and not -180 <= longitude <= 180:
            raise ParseError(
                _("longitude out of range: %(longitude)s") % {"longitude": longitude},
                row=line,
                column="longitude",
            )
        iso3 = row["iso3166_1_alpha3"] or GAPMINDER_ID_TO_CODE.get(row["country"], "")
        result.append(
            GapminderCountry(
                gapminder_id=row["country"],
                iso3=iso3,
                income_group=income,
                sdg_region=row["un_sdg_region"],
                latitude=latitude,
                longitude=longitude,
                line=line,
                name=row.get("name", ""),
            )
        )
    return result


# --- country aliases (other names a country is searched by) ---------------------------------


@dataclass(frozen=True)
class AliasRow:
    iso3: str
    name: str
    language: str  # "en", "fr", "es", or "" for an abbreviation used in every language
    source: str  # sdg87.geo.models.AliasSource: cldr, gapminder, curated
    line: int | None = None


ALIAS_LANGUAGES = ("en", "fr", "es", "")
CLDR_COLUMN = "CLDR display name"


def parse_country_aliases(lines: Iterable[str]) -> list[AliasRow]:
    """Parse data/geo/country_aliases.csv: iso3, language, name, note (why the name is
    there; required, so that every curated name is documented)."""
    result: list[AliasRow] = []
    seen: set[tuple[str, str]] = set()
    for line, row in read_rows(lines, required=("iso3", "language", "name", "note")):
        iso3 = row["iso3"]
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            raise ParseError(
                _("invalid ISO3 code '%(iso3)s'") % {"iso3": iso3}, row=line, column="iso3"
            )
        if row["language"] not in ALIAS_LANGUAGES:
            raise ParseError(
                _("unknown language '%(language)s'") % {"language": row["language"]},
                row=line,
                column="language",
            )
        name = row["name"]
        if not name:
            raise ParseError(_("empty name"), row=line, column="name")
        if not row["note"]:
            raise ParseError(
                _("empty note: say where the name comes from"), row=line, column="note"
            )
        if (iso3, name) in seen:
            raise ParseError(
                _("duplicate name '%(name)s' for %(iso3)s") % {"name": name, "iso3": iso3},
                row=line,
                column="name",
            )
        seen.add((iso3, name))
        result.append(
            AliasRow(iso3=iso3, name=name, language=row["language"], source="curated", line=line)
        )
    return result


@dataclass(frozen=True)
class NameCorrection:
    """A name of the country reference table replaced by the UN's own (data/geo/
    country_name_corrections.csv): `published` is what the table says, checked on every load."""

    iso3: str
    column: str
    published: str
    corrected: str
    line: int


# The columns of the country table a correction may replace (CountryRow field by column).
CORRECTABLE = {
    "official_name_en": "name_en",
    "official_name_fr": "name_fr",
    "official_name_es": "name_es",
}


def parse_name_corrections(lines: Iterable[str]) -> list[NameCorrection]:
    """Parse data/geo/country_name_corrections.csv: iso3, column, published, corrected,
    source (required: where the corrected name comes from)."""
    result: list[NameCorrection] = []
    seen: set[tuple[str, str]] = set()
    columns = ("iso3", "column", "published", "corrected", "source")
    for line, row in read_rows(lines, required=columns):
        if row["column"] not in CORRECTABLE:
            raise ParseError(
                _("column '%(column)s' cannot be corrected") % {"column": row["column"]},
                row=line,
                column="column",
            )
        for column in columns:
            if not row[column].strip():
                raise ParseError(_("empty value"), row=line, column=column)
        key = (row["iso3"], row["column"])
        if key in seen:
            raise ParseError(_("duplicate correction"), row=line, column="column")
        seen.add(key)
        result.append(
            NameCorrection(
                iso3=row["iso3"],
                column=row["column"],
                published=row["published"],
                corrected=row["corrected"],
                line=line,
            )
        )
    return result


def corrected_countries(
    countries: list[CountryRow], corrections: list[NameCorrection]
) -> list[CountryRow]:
    """The countries with each correction applied; a correction whose country or published
    name is no longer in the table fails (the table changed: review the correction)."""
    by_code = {c.iso3: c for c in countries}
    for fix in corrections:
        country = by_code.get(fix.iso3)
        field = CORRECTABLE[fix.column]
        if country is None or getattr(country, field) != fix.published:
            raise ParseError(
                _("the country table no longer says '%(name)s' for %(iso3)s: review the correction")
                % {"name": fix.published, "iso3": fix.iso3},
                row=fix.line,
                column="published",
            )
        names: dict[str, Any] = {field: fix.corrected}
        by_code[fix.iso3] = replace(country, **names)
    return [by_code[c.iso3] for c in countries]


def parse_cldr_names(lines: Iterable[str]) -> list[AliasRow]:
    """The English CLDR display names ("Vietnam", "Laos", "Congo - Kinshasa") of
    reference/country_codes_iso_m49.csv, one per country that has one."""
    result = []
    for line, row in read_rows(lines, required=("ISO3166-1-Alpha-3", CLDR_COLUMN)):
        if row[CLDR_COLUMN]:
            result.append(
                AliasRow(
                    iso3=row["ISO3166-1-Alpha-3"],
                    name=row[CLDR_COLUMN],
                    language="en",
                    source="cldr",
                    line=line,
                )
            )
    return result


def gapminder_names(countries: Iterable[GapminderCountry]) -> list[AliasRow]:
    """Gapminder's English names ("Turkey", "Czech Republic", "USA") of entities with a code."""
    return [
        AliasRow(iso3=c.iso3, name=c.name, language="en", source="gapminder", line=c.line)
        for c in countries
        if c.iso3 and c.name
    ]


# --- WPP 2019 location groups -----------------------------------------------------------------


@dataclass(frozen=True)
class WppLocation:
    wpp_code: str
    name: str
    iso3: str
    sdg_region_code: str  # WPP's own code for the SDG region, e.g. 947
    sdg_region_name: str
    line: int | None = None


def parse_wpp_location_groups(lines: Iterable[str]) -> list[WppLocation]:
    """Parse population/wpp2019_location_groups.csv."""
    required = ("wpp_location_code", "location_name", "iso3", "sdg_region_code", "sdg_region_name")
    result = []
    for line, row in read_rows(lines, required=required):
        if not row["wpp_location_code"].isdigit():
            raise ParseError(_("invalid WPP location code"), row=line, column="wpp_location_code")
        if row["sdg_region_code"] and row["sdg_region_code"] not in WPP_SDG_REGION_TO_M49:
            raise ParseError(
                _("unknown WPP SDG region code '%(sdg_region_code)s'")
                % {"sdg_region_code": row["sdg_region_code"]},
                row=line,
                column="sdg_region_code",
            )
        result.append(
            WppLocation(
                wpp_code=row["wpp_location_code"],
                name=row["location_name"],
                iso3=row["iso3"],
                sdg_region_code=row["sdg_region_code"],
                sdg_region_name=row["sdg_region_name"],
                line=line,
            )
        )
    return result


# --- Global Slavery Index regions (= ILO regions) ---------------------------------------------


@dataclass(frozen=True)
class GsiRegionRow:
    iso3: str
    gsi_region: str
    line: int | None = None


def parse_gsi_regions(lines: Iterable[str]) -> list[GsiRegionRow]:
    """Parse the iso3 and gsi_region columns of walk_free/gsi_2023_country_estimates.csv."""
    result = []
    for line, row in read_rows(lines, required=("iso3", "gsi_region")):
        if len(row["iso3"]) != 3:
            raise ParseError(
                _("invalid ISO3 code '%(iso3)s'") % {"iso3": row["iso3"]}, row=line, column="iso3"
            )
        if row["gsi_region"] not in GSI_REGION_TO_ILO:
            raise ParseError(
                _("unknown GSI region '%(gsi_region)s'") % {"gsi_region": row["gsi_region"]},
                row=line,
                column="gsi_region",
            )
        result.append(GsiRegionRow(iso3=row["iso3"], gsi_region=row["gsi_region"], line=line))
    return result


# --- WPP 2019 population aged 5-17 ------------------------------------------------------------


@dataclass(frozen=True)
class PopulationRow:
    """One WPP row: a location, year and sex with the population by SDG 8.7.1 age band."""

    geo_type: str
    wpp_code: str
    iso3: str
    year: int
    sex: str  # SDMX: _T, F, M
    by_age: dict[str, float] = field(default_factory=dict)  # SDMX age code -> thousands
    projection: bool = False
    line: int | None = None


WPP_SEX = {"both": "_T", "female": "F", "male": "M"}
WPP_AGE_COLUMNS = {
    "Y5T17": "pop_5_17_thousands",
    "Y5T11": "pop_5_11_thousands",
    "Y12T14": "pop_12_14_thousands",
    "Y15T17": "pop_15_17_thousands",
}
WPP_VARIANTS = {"estimate": False, "medium_variant_projection": True}
WPP_GEO_TYPES = {"global", "wb_income_group", "country"}


def parse_wpp_population(lines: Iterable[str]) -> Iterator[PopulationRow]:
    """Parse population/wpp2019_population_aged_5_17.csv lazily, row by row."""
    required = ("geo_type", "wpp_location_code", "iso3", "year", "sex", "variant")
    for line, row in read_rows(lines, required=(*required, *WPP_AGE_COLUMNS.values())):
        if row["geo_type"] not in WPP_GEO_TYPES:
            raise ParseError(
                _("unknown geo_type '%(geo_type)s'") % {"geo_type": row["geo_type"]},
                row=line,
                column="geo_type",
            )
        if not row["wpp_location_code"].isdigit():
            raise ParseError(_("invalid WPP location code"), row=line, column="wpp_location_code")
        year = cell_year(row, "year", line, first=1950)
        if row["sex"] not in WPP_SEX:
            raise ParseError(
                _("unknown sex '%(sex)s'") % {"sex": row["sex"]}, row=line, column="sex"
            )
        if row["variant"] not in WPP_VARIANTS:
            raise ParseError(
                _("unknown variant '%(variant)s'") % {"variant": row["variant"]},
                row=line,
                column="variant",
            )
        by_age = {}
        for age, column in WPP_AGE_COLUMNS.items():
            value = cell_float(row, column, line)
            if value < 0:
                raise ParseError(
                    _("negative population %(value)s") % {"value": value}, row=line, column=column
                )
            by_age[age] = value
        yield PopulationRow(
            geo_type=row["geo_type"],
            wpp_code=row["wpp_location_code"],
            iso3=row["iso3"],
            year=year,
            sex=WPP_SEX[row["sex"]],
            by_age=by_age,
            projection=WPP_VARIANTS[row["variant"]],
            line=line,
        )


# WPP aggregates that correspond to ours. WPP 2019's income groups are the World Bank
# classification it used (July 2018); "Middle-income countries" (1517) and "No income group
# available" (1518) have no aggregate of ours and are skipped. WPP's "Channel Islands" (830,
# iso3 CHI) is the M49 intermediate region 830 of its own (Guernsey + Jersey).
WPP_AGGREGATE_TO_CODE = {
    "900": WORLD_CODE,
    "1500": "WB_LIC",
    "1503": "WB_HIC",
    "830": "830",
}
WPP_AGGREGATE_NOTES = {
    "1500": "WPP 2019 grouping 'Low-income countries' (World Bank classification used by WPP)",
    "1503": "WPP 2019 grouping 'High-income countries' (World Bank classification used by WPP)",
}
PROJECTION_NOTE = "WPP 2019 medium-variant projection"


@dataclass(frozen=True)
class PopulationValue:
    geo: str
    year: int
    sex: str
    age: str
    value: float
    nature: str
    note: str
    line: int | None


def population_values(rows: Iterable[PopulationRow]) -> Iterator[PopulationValue]:
    """Map WPP rows to our geography codes and SDMX codes; skip WPP groupings we do not hold.

    Estimates keep nature E; medium-variant projections are M (modelled) with a note.
    """
    for row in rows:
        if row.geo_type == "country" and row.iso3 != "CHI":
            geo = row.iso3
            note = ""
        elif row.wpp_code in WPP_AGGREGATE_TO_CODE:
            geo = WPP_AGGREGATE_TO_CODE[row.wpp_code]
            note = WPP_AGGREGATE_NOTES.get(row.wpp_code, "")
        else:
            continue
        if not geo:
            raise ParseError(_("country row without iso3"), row=row.line, column="iso3")
        nature = "M" if row.projection else "E"
        if row.projection:
            note = f"{PROJECTION_NOTE}; {note}" if note else PROJECTION_NOTE
        for age, value in row.by_age.items():
            yield PopulationValue(
                geo=geo,
                year=row.year,
                sex=row.sex,
                age=age,
                value=value,
                nature=nature,
                note=note,
                line=row.line,
            )
