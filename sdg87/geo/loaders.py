"""Bundled-data load steps for geographies and groupings (WPP population aged 5-17 is loaded
with the statistics, by `sdg87.indicators.population`).

Geography codes (other apps rely on them):
- countries and areas: ISO3 (all 249 rows of reference/country_codes_iso_m49.csv), with M49
  zero-padded to 3 digits; plus Kosovo "XKX" (no M49), added because the Global Slavery Index
  2023 file uses that user-assigned code (as does the World Bank);
- World "001"; SDG regions by the M49 codes of the UN SDG Global Database: "202", "747",
  "062", "753", "419", "053" (Australia and New Zealand), "543" (Oceania excluding Australia
  and New Zealand), "513"; UN regions, sub-regions and intermediate regions by 3-digit M49
  (plus "830" Channel Islands, which WPP reports); the M49 special groupings used in the UNSD
  files, kind "other": "199" LDCs, "432" LLDCs, "722" SIDS. 202, 419 and 053 are both M49
  sub-regions and SDG regions with identical members; each is one geography of kind sdg_region;
- ILO regions "ILO_AFRICA", "ILO_AMERICAS", "ILO_ARAB_STATES", "ILO_ASIA_PACIFIC",
  "ILO_EUROPE_CENTRAL_ASIA", with members from the GSI 2023 `gsi_region` column: Walk Free's
  regions follow the ILO regions (data/PROVENANCE.md section 6), for the 180 GSI countries;
- World Bank income groups "WB_LIC", "WB_LMC", "WB_UMC", "WB_HIC" from Gapminder's
  `income_groups` (vintage not stated by Gapminder).

Memberships hold countries only (no region-in-region rows). SDG-region membership comes from
WPP 2019 location groups, else Gapminder `un_sdg_region`, else the UNSD rule "SDG region =
union of M49 sub-regions", so every M49 area with a sub-region (all but Antarctica) has one.
Kosovo is a member of World, its ILO region and its income group, not of M49 groupings.

Country aliases (the other names a country is searched by, `sdg87.geo.names`): the curated
common names of geo/country_aliases.csv (English, French and Spanish, each with a note), the
English CLDR display names of the reference table ("Vietnam", "Laos", "Congo - Kinshasa")
and Gapminder's names ("Turkey", "Czech Republic", "USA"). A name equal to one of the
country's own names (accents, case and punctuation aside) is not repeated as an alias.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, reading
from sdg87.core.loading import LoadStep
from sdg87.geo import parsers, services
from sdg87.geo.aggregates import build_aggregates
from sdg87.geo.models import Geography, GeographyKind
from sdg87.geo.names import name_key

COUNTRY_CODES = "reference/country_codes_iso_m49.csv"
GAPMINDER_GROUPS = "reference/gapminder_country_groups.csv"
WPP_LOCATIONS = "population/wpp2019_location_groups.csv"
GSI_ESTIMATES = "walk_free/gsi_2023_country_estimates.csv"
COUNTRY_ALIASES = "geo/country_aliases.csv"
NAME_CORRECTIONS = "geo/country_name_corrections.csv"


def _countries(data_dir: Path) -> list[parsers.CountryRow]:
    with reading(COUNTRY_CODES), (data_dir / COUNTRY_CODES).open(encoding="utf-8") as fh:
        countries = [*parsers.parse_country_codes(fh), parsers.kosovo()]
    with reading(NAME_CORRECTIONS), (data_dir / NAME_CORRECTIONS).open(encoding="utf-8") as fh:
        return parsers.corrected_countries(countries, parsers.parse_name_corrections(fh))


def _gapminder(data_dir: Path) -> list[parsers.GapminderCountry]:
    with reading(GAPMINDER_GROUPS), (data_dir / GAPMINDER_GROUPS).open(encoding="utf-8") as fh:
        return parsers.parse_gapminder_groups(fh)


def load_countries(data_dir: Path) -> int:
    """Every country/area of the M49/ISO table, plus Kosovo, with Gapminder coordinates."""
    countries = _countries(data_dir)
    coordinates = {g.iso3: (g.latitude, g.longitude) for g in _gapminder(data_dir) if g.iso3}
    for country in countries:
        latitude, longitude = coordinates.get(country.iso3, (None, None))
        try:
            services.geography_upsert(
                code=country.iso3,
                kind="country",
                iso3=country.iso3,
                iso2=country.iso2,
                m49=country.m49 or None,
                name_en=country.name_en,
                name_fr=country.name_fr,
                name_es=country.name_es,
                official_name_en=country.official_name_en,
                is_independent=country.is_independent,
                latitude=latitude,
                longitude=longitude,
            )
        except ValidationError as exc:
            # Report the model's complaint against the input cell it came from.
            field = next(iter(exc.message_dict), "")
            raise ParseError(
                f"{field}: {' '.join(exc.message_dict.get(field, []))}",
                row=country.line,
                column=COUNTRY_FIELD_COLUMNS.get(field, field),
                file=COUNTRY_CODES,
            ) from exc
    return len(countries)


COUNTRY_FIELD_COLUMNS = {
    "code": "ISO3166-1-Alpha-3",
    "iso3": "ISO3166-1-Alpha-3",
    "iso2": "ISO3166-1-Alpha-2",
    "m49": "M49",
    "name_en": "official_name_en",
    "name_fr": "official_name_fr",
    "name_es": "official_name_es",
    "official_name_en": "UNTERM English Formal",
}


def load_aggregates(data_dir: Path) -> int:
    """World, SDG/UN/ILO regions and income groups, and their member countries."""
    countries = _countries(data_dir)
    gapminder = _gapminder(data_dir)
    with reading(WPP_LOCATIONS), (data_dir / WPP_LOCATIONS).open(encoding="utf-8") as fh:
        wpp_locations = parsers.parse_wpp_location_groups(fh)
    with reading(GSI_ESTIMATES), (data_dir / GSI_ESTIMATES).open(encoding="utf-8") as fh:
        gsi_regions = parsers.parse_gsi_regions(fh)
    specs = build_aggregates(
        countries=countries,
        wpp_locations=wpp_locations,
        gapminder=gapminder,
        gsi_regions=gsi_regions,
    )
    rows = 0
    for spec in specs:
        group = services.geography_upsert(
            code=spec.code,
            kind=spec.kind,
            m49=spec.m49 or None,
            name_en=spec.name_en,
            name_fr=spec.name_fr,
            name_es=spec.name_es,
            is_independent=False,
        )
        rows += 1 + services.geography_memberships_set(
            group=group, member_codes=spec.members, source=spec.source
        )
    return rows


def load_aliases(data_dir: Path) -> int:
    """Curated, CLDR and Gapminder names of the countries, without repeats."""
    with reading(COUNTRY_ALIASES), (data_dir / COUNTRY_ALIASES).open(encoding="utf-8") as fh:
        curated = parsers.parse_country_aliases(fh)
    with reading(COUNTRY_CODES), (data_dir / COUNTRY_CODES).open(encoding="utf-8") as fh:
        cldr = parsers.parse_cldr_names(fh)
    gapminder = parsers.gapminder_names(_gapminder(data_dir))
    countries = {
        geo.code: {name_key(n) for n in (geo.name_en, geo.name_fr, geo.name_es) if n}
        for geo in Geography.objects.filter(kind=GeographyKind.COUNTRY)
    }
    for row in curated:
        if row.iso3 not in countries:
            raise ParseError(
                _("unknown country '%(iso3)s'") % {"iso3": row.iso3},
                row=row.line,
                column="iso3",
                file=COUNTRY_ALIASES,
            )
    aliases = []
    # Curated names first: they carry a language and a note.
    for row in (*curated, *cldr, *gapminder):
        known = countries.get(row.iso3)
        key = name_key(row.name)
        if known is None or not key or key in known:
            continue
        known.add(key)
        aliases.append((row.iso3, row.name, row.language, row.source))
    return services.geography_aliases_replace(aliases=aliases)


STEPS = [
    LoadStep(
        key="geo.countries",
        label="Countries and areas (ISO 3166 / UN M49)",
        files=(COUNTRY_CODES, NAME_CORRECTIONS, GAPMINDER_GROUPS),
        run=load_countries,
        version="2",
    ),
    LoadStep(
        key="geo.aggregates",
        label="World, SDG, UN and ILO regions, income groups and memberships",
        files=(COUNTRY_CODES, NAME_CORRECTIONS, GAPMINDER_GROUPS, WPP_LOCATIONS, GSI_ESTIMATES),
        run=load_aggregates,
        depends_on=("geo.countries",),
        version="2",
    ),
    LoadStep(
        key="geo.aliases",
        label="Other names of the countries (curated, CLDR, Gapminder), for search",
        files=(COUNTRY_ALIASES, COUNTRY_CODES, NAME_CORRECTIONS, GAPMINDER_GROUPS),
        run=load_aliases,
        depends_on=("geo.countries",),
        version="2",
    ),
]
