"""Accent- and case-insensitive matching and sorting of names, for the lists of places.

Whether a typed name finds a country is one rule, `sdg87.geo.selectors.country_matches`
(names and aliases in three languages, see `sdg87.geo.names`): the country list, the API and
the data catalogue use it alike."""

from __future__ import annotations

from sdg87.geo import selectors as geo_selectors
from sdg87.geo.models import Geography
from sdg87.geo.names import fold


def sort_key(text: str) -> str:
    """Accent- and case-insensitive sort key (Côte d'Ivoire sorts with C)."""
    return fold(text)


def country_matches(country: Geography, q: str) -> bool:
    """`q` finds the country by one of its names or aliases in English, French or Spanish
    ("Vietnam", "UK", "Costa de Marfil"; accents, case and punctuation ignored; each word
    begins a word of the name) or by its ISO3 or ISO2 code."""
    return geo_selectors.country_matches(country, q)


def geo_code(geo: Geography) -> str:
    return geo.iso3 or geo.code


def geo_param(geo: Geography) -> tuple[str, str]:
    return ("geo", geo_code(geo))
