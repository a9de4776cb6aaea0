"""Pure parsers for the geography reference tables and WPP population (no ORM).

Every function takes text lines (an open file or a list of strings) and returns dataclasses.
Bad input raises `ParseError` with the spreadsheet row (header = row 1) and column name.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sdg87.core.loading import ParseError

# Kosovo is not in ISO 3166-1 nor in M49; the Global Slavery Index (and the World Bank) use the
# user-assigned code XKX, so we add it as a country of its own (see data/PROVENANCE.md §6).
KOSOVO_CODE = "XKX"

WORLD_CODE = "001"
CHANNEL_ISLANDS = "830"


# --- shared helpers ---------------------------------------------------------------------------


def _rows(lines: Iterable[str], required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (spreadsheet row number, row) for a CSV with a header, checking the columns."""
    reader = csv.DictReader(lines)
    fieldnames = [name.strip().lstrip("\ufeff") for name in reader.fieldnames or []]
    reader.fieldnames = fieldnames
    missing = [name for name in required if name not in fieldnames]
    if missing:
        raise ParseError(f"missing column(s): {', '.join(missing)}", row=1, column=missing[0])
    for index, row in enumerate(reader, start=2):
        yield index, {key: (value or "").strip() for key, value in row.items() if key}


def _m49(value: str, *, row: int, column: str, required: bool = True) -> str:
    """M49 codes are numeric; we keep them as 3-digit zero-padded strings ("4" -> "004")."""
    if not value:
        if required:
            raise ParseError("empty M49 code", row=row, column=column)
        return ""
    if not value.isdigit() or len(value) > 3:
        raise ParseError(f"invalid M49 code '{value}'", row=row, column=column)
    return value.zfill(3)


def _float(value: str, *, row: int, column: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ParseError(f"not a number: '{value}'", row=row, column=column) from None


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
    for line, row in _rows(lines, COUNTRY_COLUMNS):
        iso3 = row["ISO3166-1-Alpha-3"]
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            raise ParseError(f"invalid ISO3 code '{iso3}'", row=line, column="ISO3166-1-Alpha-3")
        if iso3 in seen:
            raise ParseError(f"duplicate ISO3 code '{iso3}'", row=line, column="ISO3166-1-Alpha-3")
        seen.add(iso3)
        iso2 = row["ISO3166-1-Alpha-2"]
        if len(iso2) != 2:
            raise ParseError(f"invalid ISO2 code '{iso2}'", row=line, column="ISO3166-1-Alpha-2")
        name_en = row["official_name_en"]
        if not name_en:
            raise ParseError("empty English name", row=line, column="official_name_en")
        countries.append(
            CountryRow(
                iso3=iso3,
                iso2=iso2,
                m49=_m49(row["M49"], row=line, column="M49"),
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
            raise ParseError(f"expected 'x' or empty, got '{row[column]}'", row=line, column=column)
        if row[column] == "x":
            groups.append(code)
    return tuple(groups)


def _area(row: dict[str, str], line: int, code_column: str, name_column: str) -> UnArea | None:
    code = _m49(row[code_column], row=line, column=code_column, required=False)
    if not code:
        return None
    if not row[name_column]:
        raise ParseError("region code without a name", row=line, column=name_column)
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


GAPMINDER_COLUMNS = (
    "country",
    "iso3166_1_alpha3",
    "income_groups",
    "un_sdg_region",
    "latitude",
    "longitude",
)
GAPMINDER_INCOME_GROUPS = {
    "low_income",
    "lower_middle_income",
    "upper_middle_income",
    "high_income",
}
# Gapminder's own ids for entities that we hold under a code of our own.
GAPMINDER_ID_TO_CODE = {"kos": KOSOVO_CODE}


def parse_gapminder_groups(lines: Iterable[str]) -> list[GapminderCountry]:
    """Parse reference/gapminder_country_groups.csv (Gapminder systema globalis entities)."""
    result = []
    for line, row in _rows(lines, GAPMINDER_COLUMNS):
        income = row["income_groups"]
        if income and income not in GAPMINDER_INCOME_GROUPS:
            raise ParseError(f"unknown income group '{income}'", row=line, column="income_groups")
        latitude = _float(row["latitude"], row=line, column="latitude")
        longitude = _float(row["longitude"], row=line, column="longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            raise ParseError(f"latitude out of range: {latitude}", row=line, column="latitude")
        if longitude is not None and not -180 <= longitude <= 180:
            raise ParseError(f"longitude out of range: {longitude}", row=line, column="longitude")
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
            )
        )
    return result


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
    for line, row in _rows(lines, required):
        if not row["wpp_location_code"].isdigit():
            raise ParseError("invalid WPP location code", row=line, column="wpp_location_code")
        if row["sdg_region_code"] and row["sdg_region_code"] not in WPP_SDG_REGION_TO_M49:
            raise ParseError(
                f"unknown WPP SDG region code '{row['sdg_region_code']}'",
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


GSI_REGION_TO_ILO = {
    "Africa": "ILO_AFRICA",
    "Americas": "ILO_AMERICAS",
    "Arab States": "ILO_ARAB_STATES",
    "Asia and the Pacific": "ILO_ASIA_PACIFIC",
    "Europe and Central Asia": "ILO_EUROPE_CENTRAL_ASIA",
}


def parse_gsi_regions(lines: Iterable[str]) -> list[GsiRegionRow]:
    """Parse the iso3 and gsi_region columns of walk_free/gsi_2023_country_estimates.csv."""
    result = []
    for line, row in _rows(lines, ("iso3", "gsi_region")):
        if len(row["iso3"]) != 3:
            raise ParseError(f"invalid ISO3 code '{row['iso3']}'", row=line, column="iso3")
        if row["gsi_region"] not in GSI_REGION_TO_ILO:
            raise ParseError(
                f"unknown GSI region '{row['gsi_region']}'", row=line, column="gsi_region"
            )
        result.append(GsiRegionRow(iso3=row["iso3"], gsi_region=row["gsi_region"], line=line))
    return result


# --- aggregates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateSpec:
    """An aggregate geography with its member countries (codes), ready for the services."""

    code: str
    kind: str  # a GeographyKind value
    name_en: str
    name_fr: str
    name_es: str
    m49: str = ""
    members: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class AggregateNames:
    en: str
    fr: str
    es: str


# The eight SDG regional groupings as coded in the UN SDG Global Database (M49 codes), with the
# names the UN uses in its SDG reports in English, French and Spanish.
SDG_REGIONS: dict[str, AggregateNames] = {
    "202": AggregateNames("Sub-Saharan Africa", "Afrique subsaharienne", "África Subsahariana"),
    "747": AggregateNames(
        "Northern Africa and Western Asia",
        "Afrique du Nord et Asie de l'Ouest",
        "África Septentrional y Asia Occidental",
    ),
    "062": AggregateNames(
        "Central and Southern Asia",
        "Asie centrale et Asie du Sud",
        "Asia Central y Meridional",
    ),
    "753": AggregateNames(
        "Eastern and South-Eastern Asia",
        "Asie de l'Est et du Sud-Est",
        "Asia Oriental y Sudoriental",
    ),
    "419": AggregateNames(
        "Latin America and the Caribbean",
        "Amérique latine et Caraïbes",
        "América Latina y el Caribe",
    ),
    "053": AggregateNames(
        "Australia and New Zealand",
        "Australie et Nouvelle-Zélande",
        "Australia y Nueva Zelandia",
    ),
    "543": AggregateNames(
        "Oceania (excluding Australia and New Zealand)",
        "Océanie (à l'exclusion de l'Australie et de la Nouvelle-Zélande)",
        "Oceanía (excepto Australia y Nueva Zelandia)",
    ),
    "513": AggregateNames(
        "Europe and Northern America",
        "Europe et Amérique du Nord",
        "Europa y América Septentrional",
    ),
}

# WPP 2019 uses its own location codes for the SDG regions; these are the M49 codes the UN SDG
# Global Database uses for the same groupings.
WPP_SDG_REGION_TO_M49 = {
    "947": "202",
    "1833": "747",
    "921": "062",
    "1832": "753",
    "1830": "419",
    "927": "053",
    "1835": "543",
    "1829": "513",
}

GAPMINDER_SDG_REGION_TO_M49 = {
    "un_sub_saharan_africa": "202",
    "un_northern_africa_and_western_asia": "747",
    "un_central_and_southern_asia": "062",
    "un_eastern_and_south_eastern_asia": "753",
    "un_latin_america_and_the_caribbean": "419",
    "un_australia_and_new_zealand": "053",
    "un_oceania_exc_australia_and_new_zealand": "543",
    "un_europe_and_northern_america": "513",
}

# The SDG regions are unions of M49 sub-regions (UNSD, "SDG regional groupings"); used for the
# few M49 areas that neither WPP nor Gapminder assign.
M49_SUBREGION_TO_SDG_REGION = {
    "202": "202",
    "015": "747",
    "145": "747",
    "143": "062",
    "034": "062",
    "030": "753",
    "035": "753",
    "419": "419",
    "053": "053",
    "054": "543",
    "057": "543",
    "061": "543",
    "151": "513",
    "154": "513",
    "039": "513",
    "155": "513",
    "021": "513",
}

# French and Spanish names of the M49 regions, sub-regions and intermediate regions (UNSD M49
# standard, French and Spanish versions). The English names come from the country table.
UN_AREA_NAMES: dict[str, tuple[str, str]] = {
    "002": ("Afrique", "África"),
    "015": ("Afrique septentrionale", "África septentrional"),
    "202": ("Afrique subsaharienne", "África subsahariana"),
    "014": ("Afrique orientale", "África oriental"),
    "017": ("Afrique centrale", "África central"),
    "018": ("Afrique australe", "África meridional"),
    "011": ("Afrique occidentale", "África occidental"),
    "019": ("Amériques", "Américas"),
    "419": ("Amérique latine et Caraïbes", "América Latina y el Caribe"),
    "029": ("Caraïbes", "el Caribe"),
    "013": ("Amérique centrale", "Centroamérica"),
    "005": ("Amérique du Sud", "América del Sur"),
    "021": ("Amérique septentrionale", "América septentrional"),
    "142": ("Asie", "Asia"),
    "143": ("Asie centrale", "Asia central"),
    "030": ("Asie orientale", "Asia oriental"),
    "035": ("Asie du Sud-Est", "Asia sudoriental"),
    "034": ("Asie du Sud", "Asia meridional"),
    "145": ("Asie occidentale", "Asia occidental"),
    "150": ("Europe", "Europa"),
    "151": ("Europe orientale", "Europa oriental"),
    "154": ("Europe septentrionale", "Europa septentrional"),
    "039": ("Europe méridionale", "Europa meridional"),
    "155": ("Europe occidentale", "Europa occidental"),
    "830": ("Îles Anglo-Normandes", "Islas del Canal"),
    "009": ("Océanie", "Oceanía"),
    "053": ("Australie et Nouvelle-Zélande", "Australia y Nueva Zelandia"),
    "054": ("Mélanésie", "Melanesia"),
    "057": ("Micronésie", "Micronesia"),
    "061": ("Polynésie", "Polinesia"),
}

# UN M49 special groupings used by the UN SDG Global Database, with the UN's names.
SPECIAL_GROUPS: dict[str, AggregateNames] = {
    "199": AggregateNames(
        "Least Developed Countries (LDCs)",
        "Pays les moins avancés (PMA)",
        "Países menos adelantados (PMA)",
    ),
    "432": AggregateNames(
        "Landlocked developing countries (LLDCs)",
        "Pays en développement sans littoral (PDSL)",
        "Países en desarrollo sin litoral (PDSL)",
    ),
    "722": AggregateNames(
        "Small island developing States (SIDS)",
        "Petits États insulaires en développement (PEID)",
        "Pequeños Estados insulares en desarrollo (PEID)",
    ),
}

# ILO regions, with the names the ILO uses in its French and Spanish publications.
ILO_REGIONS: dict[str, AggregateNames] = {
    "ILO_AFRICA": AggregateNames("Africa", "Afrique", "África"),
    "ILO_AMERICAS": AggregateNames("Americas", "Amériques", "Américas"),
    "ILO_ARAB_STATES": AggregateNames("Arab States", "États arabes", "Estados Árabes"),
    "ILO_ASIA_PACIFIC": AggregateNames(
        "Asia and the Pacific", "Asie et Pacifique", "Asia y el Pacífico"
    ),
    "ILO_EUROPE_CENTRAL_ASIA": AggregateNames(
        "Europe and Central Asia", "Europe et Asie centrale", "Europa y Asia Central"
    ),
}

# World Bank income groups, with the World Bank's French and Spanish names.
INCOME_GROUPS: dict[str, AggregateNames] = {
    "WB_LIC": AggregateNames("Low income", "Faible revenu", "Ingreso bajo"),
    "WB_LMC": AggregateNames(
        "Lower middle income",
        "Revenu intermédiaire, tranche inférieure",
        "Ingreso mediano bajo",
    ),
    "WB_UMC": AggregateNames(
        "Upper middle income",
        "Revenu intermédiaire, tranche supérieure",
        "Ingreso mediano alto",
    ),
    "WB_HIC": AggregateNames("High income", "Revenu élevé", "Ingreso alto"),
}
GAPMINDER_INCOME_TO_CODE = {
    "low_income": "WB_LIC",
    "lower_middle_income": "WB_LMC",
    "upper_middle_income": "WB_UMC",
    "high_income": "WB_HIC",
}

SOURCE_M49 = "UNSD M49 standard (reference/country_codes_iso_m49.csv)"
SOURCE_M49_CHANNEL_ISLANDS = "UNSD M49 standard: Channel Islands (830) = Guernsey, Jersey"
SOURCE_M49_SPECIAL = "UNSD M49 LDC/LLDC/SIDS flags (reference/country_codes_iso_m49.csv)"
SOURCE_SDG_WPP = "UN DESA WPP 2019 location groups (population/wpp2019_location_groups.csv)"
SOURCE_SDG_GAPMINDER = "Gapminder un_sdg_region (reference/gapminder_country_groups.csv)"
SOURCE_SDG_M49 = "UNSD SDG regional groupings derived from the M49 sub-region"
SOURCE_ILO = "Walk Free GSI 2023 gsi_region, which follows the ILO regions"
SOURCE_INCOME = "World Bank income groups via Gapminder (reference/gapminder_country_groups.csv)"


def _named_aggregate(
    code: str,
    kind: str,
    names: AggregateNames,
    members: Iterable[str],
    source: str,
    *,
    m49: str = "",
) -> AggregateSpec:
    """An aggregate named from one of the tables above (SDG, ILO, income, special groups)."""
    return AggregateSpec(
        code=code,
        kind=kind,
        m49=m49,
        name_en=names.en,
        name_fr=names.fr,
        name_es=names.es,
        members=tuple(sorted(members)),
        source=source,
    )


def build_aggregates(
    *,
    countries: list[CountryRow],
    wpp_locations: list[WppLocation],
    gapminder: list[GapminderCountry],
    gsi_regions: list[GsiRegionRow],
) -> list[AggregateSpec]:
    """World, SDG regions, UN regions/sub-regions/intermediate regions, the M49 special
    groupings (LDC 199, LLDC 432, SIDS 722), ILO regions and income groups, each with the codes
    of its member countries.

    A code that is both an M49 sub-region and an SDG region (202, 419, 053) is one SDG-region
    aggregate: the groupings are identical by definition.
    """
    country_codes = {c.iso3 for c in countries}
    m49_countries = [c for c in countries if c.m49]

    specs: dict[str, AggregateSpec] = {}
    specs[WORLD_CODE] = AggregateSpec(
        code=WORLD_CODE,
        kind="world",
        m49=WORLD_CODE,
        name_en="World",
        name_fr="Monde",
        name_es="Mundo",
        members=tuple(sorted(country_codes)),
        source="All countries and areas (UNSD M49 'World', plus Kosovo)",
    )

    # UN geographic regions, sub-regions and intermediate regions.
    for attr, kind in (
        ("region", "un_region"),
        ("subregion", "un_subregion"),
        ("intermediate", "un_intermediate"),
    ):
        areas: dict[str, tuple[UnArea, list[str]]] = {}
        for country in m49_countries:
            area = getattr(country, attr)
            if area is not None:
                areas.setdefault(area.m49, (area, []))[1].append(country.iso3)
        for code, (area, members) in areas.items():
            fr, es = UN_AREA_NAMES.get(code, ("", ""))
            specs[code] = AggregateSpec(
                code=code,
                kind=kind,
                m49=code,
                name_en=area.name_en,
                name_fr=fr,
                name_es=es,
                members=tuple(sorted(members)),
                source=SOURCE_M49,
            )

    # M49 lists the Channel Islands (830: Guernsey, Jersey) as an area of Northern Europe; the
    # country table leaves its intermediate-region columns empty. WPP reports it as a location.
    channel_islands = tuple(sorted({"GGY", "JEY"} & country_codes))
    if CHANNEL_ISLANDS not in specs and channel_islands:
        fr, es = UN_AREA_NAMES[CHANNEL_ISLANDS]
        specs[CHANNEL_ISLANDS] = AggregateSpec(
            code=CHANNEL_ISLANDS,
            kind="un_intermediate",
            m49=CHANNEL_ISLANDS,
            name_en="Channel Islands",
            name_fr=fr,
            name_es=es,
            members=channel_islands,
            source=SOURCE_M49_CHANNEL_ISLANDS,
        )

    # SDG regions: WPP 2019 assignment first, then Gapminder, then the M49 sub-region rule.
    by_wpp = {
        loc.iso3: WPP_SDG_REGION_TO_M49[loc.sdg_region_code]
        for loc in wpp_locations
        if loc.iso3 and loc.sdg_region_code
    }
    by_gapminder = {
        g.iso3: GAPMINDER_SDG_REGION_TO_M49[g.sdg_region]
        for g in gapminder
        if g.iso3 and g.sdg_region in GAPMINDER_SDG_REGION_TO_M49
    }
    sdg_members: dict[str, list[str]] = {code: [] for code in SDG_REGIONS}
    sdg_sources: dict[str, set[str]] = {code: set() for code in SDG_REGIONS}
    for country in m49_countries:
        if country.iso3 in by_wpp:
            region, source = by_wpp[country.iso3], SOURCE_SDG_WPP
        elif country.iso3 in by_gapminder:
            region, source = by_gapminder[country.iso3], SOURCE_SDG_GAPMINDER
        elif country.subregion and country.subregion.m49 in M49_SUBREGION_TO_SDG_REGION:
            region, source = M49_SUBREGION_TO_SDG_REGION[country.subregion.m49], SOURCE_SDG_M49
        else:
            continue  # Antarctica has no region
        sdg_members[region].append(country.iso3)
        sdg_sources[region].add(source)
    for code, names in SDG_REGIONS.items():
        specs[code] = _named_aggregate(
            code,
            "sdg_region",
            names,
            sdg_members[code],
            source="; ".join(sorted(sdg_sources[code]))[:200],
            m49=code,
        )

    for code, names in SPECIAL_GROUPS.items():
        specs[code] = _named_aggregate(
            code,
            "other",
            names,
            (c.iso3 for c in m49_countries if code in c.special_groups),
            SOURCE_M49_SPECIAL,
            m49=code,
        )

    ilo_members: dict[str, list[str]] = {code: [] for code in ILO_REGIONS}
    for gsi in gsi_regions:
        if gsi.iso3 in country_codes:
            ilo_members[GSI_REGION_TO_ILO[gsi.gsi_region]].append(gsi.iso3)
    for code, names in ILO_REGIONS.items():
        specs[code] = _named_aggregate(code, "ilo_region", names, ilo_members[code], SOURCE_ILO)

    income_members: dict[str, list[str]] = {code: [] for code in INCOME_GROUPS}
    for g in gapminder:
        if g.iso3 in country_codes and g.income_group:
            income_members[GAPMINDER_INCOME_TO_CODE[g.income_group]].append(g.iso3)
    for code, names in INCOME_GROUPS.items():
        specs[code] = _named_aggregate(
            code, "income_group", names, income_members[code], SOURCE_INCOME
        )
    return list(specs.values())


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
    for line, row in _rows(lines, (*required, *WPP_AGE_COLUMNS.values())):
        if row["geo_type"] not in WPP_GEO_TYPES:
            raise ParseError(f"unknown geo_type '{row['geo_type']}'", row=line, column="geo_type")
        if not row["wpp_location_code"].isdigit():
            raise ParseError("invalid WPP location code", row=line, column="wpp_location_code")
        if not row["year"].isdigit() or not 1950 <= int(row["year"]) <= 2100:
            raise ParseError(f"invalid year '{row['year']}'", row=line, column="year")
        if row["sex"] not in WPP_SEX:
            raise ParseError(f"unknown sex '{row['sex']}'", row=line, column="sex")
        if row["variant"] not in WPP_VARIANTS:
            raise ParseError(f"unknown variant '{row['variant']}'", row=line, column="variant")
        by_age = {}
        for age, column in WPP_AGE_COLUMNS.items():
            value = _float(row[column], row=line, column=column)
            if value is None:
                raise ParseError("empty value", row=line, column=column)
            if value < 0:
                raise ParseError(f"negative population {value}", row=line, column=column)
            by_age[age] = value
        yield PopulationRow(
            geo_type=row["geo_type"],
            wpp_code=row["wpp_location_code"],
            iso3=row["iso3"],
            year=int(row["year"]),
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
            raise ParseError("country row without iso3", row=row.line, column="iso3")
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
