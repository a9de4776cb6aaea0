"""The country list and the API find countries by common names and aliases in English,
French and Spanish, the same way (sdg87.geo.names; bundled data)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from sdg87.geo.selectors import country_list
from sdg87.site.contexts.text import country_matches

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

SEARCHES = [
    ("en", "Vietnam", "VNM"),
    ("fr", "Viêt Nam", "VNM"),
    ("es", "Vietnam", "VNM"),
    ("en", "Turkey", "TUR"),
    ("fr", "Turquie", "TUR"),
    ("es", "Turquía", "TUR"),
    ("en", "UK", "GBR"),
    ("fr", "Royaume-Uni", "GBR"),
    ("es", "Reino Unido", "GBR"),
    ("en", "USA", "USA"),
    ("fr", "États-Unis", "USA"),
    ("es", "EE. UU.", "USA"),
    ("en", "Ivory Coast", "CIV"),
    ("fr", "Côte d'Ivoire", "CIV"),
    ("es", "Costa de Marfil", "CIV"),
    ("en", "Burma", "MMR"),
    ("fr", "Birmanie", "MMR"),
    ("es", "Birmania", "MMR"),
]


@pytest.mark.parametrize(("lang", "q", "iso3"), SEARCHES)
def test_country_list_page_finds_aliases(client, lang: str, q: str, iso3: str) -> None:
    """/<lang>/countries/?q= lists the country for its common name in that language."""
    html = client.get(f"/{lang}/countries/?q={quote(q)}").content.decode()
    assert f"/countries/{iso3}/" in html


@pytest.mark.parametrize(("lang", "q", "iso3"), SEARCHES)
def test_api_country_search_finds_aliases(client, lang: str, q: str, iso3: str) -> None:
    """/api/v1/countries?q= finds the same country for the same name."""
    body = client.get(f"/api/v1/countries?q={quote(q)}&lang={lang}").json()
    assert iso3 in [c["iso3"] for c in body["results"]]


def test_page_helper_and_selector_agree() -> None:
    """The page's matching helper is the geo rule: the same countries for every query."""
    countries = list(country_list())
    for q in ("uk", "korea", "congo kinshasa", "costa de marfil", "ken", "bgd"):
        by_helper = {c.iso3 for c in countries if country_matches(c, q)}
        assert by_helper == set(country_list(q=q).values_list("iso3", flat=True)), q
