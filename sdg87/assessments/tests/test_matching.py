"""Country name matching (pure): exact names, aliases, skips and unknown names."""

from __future__ import annotations

import pytest

from sdg87.assessments import parsers
from sdg87.core.ingest import ParseError

COUNTRIES = [
    (
        "CIV",
        [
            "Côte d\u2019Ivoire",
            "Côte d\u2019Ivoire",
            "Côte d\u2019Ivoire",
            "the Republic of Côte d'Ivoire",
        ],
    ),
    ("MMR", ["Myanmar", "Myanmar", "Myanmar", "the Republic of the Union of Myanmar"]),
    ("KGZ", ["Kyrgyzstan", "Kirghizistan", "Kirguistán", "the Kyrgyz Republic"]),
    ("BIH", ["Bosnia and Herzegovina", "Bosnie-Herzégovine", "Bosnia y Herzegovina", ""]),
    ("TUR", ["Türkiye", "Turquie", "Türkiye", "the Republic of Türkiye"]),
    ("XKX", ["Kosovo", "Kosovo", "Kosovo", ""]),
]


def test_exact_names_ignore_case_accents_and_apostrophes() -> None:
    """DOL's straight apostrophe matches the curly one; case and accents do not matter."""
    matcher = parsers.CountryMatcher(COUNTRIES, aliases={})
    assert matcher.match("Côte d'Ivoire", row=2, column="country") == "CIV"
    assert matcher.match("COTE D'IVOIRE", row=2, column="country") == "CIV"
    assert matcher.match("bosnia & herzegovina", row=2, column="country") == "BIH"


def test_official_and_translated_names_match() -> None:
    """Official names and names in French or Spanish are names too."""
    matcher = parsers.CountryMatcher(COUNTRIES, aliases={})
    assert matcher.match("The Kyrgyz Republic", row=2, column="country") == "KGZ"
    assert matcher.match("Kirghizistan", row=2, column="country") == "KGZ"


def test_aliases_are_used_and_counted() -> None:
    """Names that differ from the geography's names match through the alias table."""
    matcher = parsers.CountryMatcher(COUNTRIES)
    assert matcher.match("Burma", row=2, column="country") == "MMR"
    assert matcher.match("Turkey (Türkiye)", row=3, column="country") == "TUR"
    assert matcher.match("Burma", row=4, column="country") == "MMR"
    assert matcher.aliases_used == {"Burma": 2, "Turkey (Türkiye)": 1}


def test_unknown_name_is_a_parse_error_with_row_and_column() -> None:
    """A name that is neither a name nor an alias names the row and column."""
    matcher = parsers.CountryMatcher(COUNTRIES)
    with pytest.raises(ParseError) as err:
        matcher.match("Atlantis", row=17, column="derived_country")
    assert (err.value.row, err.value.column) == (17, "derived_country")
    assert "Atlantis" in err.value.message


def test_skip_table_accounts_for_a_name() -> None:
    """A name in the skip table gives None and is counted, not an error."""
    matcher = parsers.CountryMatcher(COUNTRIES, skips={"Atlantis": "not a real country"})
    assert matcher.match("Atlantis", row=2, column="country") is None
    assert matcher.skipped == {"Atlantis": 1}


def test_alias_to_a_country_that_is_not_loaded() -> None:
    """An alias whose target is not a bundled country is an error, not a silent miss."""
    matcher = parsers.CountryMatcher(COUNTRIES, aliases={"Ruritania": "RUR"})
    with pytest.raises(ParseError) as err:
        matcher.match("Ruritania", row=9, column="country")
    assert err.value.row == 9


def test_ambiguous_names_need_an_alias() -> None:
    """A name shared by two geographies does not match by itself."""
    matcher = parsers.CountryMatcher([("AAA", ["Congo"]), ("BBB", ["Congo"])], aliases={})
    with pytest.raises(ParseError):
        matcher.match("Congo", row=2, column="country")


def test_alias_table_keys_are_unique_after_normalisation() -> None:
    """No two alias spellings normalise alike (the later one would be dead)."""
    keys = [parsers.normalise_name(name) for name in parsers.NAME_ALIASES]
    assert len(keys) == len(set(keys))


def test_accented_spelling_matches_the_plain_alias() -> None:
    """DOL spells Saint Helena with and without accents; one alias covers both."""
    matcher = parsers.CountryMatcher([("SHN", ["Saint Helena"])])
    for name in (
        "Saint Helena, Ascension, and Tristan da Cunha",
        "Saint Helena, Ascensi\u00f3n, and Trist\u00e1n da Cunha",
    ):
        assert matcher.match(name, row=2, column="country") == "SHN"
