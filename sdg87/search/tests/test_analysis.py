"""Text analysis: folding, words and codes, stop words (elided articles too), stems."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from sdg87.search.analysis import (
    _FOLD_EXTRA,
    _STEMMER_NAMES,
    STOPWORDS,
    analyse,
    code_forms,
    fold,
    query_forms,
    stem,
    words,
)

TERM = re.compile(r"^[a-z0-9]+$")


def test_fold_lowers_and_removes_accents_and_ligatures():
    """Accents go, case goes, ligatures and ß are spelled out."""
    assert fold("Côte d'Ivoire") == "cote d'ivoire"
    assert fold("ŒUVRE") == "oeuvre"
    assert fold("Straße") == "strasse"
    assert fold("Niños AÑO") == "ninos ano"


def test_words_keep_codes_whole_and_split_on_everything_else():
    """Dotted numbers and underscore codes are one word; NUL and punctuation separate."""
    assert words("SDG 8.7.1, SL_TLF_CHLDEC and C029.") == [
        "sdg",
        "8.7.1",
        "sl_tlf_chldec",
        "and",
        "c029",
    ]
    assert words("child\x00labour") == ["child", "labour"]
    assert words("state-imposed") == ["state", "imposed"]


def test_code_forms_give_the_code_and_its_target():
    """An indicator code also gives its target; a target or a series gives itself."""
    assert code_forms("8.7.1") == ["871", "87"]
    assert code_forms("8.7") == ["87"]
    assert code_forms("sl_tlf_chldec") == ["sltlfchldec"]


def test_elided_articles_and_possessives_are_stop_words():
    """What an apostrophe leaves (d', l', qu', 's, n't) is not a term."""
    assert analyse("Côte d'Ivoire", "fr") == ["cot", "ivoir"]
    assert analyse("Côte d'Ivoire", "en") == ["cote", "ivoir"]
    assert analyse("l'enfant qu'il", "fr") == ["enfant"]
    assert analyse("children's", "en") == ["children"]
    for letter in ("c", "d", "j", "l", "m", "n", "qu", "s", "t"):
        assert letter in STOPWORDS
        assert analyse(letter, "fr") == []


def test_stop_words_are_dropped_so_phrases_with_and_without_them_agree():
    """ "travail des enfants" and "travail enfants" are the same terms."""
    assert analyse("travail des enfants", "fr") == ["travail", "enfant"]
    assert analyse("travail enfants", "fr") == ["travail", "enfant"]
    assert analyse("the worst forms of child labour", "en") == ["worst", "form", "child", "labour"]


def test_codes_are_not_stemmed_and_an_indicator_brings_its_target():
    assert analyse("Target 8.7.1", "en") == ["target", "871", "87"]
    assert analyse("C182", "es") == ["c182"]
    assert stem("2024", "fr") == "2024"


def test_unknown_language_is_analysed_as_english():
    assert analyse("forced labour", "pt") == analyse("forced labour", "en") == ["forc", "labour"]


def test_query_forms_give_each_language_stem_once():
    """A query word meets documents in each language; codes give one form."""
    forms = query_forms("enfants")
    assert "enfant" in forms  # French (and English) stem
    assert len(forms) == len(set(forms))
    assert query_forms("8.7.1") == ["871"]
    assert query_forms("cocoa")[0] == "cocoa"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["en", "fr", "es", "", "xx"]))
def test_any_text_gives_only_plain_terms(text, lang):
    """Whatever the text, terms are [a-z0-9]+ and never stop words."""
    for term in analyse(text, lang):
        assert TERM.match(term)


# --- the fast paths give what the plain definitions give ----------


def _fold_by_definition(text: str) -> str:
    text = text.lower().translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _analyse_by_definition(text: str, lang: str) -> list[str]:
    lang = lang if lang in _STEMMER_NAMES else "en"
    terms: list[str] = []
    for word in re.findall(
        r"[a-z0-9]+(?:[._][a-z0-9]+)*", _fold_by_definition(text.replace("\x00", " "))
    ):
        if word in STOPWORDS:
            continue
        if "." in word or "_" in word:
            terms.extend(code_forms(word))
        else:
            terms.append(stem(word, lang))
    return terms


# Greek sigma (final form by context), modifier ae, Kelvin and Angstrom signs, marks
ACCENTED = (
    "\u03a3\u03c3\u1d46\u1d2d\u212a\u212b\u0345"
    "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÉÎÕÜßœæøłđİﬁ²Ǆ\u0301\u0327ẞ"
)


def test_fold_and_analyse_match_their_definition_on_accented_text():
    text = "Côte d'Ivoire, ÇA, Ñandú, ﬁnance, İstanbul, Œuvre ² Straße x\u0301 ΑΣ ᵆ " + ACCENTED
    assert fold(text) == _fold_by_definition(text)
    for lang in ("en", "fr", "es", "xx"):
        assert analyse(text, lang) == _analyse_by_definition(text, lang)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("abc XYZ.-_'8\x00" + ACCENTED)) | st.text(),
    st.sampled_from(["en", "fr", "es", "", "xx"]),
)
def test_fold_and_analyse_match_their_definition(text, lang):
    """The ASCII shortcut, the one-pass removal of combining marks and the cached terms of
    each word change nothing: the same output as folding character by character."""
    assert fold(text) == _fold_by_definition(text)
    assert analyse(text, lang) == _analyse_by_definition(text, lang)
    assert analyse(text, lang) == _analyse_by_definition(text, lang)  # from the cache
