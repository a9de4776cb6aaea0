"""Matching a sourcing list's (good, country) rows against the DOL List of Goods: pure, no ORM.

A good is matched to a DOL good name by the first rule that finds it:

1. `exact`: the text is a DOL good name (case, accents and spacing ignored: the service
   passes sdg87.supplychains.goods.normalise_good, the explorer's rule);
2. `synonym`: the text is a synonym of one (data/supplychains/goods_synonyms.csv, "cocoa
   beans" -> Cocoa), compared the same way;
3. `normalised`: the text and a DOL name (or a synonym) have the same words once
   punctuation and plural endings are dropped, in any order (`loose_key`);
4. `fuzzy`: the closest DOL name by rapidfuzz's WRatio, at or above FUZZY_CUTOFF; such a
   match is only a suggestion and is flagged "needs confirmation".

A country is matched by its ISO3 or ISO2 code typed whole, in any case (`code`), by one of
its names in English, French or Spanish (`name`), or by an alias or the name DOL prints
(`variant`), with sdg87.geo.names' rule (accents, case and punctuation ignored). Countries
are never matched fuzzily: "Niger" and "Nigeria" are one edit apart.

Each distinct good text, country text and (good, country) pair is matched once per list
(`Screener` caches them), so a 100,000-row list of a few thousand distinct pairs costs a few
thousand matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from sdg87.geo.names import fold, name_key

FUZZY_CUTOFF = 88.0

# Good rules, country rules and row statuses: stored codes (the pages word them).
EXACT, SYNONYM, NORMALISED, FUZZY = "exact", "synonym", "normalised", "fuzzy"
CODE, NAME, VARIANT = "code", "name", "variant"
LISTED, FORMERLY_LISTED, NOT_LISTED, UNMATCHED = (
    "listed",
    "formerly_listed",
    "not_listed",
    "unmatched",
)
# Reasons a row is unmatched.
NO_GOOD, NO_COUNTRY = "no_good", "no_country"
GOOD_UNKNOWN, COUNTRY_UNKNOWN = "good_unknown", "country_unknown"

_SPACES = re.compile(r"\s+")


def basic_key(text: str) -> str:
    """`text` folded (accents, case) with spaces collapsed: the key of the `exact` rule."""
    return _SPACES.sub(" ", fold(text)).strip()


@dataclass(frozen=True)
class Listing:
    """One good-country pair over the editions of the List: the editions (indexes, oldest 0)
    it appears in and its flags in the last edition it appears in."""

    good: str
    iso3: str
    editions: tuple[int, ...]
    child_labour: bool
    forced_labour: bool
    forced_child_labour: bool


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    names: tuple[str, ...]  # English, French, Spanish
    variants: tuple[str, ...] = ()  # aliases and the names DOL prints
    iso2: str = ""


@dataclass(frozen=True)
class GoodMatch:
    good: str  # the DOL good name, "" when none
    rule: str  # EXACT, SYNONYM, NORMALISED, FUZZY or ""
    score: float | None = None  # the fuzzy score (0-100)


@dataclass(frozen=True)
class CountryMatch:
    iso3: str
    name: str
    rule: str


@dataclass(frozen=True)
class RowResult:
    """What a row screens as. `status` is LISTED (in the latest edition), FORMERLY_LISTED,
    NOT_LISTED (both matched, no listing of the pair) or UNMATCHED (`reason` says why)."""

    status: str
    good: GoodMatch
    country: CountryMatch | None
    reason: str = ""
    child_labour: bool = False
    forced_labour: bool = False
    forced_child_labour: bool = False
    first_edition: int | None = None
    last_edition: int | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.good.rule == FUZZY


def loose_key(text: str) -> str:
    """The key of the `normalised` rule: the words of `text` (sdg87.geo.names.name_key:
    accents, case and punctuation dropped), each without a plural ending, in alphabetical
    order ("Cobalt (ore)", "ores, cobalt" -> "cobalt ore")."""
    words = []
    for word in name_key(text).split():
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(sorted(words))


class GoodMatcher:
    """`synonyms` is {synonym: DOL good name} with its keys already as `exact_key` gives
    them (sdg87.supplychains.goods.load_synonyms with normalise_good)."""

    def __init__(
        self,
        goods: Iterable[str],
        *,
        synonyms: Mapping[str, str] | None = None,
        exact_key: Callable[[str], str] = basic_key,
        cutoff: float = FUZZY_CUTOFF,
    ) -> None:
        names = sorted(set(goods))
        self._key = exact_key
        self._cutoff = cutoff
        self._exact = {exact_key(g): g for g in names}
        self._synonyms = {
            exact_key(term): self._exact[exact_key(good)]
            for term, good in (synonyms or {}).items()
            if exact_key(good) in self._exact
        }
        self._loose = {loose_key(g): g for g in names}
        for term, good in self._synonyms.items():
            self._loose.setdefault(loose_key(term), good)
        self._choices = list(self._loose)
        self._cache: dict[str, GoodMatch] = {}

    def match(self, text: str) -> GoodMatch:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> GoodMatch:
        if not text.strip():
            return GoodMatch("", "")
        key = self._key(text)
        if key in self._exact:
            return GoodMatch(self._exact[key], EXACT)
        if key in self._synonyms:
            return GoodMatch(self._synonyms[key], SYNONYM)
        loose = loose_key(text)
        if loose in self._loose:
            return GoodMatch(self._loose[loose], NORMALISED)
        if loose:
            best = process.extractOne(
                loose, self._choices, scorer=fuzz.WRatio, score_cutoff=self._cutoff
            )
            if best is not None:
                return GoodMatch(self._loose[best[0]], FUZZY, round(float(best[1]), 1))
        return GoodMatch("", "")


class CountryMatcher:
    def __init__(self, countries: Iterable[Country]) -> None:
        self._codes: dict[str, Country] = {}
        self._names: dict[str, Country] = {}
        self._variants: dict[str, Country] = {}
        for country in countries:
            for code in (country.iso3, country.iso2):
                if code:
                    self._codes[code.upper()] = country
            for name in country.names:
                if name:
                    self._names.setdefault(name_key(name), country)
            for name in country.variants:
                if name:
                    self._variants.setdefault(name_key(name), country)
        self._cache: dict[str, CountryMatch | None] = {}

    def match(self, text: str) -> CountryMatch | None:
        if text in self._cache:
            return self._cache[text]
        found = self._cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> CountryMatch | None:
        stripped = text.strip()
        if not stripped:
            return None
        by_code = self._codes.get(stripped.upper()) if len(stripped) in (2, 3) else None
        if by_code is not None:
            return CountryMatch(by_code.iso3, by_code.name, CODE)
        key = name_key(stripped)
        for table, rule in ((self._names, NAME), (self._variants, VARIANT)):
            country = table.get(key)
            if country is not None:
                return CountryMatch(country.iso3, country.name, rule)
        return None


@dataclass
class Screener:
    """Screens rows against the listings; `latest` is the index of the latest edition."""

    goods: GoodMatcher
    countries: CountryMatcher
    listings: Mapping[tuple[str, str], Listing]
    latest: int
    _pairs: dict[tuple[str, str], RowResult] = field(default_factory=dict)

    def screen(self, good_text: str, country_text: str) -> RowResult:
        pair = (good_text, country_text)
        found = self._pairs.get(pair)
        if found is None:
            found = self._pairs[pair] = self._screen(good_text, country_text)
        return found

    @property
    def distinct_pairs(self) -> int:
        return len(self._pairs)

    def _screen(self, good_text: str, country_text: str) -> RowResult:
        good = self.goods.match(good_text)
        country = self.countries.match(country_text)
        reason = ""
        if not good_text.strip():
            reason = NO_GOOD
        elif not good.good:
            reason = GOOD_UNKNOWN
        elif not country_text.strip():
            reason = NO_COUNTRY
        elif country is None:
            reason = COUNTRY_UNKNOWN
        if reason or country is None:
            return RowResult(UNMATCHED, good, country, reason=reason)
        listing = self.listings.get((good.good, country.iso3))
        if listing is None:
            return RowResult(NOT_LISTED, good, country)
        return RowResult(
            LISTED if self.latest in listing.editions else FORMERLY_LISTED,
            good,
            country,
            child_labour=listing.child_labour,
            forced_labour=listing.forced_labour,
            forced_child_labour=listing.forced_child_labour,
            first_edition=min(listing.editions),
            last_edition=max(listing.editions),
        )
