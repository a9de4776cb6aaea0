"""The pure matcher, on hand-made listings (no database)."""

from __future__ import annotations

import pytest

from sdg87.supplychains import matching as m
from sdg87.supplychains.goods import normalise_good

GOODS = ["Cocoa", "Cotton", "Garments", "Bricks", "Coffee", "Cobalt Ore"]
COUNTRIES = [
    m.Country(
        "CIV",
        "Côte d'Ivoire",
        ("Côte d'Ivoire", "Côte d'Ivoire", "Costa de Marfil"),
        ("Ivory Coast",),
        "CI",
    ),
    m.Country("IND", "India", ("India", "Inde", "India"), (), "IN"),
    m.Country("NER", "Niger", ("Niger", "Niger", "Níger"), (), "NE"),
    m.Country(
        "COD",
        "Democratic Republic of the Congo",
        ("Democratic Republic of the Congo",),
        ("Congo, Democratic Republic of the (DRC)", "DR Congo"),
        "CD",
    ),
]
# editions 0 (oldest) .. 2 (latest)
LISTINGS = {
    ("Cocoa", "CIV"): m.Listing("Cocoa", "CIV", (0, 1, 2), True, False, True),
    ("Bricks", "IND"): m.Listing("Bricks", "IND", (0, 1, 2), True, True, True),
    ("Cotton", "IND"): m.Listing("Cotton", "IND", (0, 1), True, False, False),
    ("Cobalt Ore", "COD"): m.Listing("Cobalt Ore", "COD", (1, 2), True, False, False),
}
SYNONYMS = {"cocoa beans": "Cocoa", "cacao": "Cocoa", "apparel": "Garments", "unknown": "Tea"}


def goods() -> m.GoodMatcher:
    return m.GoodMatcher(GOODS, synonyms=SYNONYMS, exact_key=normalise_good)


def screener() -> m.Screener:
    return m.Screener(
        goods=goods(),
        countries=m.CountryMatcher(COUNTRIES),
        listings=LISTINGS,
        latest=2,
    )


@pytest.mark.parametrize(
    ("text", "good", "rule"),
    [
        ("Cocoa", "Cocoa", m.EXACT),
        ("  cocoa ", "Cocoa", m.EXACT),
        ("COBALT  ORE", "Cobalt Ore", m.EXACT),
        ("Cocoa beans", "Cocoa", m.SYNONYM),
        ("CACAO", "Cocoa", m.SYNONYM),
        ("apparel", "Garments", m.SYNONYM),
        ("cobalt-ore", "Cobalt Ore", m.NORMALISED),
        ("Cobalt (ore)", "Cobalt Ore", m.NORMALISED),
        ("ores, cobalt", "Cobalt Ore", m.NORMALISED),
        ("Garment", "Garments", m.NORMALISED),
        ("cocoa bean", "Cocoa", m.NORMALISED),
        ("Côffee", "Coffee", m.EXACT),
        ("Cofee", "Coffee", m.FUZZY),
        ("laptops", "", ""),
        ("", "", ""),
    ],
)
def test_good_rules(text: str, good: str, rule: str) -> None:
    """Each rule in order: exact, synonym, normalised, fuzzy; nothing for an unknown good."""
    found = goods().match(text)
    assert (found.good, found.rule) == (good, rule)


def test_synonym_to_a_good_not_listed_is_ignored() -> None:
    """A synonym pointing at a good that is on no edition ("Tea") matches nothing."""
    assert goods().match("unknown").good == ""


def test_fuzzy_match_carries_its_score_and_needs_confirmation() -> None:
    """A fuzzy match is flagged for confirmation, with its score."""
    result = screener().screen("Coton", "India")
    assert result.good.rule == m.FUZZY
    assert result.good.good == "Cotton"
    assert result.good.score is not None and 88 <= result.good.score < 100
    assert result.needs_confirmation
    assert not screener().screen("Cocoa", "CIV").needs_confirmation


@pytest.mark.parametrize(
    ("text", "iso3", "rule"),
    [
        ("CIV", "CIV", m.CODE),
        ("civ", "CIV", m.CODE),
        ("CI", "CIV", m.CODE),
        ("cote d\u2019ivoire", "CIV", m.NAME),
        ("COTE D'IVOIRE", "CIV", m.NAME),
        ("Costa de Marfil", "CIV", m.NAME),
        ("Ivory Coast", "CIV", m.VARIANT),
        ("Congo, Democratic Republic of the (DRC)", "COD", m.VARIANT),
        ("Niger", "NER", m.NAME),
        ("Inde", "IND", m.NAME),
    ],
)
def test_country_rules(text: str, iso3: str, rule: str) -> None:
    """Codes, names in three languages, aliases and DOL's own names."""
    found = m.CountryMatcher(COUNTRIES).match(text)
    assert found is not None
    assert (found.iso3, found.rule) == (iso3, rule)


@pytest.mark.parametrize("text", ["Nigeria", "Ivory", "XXX", "", "Congo"])
def test_countries_are_never_guessed(text: str) -> None:
    """No fuzzy or partial country matches: "Nigeria" is not Niger, "Congo" is not the DRC."""
    assert m.CountryMatcher(COUNTRIES).match(text) is None


def test_listed_in_latest_edition() -> None:
    """Cocoa from Côte d'Ivoire: listed now, child labour and forced child labour."""
    result = screener().screen("cocoa beans", "Ivory Coast")
    assert result.status == m.LISTED
    assert (result.child_labour, result.forced_labour, result.forced_child_labour) == (
        True,
        False,
        True,
    )
    assert (result.first_edition, result.last_edition) == (0, 2)


def test_formerly_listed() -> None:
    """Cotton from India was on editions 0 and 1 only: formerly listed, with its last flags."""
    result = screener().screen("Cotton", "India")
    assert result.status == m.FORMERLY_LISTED
    assert result.child_labour and not result.forced_labour
    assert result.last_edition == 1


def test_not_listed_pair() -> None:
    """A known good from a known country without a listing: not listed, no flags."""
    result = screener().screen("Cocoa", "India")
    assert result.status == m.NOT_LISTED
    assert not (result.child_labour or result.forced_labour or result.forced_child_labour)


@pytest.mark.parametrize(
    ("good", "country", "reason"),
    [
        ("", "India", m.NO_GOOD),
        ("laptops", "India", m.GOOD_UNKNOWN),
        ("Cocoa", "", m.NO_COUNTRY),
        ("Cocoa", "Atlantis", m.COUNTRY_UNKNOWN),
    ],
)
def test_unmatched_reasons(good: str, country: str, reason: str) -> None:
    """Unmatched rows say why."""
    result = screener().screen(good, country)
    assert (result.status, result.reason) == (m.UNMATCHED, reason)


def test_each_distinct_pair_is_matched_once() -> None:
    """Repeated pairs come from the cache: 3 distinct pairs in 3,000 rows."""
    s = screener()
    for _ in range(1000):
        s.screen("Cocoa", "CIV")
        s.screen("Bricks", "India")
        s.screen("laptops", "India")
    assert s.distinct_pairs == 3
