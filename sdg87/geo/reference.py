"""Reference tables of the geographies: codes of our own, the names of the aggregates in
English, French and Spanish, and the mappings from each source's codes to ours. Data, no logic.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kosovo is not in ISO 3166-1 nor in M49; the Global Slavery Index (and the World Bank) use the
# user-assigned code XKX, so we add it as a country of its own (see data/PROVENANCE.md §6).
KOSOVO_CODE = "XKX"

WORLD_CODE = "001"
CHANNEL_ISLANDS = "830"


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

# Gapminder's income groups, as written in reference/gapminder_country_groups.csv.
GAPMINDER_INCOME_GROUPS = {
    "low_income",
    "lower_middle_income",
    "upper_middle_income",
    "high_income",
}
# Gapminder's own ids for entities that we hold under a code of our own.
GAPMINDER_ID_TO_CODE = {"kos": KOSOVO_CODE}

# Walk Free's GSI 2023 regions, which follow the ILO regions (data/PROVENANCE.md section 6).
GSI_REGION_TO_ILO = {
    "Africa": "ILO_AFRICA",
    "Americas": "ILO_AMERICAS",
    "Arab States": "ILO_ARAB_STATES",
    "Asia and the Pacific": "ILO_ASIA_PACIFIC",
    "Europe and Central Asia": "ILO_EUROPE_CENTRAL_ASIA",
}
