"""The aggregate geographies (World, SDG, UN, ILO regions, income and special groups) with
their member countries, built from the parsed reference tables (pure, no ORM)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sdg87.geo.parsers import CountryRow, GapminderCountry, GsiRegionRow, UnArea, WppLocation
from sdg87.geo.reference import (
    CHANNEL_ISLANDS,
    GAPMINDER_INCOME_TO_CODE,
    GAPMINDER_SDG_REGION_TO_M49,
    GSI_REGION_TO_ILO,
    ILO_REGIONS,
    INCOME_GROUPS,
    M49_SUBREGION_TO_SDG_REGION,
    SDG_REGIONS,
    SOURCE_ILO,
    SOURCE_INCOME,
    SOURCE_M49,
    SOURCE_M49_CHANNEL_ISLANDS,
    SOURCE_M49_SPECIAL,
    SOURCE_SDG_GAPMINDER,
    SOURCE_SDG_M49,
    SOURCE_SDG_WPP,
    SPECIAL_GROUPS,
    UN_AREA_NAMES,
    WORLD_CODE,
    WPP_SDG_REGION_TO_M49,
    AggregateNames,
)


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
