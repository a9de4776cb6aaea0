"""Text analysis for the search index, the same at index and at query time (pure functions).

A text becomes a list of *terms*: folded (lower case, accents removed, ligatures split),
split into words, stop words of English, French and Spanish dropped, and each word stemmed
by the Snowball stemmer of the text's language. Codes stay whole: "8.7.1" -> "871" (and its
target "87"), "SL_TLF_CHLDEC" -> "sltlfchldec", "C029" -> "c029". Terms hold only [a-z0-9],
so they pass through SQLite FTS5's and PostgreSQL's tokenizers unchanged and can never form
query syntax.

A query word's language is unknown: `query_forms` gives its stem under each language, so
"enfants", "children" and "niños" each meet the documents written in their own language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

import Stemmer

LANGUAGES = ("en", "fr", "es")
_STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish"}

# Small function-word lists (articles, prepositions, conjunctions, pronouns): dropped in all
# three languages at index and at query time alike, so "travail des enfants" and
# "travail enfants" analyse the same. The last line holds what an apostrophe leaves behind:
# French elided articles and pronouns ("d'Ivoire", "l'enfant", "qu'il") and English "'s"/"'t",
# so "Côte d'Ivoire" gives "cote ivoir" and not a stray "d".
_STOPWORDS_TEXT = """
    a an and are as at be but by for from has have in into is it its of on or that the their
    this to was were which with
    au aux ce ces dans de des du elle en est et il ils la le les leur leurs ou par pour qui que
    sa se ses son sur un une
    al con del el ella ellos las lo los o para por se su sus un una uno y
    c d j l m n qu s t
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# Words typed as operators; never terms.
OPERATORS = frozenset({"and", "or", "not", "near"})

_FOLD_EXTRA = str.maketrans({"ß": "ss", "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
_WORD = re.compile(r"[a-z0-9]+(?:[._][a-z0-9]+)*")
_DOTTED_NUMBER = re.compile(r"^\d+(?:\.\d+)+$")

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=20_000)
def _fold_run(run: str) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", run.translate(_FOLD_EXTRA))
        if not unicodedata.combining(ch)
    )


def _fold_match(match: re.Match[str]) -> str:
    return _fold_run(match.group())


def fold(text: str) -> str:
    """Lower case, without accents: "Côte d'Ivoire" -> "cote d'ivoire"."""
    # Lower case needs the whole text (a final sigma depends on the letters before it).
    # The rest is the identity on ASCII and works character by character, or within a run of
    # combining marks that ASCII letters end, so only the non-ASCII runs are folded, each
    # once per process: the same result as folding the whole text, several times faster.
    text = text.lower()
    if text.isascii():
        return text
    return _NON_ASCII.sub(_fold_match, text)


def words(text: str) -> list[str]:
    """Folded words and codes, in order ("8.7.1" and "sl_tlf_chldec" stay one word)."""
    return _WORD.findall(fold(text.replace("\x00", " ")))


def code_forms(word: str) -> list[str]:
    """The terms of one word: itself without separators; a dotted number adds its parent
    ("8.7.1" -> ["871", "87"]) so a target finds its indicators."""
    joined = word.replace(".", "").replace("_", "")
    if _DOTTED_NUMBER.match(word) and word.count(".") >= 2:
        return [joined, word.rsplit(".", 1)[0].replace(".", "")]
    return [joined]


@lru_cache(maxsize=3)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(_STEMMER_NAMES[lang])
    stemmer.maxCacheSize = 50_000
    return stemmer


def stem(word: str, lang: str) -> str:
    """Snowball stem of a folded word; codes and numbers are kept as they are."""
    if lang not in _STEMMER_NAMES or not word.isalpha():
        return word
    return _stemmer(lang).stemWord(word)


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


def _word_terms(word: str, lang: str) -> tuple[str, ...]:
    """The terms of one folded word in `lang` (a known language): none for a stop word."""
    if word in STOPWORDS:
        return ()
    if "." in word or "_" in word:
        return tuple(code_forms(word))
    return (stem(word, lang),)


# Each language's folded word -> its terms: a corpus repeats the same few thousand words.
_TERMS: dict[str, dict[str, tuple[str, ...]]] = {lang: {} for lang in _STEMMER_NAMES}
_TERMS_MAX = 500_000  # words per language kept (emptied when full)


def analyse(text: str, lang: str = "en") -> list[str]:
    """Terms of a text written in `lang` (English when unknown), in order."""
    lang = lang if lang in _STEMMER_NAMES else "en"
    known = _TERMS[lang]
    found = words(text)
    missing = set(found).difference(known)
    if missing:
        if len(known) + len(missing) > _TERMS_MAX:
            known.clear()
        for word in missing:
            known[word] = _word_terms(word, lang)
    try:
        return list(chain.from_iterable(map(known.__getitem__, found)))
    except KeyError:  # another thread emptied the cache meanwhile
        return [term for word in found for term in _word_terms(word, lang)]


def query_forms(word: str) -> list[str]:
    """The terms a folded query word may match: its stem in each language, deduplicated."""
    if "." in word or "_" in word:
        return code_forms(word)[:1]
    forms: list[str] = []
    for lang in LANGUAGES:
        form = stem(word, lang)
        if form not in forms:
            forms.append(form)
    return forms
