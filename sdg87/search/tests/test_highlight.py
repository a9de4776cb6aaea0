"""Highlighted titles and snippets: whole words marked by the index's own analysis, everything
escaped, balanced tags, bounded snippets, linear time."""

from __future__ import annotations

import html
import re
import time
from html.parser import HTMLParser

from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdg87.search.analysis import analyse
from sdg87.search.highlight import highlight, snippet

# --- highlight -------------------------------------------------------------------------


def test_marks_the_word_whose_stem_is_a_term_and_keeps_its_spelling():
    """'enfants' is marked for the French stem 'enfant'; other words are left as they are."""
    out = highlight("Le travail des enfants", {"enfant"}, "fr")
    assert out == "Le travail des <mark>enfants</mark>"
    assert isinstance(out, SafeString)


def test_keeps_accents_of_the_original_including_decomposed_ones():
    """'Côte' (composed or decomposed) is marked for the term 'cot' and shown with its accent."""
    assert highlight("Côte d'Ivoire", {"cot"}, "fr") == "<mark>Côte</mark> d&#x27;Ivoire"
    assert highlight("Co\u0302te", {"cot"}, "fr") == "<mark>Co\u0302te</mark>"


def test_stems_under_the_given_language():
    """English stems for an English text: 'labourers' -> 'labour'; 'childhood' is another
    word than 'child'."""
    out = highlight("Child labourers in childhood", {"child", "labour"}, "en")
    assert out == "<mark>Child</mark> <mark>labourers</mark> in childhood"


def test_unknown_language_is_analysed_as_english():
    """Like analysis.analyse, a language without a stemmer falls back to English."""
    assert highlight("labourers", {"labour"}, "de") == "<mark>labourers</mark>"


def test_codes_are_marked_by_their_joined_form_and_a_target_marks_its_indicators():
    """'871' marks the indicator code; '87' (a target) marks the target and its indicators."""
    text = "Indicator 8.7.1 under target 8.7, series SL_TLF_CHLDEC"
    assert (
        highlight(text, {"871"})
        == "Indicator <mark>8.7.1</mark> under target 8.7, series SL_TLF_CHLDEC"
    )
    assert highlight(text, {"87", "sltlfchldec"}) == (
        "Indicator <mark>8.7.1</mark> under target <mark>8.7</mark>, "
        "series <mark>SL_TLF_CHLDEC</mark>"
    )


def test_stop_words_are_never_marked():
    """The index drops stop words, so a stop word in the terms matches nothing."""
    assert highlight("travail des enfants", {"des"}, "fr") == "travail des enfants"


def test_script_and_entities_are_escaped():
    """User text is escaped, even inside a marked word's neighbourhood; no tag but <mark>."""
    out = highlight("<script>alert('enfants')</script> &amp; enfants", {"enfant"}, "fr")
    assert out == (
        "&lt;script&gt;alert(&#x27;<mark>enfants</mark>&#x27;)&lt;/script&gt; "
        "&amp;amp; <mark>enfants</mark>"
    )


def test_empty_text_and_no_terms():
    assert highlight("", {"enfant"}) == ""
    assert highlight("a < b & c", set()) == "a &lt; b &amp; c"


def test_nul_becomes_a_space():
    """NUL is not allowed in HTML; like analysis.words, it separates words."""
    assert (
        highlight("child\x00labour", {"child", "labour"})
        == "<mark>child</mark> <mark>labour</mark>"
    )


def test_a_long_text_is_highlighted_in_linear_time():
    """100,000 characters (about 14,000 words, 5,000 of them distinct) in well under a second."""
    vocabulary = [f"word{n}x" for n in range(5000)]
    text = " ".join(vocabulary[(n * 7919) % 5000] for n in range(14_000))[:100_000]
    terms = {f"word{n}x" for n in range(0, 5000, 50)}
    started = time.perf_counter()
    out = highlight(text, terms)
    elapsed = time.perf_counter() - started
    assert out.count("<mark>") > 100
    assert elapsed < 1.0


# --- snippet ---------------------------------------------------------------------------


def _visible(out: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", out))


FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "


def test_a_short_text_is_the_snippet_whole():
    assert (
        snippet("Le travail des enfants", {"enfant"}, "fr") == "Le travail des <mark>enfants</mark>"
    )


def test_the_window_with_the_most_matches_is_chosen():
    """One match early, three together later: the snippet shows the three, cut at both ends."""
    text = "child " + FILLER * 10 + "Child labour and cocoa. " + FILLER * 10
    out = snippet(text, {"child", "labour", "cocoa"}, max_chars=120)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>Child</mark> <mark>labour</mark> and <mark>cocoa</mark>." in out
    assert out.count("<mark>") == 3
    assert len(_visible(out)) <= 120


def test_the_window_is_cut_at_spaces_into_whole_words():
    text = FILLER * 10 + "forced labour " + FILLER * 10
    out = snippet(text, {"forc", "labour"}, max_chars=80)
    inner = _visible(out).strip("…")
    assert inner in text
    start = text.index(inner)
    assert text[start - 1] == " "
    assert text[start + len(inner)] in " ,."
    assert len(_visible(out)) <= 80
    # the matches sit near the middle, not at an edge
    middle = _visible(out).index("forced")
    assert 20 < middle < 60


def test_without_a_match_the_beginning_cut_at_a_word():
    """49 characters and the ellipsis fit in 50; '... consectetur adipiscing' is 50, so the
    cut falls before 'adipiscing'."""
    out = snippet(FILLER * 10, {"enfant"}, max_chars=50)
    assert out == "Lorem ipsum dolor sit amet, consectetur…"
    assert (
        snippet(FILLER * 10, {"enfant"}, max_chars=51)
        == "Lorem ipsum dolor sit amet, consectetur adipiscing…"
    )


def test_white_space_is_collapsed():
    assert (
        snippet("travail\n\n  des\tenfants  ", {"enfant"}, "fr")
        == "travail des <mark>enfants</mark>"
    )


def test_a_word_longer_than_the_window_is_cut():
    out = snippet("x" * 1000, {"y"}, max_chars=50)
    assert out == "x" * 49 + "…"


def test_empty_text_gives_an_empty_snippet():
    assert snippet("", {"enfant"}) == ""
    assert snippet(" \x00 ", {"enfant"}) == ""


def test_a_long_text_snippet_in_linear_time():
    text = (FILLER * 2000)[:100_000] + " child labour"
    started = time.perf_counter()
    out = snippet(text, {"child", "labour"})
    assert time.perf_counter() - started < 1.0
    assert out.endswith("<mark>child</mark> <mark>labour</mark>")


# --- properties: any text, any terms ---------------------------------------------------


class _Checker(HTMLParser):
    """Collects the text and checks that the only markup is un-nested, balanced <mark>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.data: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "mark" or attrs or self.depth:
            self.problems.append(f"start {tag} {attrs} at depth {self.depth}")
        self.depth += 1

    def handle_endtag(self, tag):
        if tag != "mark" or self.depth != 1:
            self.problems.append(f"end {tag} at depth {self.depth}")
        self.depth -= 1

    def handle_startendtag(self, tag, attrs):
        self.problems.append(f"self-closing {tag}")

    def handle_data(self, data):
        self.data.append(data)

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data}")

    def handle_comment(self, data):
        self.problems.append(f"comment {data}")

    def handle_decl(self, decl):
        self.problems.append(f"doctype {decl}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data}")


def _check(out: str) -> str:
    checker = _Checker()
    checker.feed(out)
    checker.close()
    assert checker.problems == []
    assert checker.depth == 0
    return "".join(checker.data)


_PIECES = [
    *"<>&\"'/!-=;#\x00 \n\t.éôñ_",
    "<mark>",
    "</mark>",
    "<script>",
    "&amp;",
    "<!--",
    "<![CDATA[",
]
_WORDS = [
    "child ",
    "labour",
    "enfants ",
    "Côte",
    "Co\u0302te ",
    "8.7.1",
    "SL_TLF",
    "mark ",
    "script",
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_PIECES + _WORDS), st.characters(codec="utf-8")),
    max_size=200,
).map("".join)
_TERMS = st.lists(
    st.sampled_from(["child", "labour", "enfant", "cot", "871", "87", "mark", "script", "amp"])
)


@settings(max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, _TERMS, st.sampled_from(["en", "fr", "es", "xx"]))
def test_highlight_of_any_text_is_the_text_escaped_with_balanced_marks(text, terms, lang):
    out = highlight(text, set(terms), lang)
    assert _check(out) == text.replace("\x00", " ")


@settings(max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, _TERMS, st.sampled_from(["en", "fr", "es"]), st.integers(min_value=10, max_value=300))
def test_snippet_of_any_text_is_bounded_escaped_and_balanced(text, terms, lang, max_chars):
    out = snippet(text, set(terms), lang, max_chars=max_chars)
    visible = _check(out)
    assert len(visible) <= max_chars
    collapsed = " ".join(text.replace("\x00", " ").split())
    assert visible.strip("…") in collapsed


@settings(max_examples=200, database=None)
@given(
    st.lists(st.sampled_from([*"abcéô .,'_", "enfants ", "travail ", "8.7.1"]), max_size=80).map(
        "".join
    )
)
def test_every_word_whose_term_is_searched_is_marked(text):
    """With the text's own terms as the query, no word that has a term stays unmarked."""
    out = highlight(text, set(analyse(text, "fr")), "fr")
    unmarked = re.sub(r"<mark>.*?</mark>", " ", out)
    assert analyse(html.unescape(unmarked), "fr") == []
