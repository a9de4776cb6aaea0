"""How a typed place name matches a country's names: pure functions, no ORM.

One rule wherever a country is searched (the country list, the API's `q`, the data
catalogue): accents, case and punctuation are ignored ("cote d'ivoire" finds "Côte d\u2019Ivoire",
"congo kinshasa" finds "Congo - Kinshasa"), and every typed word must begin a word of one
name ("viet" finds "Viet Nam", "korea" both Koreas, "us" the alias "US" but not "Russia").
A country's names are its English, French and Spanish names and its aliases
(data/geo/country_aliases.csv, CLDR and Gapminder short names: see `sdg87.geo.loaders`); its
ISO3 and ISO2 codes match when typed whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Text without accents, in lower case: "Côte" and "cote" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(text: str) -> str:
    """The folded words of a name, separated by single spaces; punctuation (apostrophes of
    any shape, hyphens, dots, commas, brackets) separates words."""
    return " ".join(_NOT_WORD.split(fold(text))).strip()


def words_match(needle: str, name: str) -> bool:
    """Whether every word of `needle` begins some word of `name` (both already `name_key`s)."""
    name_words = name.split()
    return all(any(w.startswith(word) for w in name_words) for word in needle.split())


def names_match(q: str, *, names: Iterable[str], codes: Iterable[str] = ()) -> bool:
    """Whether the typed `q` matches one of `names` (word by word) or is one of `codes`."""
    needle = name_key(q)
    if not needle:
        return True
    if any(needle == name_key(code) for code in codes if code):
        return True
    return any(words_match(needle, name_key(name)) for name in names if name)


def names_equal(q: str, *, names: Iterable[str], codes: Iterable[str] = ()) -> bool:
    """Whether `q` is one of `names` or `codes` whole (accents, case, punctuation ignored)."""
    needle = name_key(q)
    return bool(needle) and any(needle == name_key(n) for n in (*codes, *names) if n)
