"""Countries are found by their common names and aliases in English, French and Spanish,
the same way in the country list, the API and the data catalogue (bundled data)."""

from __future__ import annotations

import pytest
from django.db.models import Count

from sdg87.geo.models import AliasSource, GeographyAlias
from sdg87.geo.names import name_key
from sdg87.geo.selectors import (
    country_codes_matching,
    country_codes_named,
    country_list,
    country_search_terms,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

# The names of issue 9 item 6, in English, French and Spanish; each must find its country
# typed whole (the catalogue's filter) and so also as a search (the country list, the API).
NAMES = {
    "VNM": ["Vietnam", "Viet Nam", "Viêt Nam", "viet nam"],
    "TUR": ["Turkey", "Türkiye", "Turkiye", "Turquie", "Turquía"],
    "GBR": [
        "UK",
        "United Kingdom",
        "Royaume-Uni",
        "Reino Unido",
        "Great Britain",
        "Grande-Bretagne",
        "Gran Bretaña",
    ],
    "USA": ["USA", "US", "United States", "États-Unis", "Estados Unidos", "EE. UU.", "EEUU"],
    "CIV": [
        "Ivory Coast",
        "Côte d'Ivoire",
        "Côte d\u2019Ivoire",
        "Cote d'Ivoire",
        "Costa de Marfil",
    ],
    "RUS": ["Russia", "Russie", "Rusia", "Russian Federation", "Fédération de Russie"],
    "IRN": ["Iran", "Irán"],
    "SYR": ["Syria", "Syrie", "Siria"],
    "LAO": ["Laos", "Lao"],
    "BOL": ["Bolivia", "Bolivie"],
    "TZA": ["Tanzania", "Tanzanie", "Tanzanía"],
    "COD": [
        "Congo-Kinshasa",
        "Congo - Kinshasa",
        "DRC",
        "DR Congo",
        "Democratic Republic of the Congo",
        "RDC",
        "RD Congo",
        "République démocratique du Congo",
        "República Democrática del Congo",
        "RD del Congo",
    ],
    "CZE": [
        "Czechia",
        "Czech Republic",
        "Tchéquie",
        "République tchèque",
        "Chequia",
        "República Checa",
    ],
    "MMR": ["Burma", "Myanmar", "Birmanie", "Birmania"],
    "SWZ": ["Swaziland", "Eswatini", "Suazilandia"],
    "CPV": ["Cape Verde", "Cabo Verde", "Cap-Vert"],
    "TLS": ["East Timor", "Timor-Leste", "Timor oriental", "Timor Oriental"],
    "KOR": ["South Korea", "Korea", "Corée du Sud", "Corea del Sur", "République de Corée"],
    "PRK": ["North Korea", "Corée du Nord", "Corea del Norte"],
    "MKD": ["North Macedonia", "Macedonia", "Macédoine"],
    "NLD": ["Netherlands", "Holland", "Pays-Bas", "Países Bajos"],
}
CASES = [(iso3, name) for iso3, names in NAMES.items() for name in names]


@pytest.mark.parametrize(("iso3", "name"), CASES)
def test_whole_name_finds_exactly_its_country(iso3: str, name: str) -> None:
    """Typed whole (the catalogue's country filter), each name gives its country alone."""
    assert country_codes_named(names=[name]) == {name: {iso3}}


@pytest.mark.parametrize(("iso3", "name"), CASES)
def test_search_finds_the_country(iso3: str, name: str) -> None:
    """As a search (country list, API), each name finds its country among few others."""
    found = set(country_list(q=name).values_list("iso3", flat=True))
    assert iso3 in found
    assert len(found) <= 4, found


def test_short_names_do_not_find_countries_that_merely_contain_them() -> None:
    """ "US" finds the United States, not Russia, Australia or Belarus; "UK" the United
    Kingdom and Ukraine; "Korea" both Koreas; "Congo" both Congos."""
    matches = country_codes_matching(terms=["US", "UK", "Korea", "Congo"])
    assert "USA" in matches["US"]
    assert not {"RUS", "AUS", "BLR", "CYP"} & matches["US"]
    assert matches["US"] <= {"USA", "UMI", "VIR"}  # and the US Outlying or Virgin Islands
    assert matches["UK"] == {"GBR", "UKR"}
    assert matches["Korea"] == {"KOR", "PRK"}
    assert matches["Congo"] == {"COD", "COG"}


def test_aliases_loaded_from_three_sources_without_repeats() -> None:
    """Curated, CLDR and Gapminder names are loaded; none repeats one of the country's own
    names (accents, case and punctuation aside) and each name is there once per country."""
    sources = set(GeographyAlias.objects.values_list("source", flat=True))
    assert sources == {AliasSource.CURATED, AliasSource.CLDR, AliasSource.GAPMINDER}
    for alias in GeographyAlias.objects.select_related("geography"):
        geo = alias.geography
        own = {name_key(n) for n in (geo.name_en, geo.name_fr, geo.name_es)}
        assert name_key(alias.name) not in own, alias
    keys = [(a.geography_id, name_key(a.name)) for a in GeographyAlias.objects.all()]
    assert len(keys) == len(set(keys))
    assert (
        not GeographyAlias.objects.values("geography", "name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    curated = GeographyAlias.objects.get(name="Costa de Marfil")
    assert (curated.geography.code, curated.language) == ("CIV", "es")


def test_search_terms_join_the_words_of_a_country_name() -> None:
    """Consecutive words that name a country are one term with all the country's names;
    a word shared by many countries names none of them."""
    terms, synonyms = country_search_terms(words=["survey", "Costa", "de", "Marfil", "de"])
    assert terms == ["survey", "Costa de Marfil", "de"]
    assert {"Côte d\u2019Ivoire", "Côte d'Ivoire", "Ivory Coast"} <= set(
        synonyms["Costa de Marfil"]
    )
    assert "de" not in synonyms and "survey" not in synonyms
    terms, synonyms = country_search_terms(words=["Vietnam"])
    assert terms == ["Vietnam"] and "Viet Nam" in synonyms["Vietnam"]
