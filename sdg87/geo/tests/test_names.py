"""The name-matching rule (pure, hand-checked)."""

from __future__ import annotations

import pytest

from sdg87.geo.names import fold, name_key, names_equal, names_match, words_match


def test_name_key_drops_accents_case_and_punctuation() -> None:
    """Apostrophes of any shape, hyphens, dots and brackets separate words; accents go."""
    assert name_key("Côte d\u2019Ivoire") == name_key("COTE D'IVOIRE") == "cote d ivoire"
    assert name_key("Congo - Kinshasa") == name_key("Congo-Kinshasa") == "congo kinshasa"
    assert name_key("EE. UU.") == "ee uu"
    assert name_key("Türkiye") == "turkiye"
    assert fold("Viêt Nam") == "viet nam"


@pytest.mark.parametrize(
    ("needle", "name", "expected"),
    [
        ("viet", "viet nam", True),
        ("nam", "viet nam", True),
        ("korea south", "south korea", True),  # words in any order
        ("us", "russia", False),  # a word must begin a word, not sit inside one
        ("ken", "bangladesh", False),
        ("reino unido", "reino unido de gran bretana", True),
        ("reino unidos", "reino unido de gran bretana", False),
    ],
)
def test_words_match(needle: str, name: str, expected: bool) -> None:
    """Every typed word begins some word of the name."""
    assert words_match(needle, name) is expected


def test_names_match_names_and_whole_codes() -> None:
    """A name matches word by word; a code only whole; an empty query matches everything."""
    names = ["United States of America", "États-Unis d\u2019Amérique", "US"]
    assert names_match("etats unis", names=names, codes=["USA", "US"])
    assert names_match("usa", names=names, codes=["USA", "US"])
    assert not names_match("US", names=["Australia"], codes=["AUS", "AU"])
    assert names_match("  ", names=names)


def test_names_equal_is_whole_names_only() -> None:
    """The catalogue's country filter takes a whole name: "Korea" is not "South Korea"."""
    assert names_equal("south korea", names=["South Korea"])
    assert not names_equal("korea", names=["South Korea"])
    assert names_equal("kor", names=[], codes=["KOR"])
    assert not names_equal("", names=[""])
