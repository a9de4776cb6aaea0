"""Accent- and case-insensitive matching and sorting of names, for the lists of places."""

from __future__ import annotations

import unicodedata

from sdg87.geo.models import Geography


def fold(text: str) -> str:
    """Text for accent- and case-insensitive matching: "Côte" and "cote" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(text: str) -> str:
    """Accent- and case-insensitive sort key (Côte d'Ivoire sorts with C)."""
    return fold(text)


def country_matches(country: Geography, q: str) -> bool:
    """`q` within the English, French or Spanish name (ignoring accents and case), or the
    country's ISO3 code."""
    needle = fold(q.strip())
    if not needle:
        return True
    if (country.iso3 or "").casefold() == needle:
        return True
    names = (country.name_en, country.name_fr, country.name_es)
    return any(needle in fold(name or "") for name in names)


def geo_code(geo: Geography) -> str:
    return geo.iso3 or geo.code


def geo_param(geo: Geography) -> tuple[str, str]:
    return ("geo", geo_code(geo))
