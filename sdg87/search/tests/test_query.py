"""The search box parser: clauses, phrases, exclusions, OR, and bad input reduced to words."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sdg87.search.analysis import STOPWORDS
from sdg87.search.query import AnyOf, Excluded, ParsedQuery, Phrase, Word, parse_query

TERM = re.compile(r"^[a-z0-9]+$")
WORD = re.compile(r"^[a-z0-9]+(?:[._][a-z0-9]+)*$")


def test_words_are_folded_required_words():
    parsed = parse_query("Child Labour Côte")
    assert parsed.clauses == (Word("child"), Word("labour"), Word("cote"))
    assert not parsed.is_empty
    assert not parsed.truncated
    assert parsed.display == "Child Labour Côte"


def test_quoted_words_are_a_phrase_and_a_minus_excludes():
    parsed = parse_query('"forced labour" cocoa -coffee -"sugar cane"')
    assert parsed.clauses == (
        Phrase(("forced", "labour")),
        Word("cocoa"),
        Excluded(("coffee",)),
        Excluded(("sugar", "cane")),
    )
    assert parsed.words == ["forced", "labour", "cocoa"]
    assert parsed.excluded == [("coffee",), ("sugar", "cane")]
    assert parsed.display == '"forced labour" cocoa -coffee -"sugar cane"'


def test_typographic_quotes_make_phrases_too():
    parsed = parse_query("“child labour” «travail des enfants»")
    assert parsed.clauses == (Phrase(("child", "labour")), Phrase(("travail", "enfants")))


def test_a_one_word_phrase_is_a_word():
    assert parse_query('"cocoa"').clauses == (Word("cocoa"),)


def test_an_unbalanced_quote_is_ignored():
    assert parse_query('"child labour').clauses == (Word("child"), Word("labour"))
    assert parse_query('child labour"').clauses == (Word("child"), Word("labour"))


def test_upper_case_or_between_two_pieces_is_an_alternative():
    assert parse_query("cocoa OR coffee").clauses == (AnyOf((Word("cocoa"), Word("coffee"))),)
    parsed = parse_query('cocoa OR coffee OR "sugar cane" Ghana')
    assert parsed.clauses == (
        AnyOf((Word("cocoa"), Word("coffee"), Phrase(("sugar", "cane")))),
        Word("ghana"),
    )
    assert parsed.display == 'cocoa OR coffee OR "sugar cane" Ghana'
    assert parsed.words == ["cocoa", "coffee", "sugar", "cane", "ghana"]


def test_an_or_without_a_partner_is_dropped():
    assert parse_query("OR cocoa").clauses == (Word("cocoa"),)
    assert parse_query("cocoa OR").clauses == (Word("cocoa"),)
    assert parse_query("cocoa OR -coffee").clauses == (Word("cocoa"), Excluded(("coffee",)))
    assert parse_query("cocoa OR cocoa").clauses == (Word("cocoa"),)


def test_lower_case_or_and_and_are_stop_words():
    assert parse_query("cocoa or coffee and tea").clauses == (
        Word("cocoa"),
        Word("coffee"),
        Word("tea"),
    )


def test_stop_words_are_not_clauses_but_stay_in_the_display():
    """The index has no stop words, so a clause for one could never match."""
    parsed = parse_query("travail des enfants")
    assert parsed.clauses == (Word("travail"), Word("enfants"))
    assert parsed.display == "travail des enfants"
    assert parse_query("the of").is_empty


def test_operator_only_input_is_empty():
    for q in (
        "",
        "   ",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "*",
        "-",
        '"',
        '""',
        "--",
        "( )",
        "AND OR NOT",
    ):
        parsed = parse_query(q)
        assert parsed.clauses == (), q
        assert parsed.is_empty, q
        assert parsed.display == "", q


def test_only_exclusions_is_empty():
    parsed = parse_query("-cocoa")
    assert parsed.clauses == (Excluded(("cocoa",)),)
    assert parsed.is_empty


def test_fts5_and_sql_syntax_becomes_plain_words():
    assert parse_query('" OR 1=1 --').clauses == (Word("1"), Word("1"))
    assert parse_query("NEAR(child labour, 5)").clauses == (
        Word("child"),
        Word("labour"),
        Word("5"),
    )
    assert parse_query("NEAR/3 child").clauses == (Word("child"),)
    assert parse_query("title:").clauses == (Word("title"),)
    assert parse_query("title:cocoa").clauses == (Word("title"), Word("cocoa"))
    assert parse_query("child*").clauses == (Word("child"),)
    assert parse_query("cocoa NOT ghana").clauses == (Word("cocoa"), Word("ghana"))
    assert parse_query("'; DROP TABLE x;").clauses == (Word("drop"), Word("table"), Word("x"))


def test_nul_and_control_characters_separate_words():
    assert parse_query("child\x00labour").clauses == (Word("child"), Word("labour"))
    parsed = parse_query("child\tlabour\x1b[0m\u200b")
    assert parsed.clauses == (Word("child"), Word("labour"), Word("0m"))
    assert "\x00" not in parse_query("a\x00b c").display


def test_codes_stay_whole():
    parsed = parse_query("SDG 8.7.1 SL_TLF_CHLDEC")
    assert parsed.clauses == (Word("sdg"), Word("8.7.1"), Word("sl_tlf_chldec"))
    assert parsed.terms == ["sdg", "871", "sltlfchldec"]


def test_terms_hold_each_language_stem():
    assert "enfant" in parse_query("enfants").terms


def test_long_input_is_cut_at_a_space_and_says_so():
    """500 characters of "cocoa ": 83 whole words (498 characters), the cut word is left out."""
    parsed = parse_query("cocoa " * 200, max_words=1000)
    assert parsed.truncated
    assert len(parsed.clauses) == 83
    assert len(parsed.display) <= 500


def test_too_many_words_are_cut_and_say_so():
    parsed = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert parsed.truncated
    assert len(parsed.clauses) == 32
    assert parsed.clauses[-1] == Word("w31")
    exactly = parse_query(" ".join(f"w{i}" for i in range(32)))
    assert not exactly.truncated
    assert len(exactly.clauses) == 32


def test_a_long_phrase_is_cut_to_the_word_budget():
    parsed = parse_query('"a1 a2 a3 a4"', max_words=3)
    assert parsed.clauses == (Phrase(("a1", "a2", "a3")),)
    assert parsed.truncated


def test_five_thousand_characters_and_odd_objects_do_not_fail():
    assert parse_query("x" * 5000).truncated
    assert parse_query(None).is_empty
    assert parse_query(b"caf\xc3\xa9").clauses == (Word("cafe"),)
    assert parse_query("\ud800 cocoa").clauses == (Word("cocoa"),)
    assert parse_query("\uff21\uff2e\uff24 cocoa")  # full-width AND.clauses == (Word("cocoa"),)


def test_non_latin_text_has_no_words():
    assert parse_query("童工 детский труд").is_empty


FRAGMENTS = st.sampled_from(
    [
        '"',
        "-",
        "*",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "NEAR/2",
        "title:",
        "(",
        ")",
        "--",
        "1=1",
        " ",
        "\x00",
        "\n",
        "cocoa",
        "8.7.1",
        "SL_TLF_CHLDEC",
        "é",
        "d'",
        "“",
        "»",
        "the",
        "\u200b",
        "\ud800",
        "^",
        "{",
        ":",
        ";",
        "'",
    ]
)


def _check(parsed: ParsedQuery, max_words: int = 32) -> None:
    assert isinstance(parsed, ParsedQuery)
    for term in parsed.terms:
        assert TERM.match(term), term
    count = 0
    for clause in parsed.clauses:
        if isinstance(clause, AnyOf):
            assert len(clause.options) >= 2
            words = [
                w for o in clause.options for w in ([o.word] if isinstance(o, Word) else o.words)
            ]
        elif isinstance(clause, Word):
            words = [clause.word]
        else:
            words = list(clause.words)
        for word in words:
            assert WORD.match(word), word
            assert word not in STOPWORDS
        count += len(words)
    assert count <= max_words
    assert not any(ord(char) < 32 for char in parsed.display)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_parses_to_plain_terms(text):
    """Random text never raises and only gives [a-z0-9]+ terms."""
    _check(parse_query(text))


@settings(max_examples=500, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join), st.integers(min_value=-5, max_value=60))
def test_syntax_fragments_parse_to_plain_terms(text, max_words):
    """Operators, quotes and brackets in any order and any budget never raise."""
    parsed = parse_query(text, max_words=max_words)
    _check(parsed, max(max_words, 0))
