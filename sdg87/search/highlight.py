"""Highlighted titles and snippets for search results (pure functions).

A word is marked when one of its analysed terms (its Snowball stem under the text's language,
or the joined form of a code: "8.7.1" -> "871", "87") is among the query's terms, with the
same analysis the index uses (`analysis.words`, `analysis.stem`, `analysis.code_forms`), so
what is marked is what matched. The original spelling is kept: "Côte" is marked for "cot".

Every character of the text is HTML-escaped; the only markup produced is balanced
`<mark>…</mark>` pairs around whole words, so the result is safe to render as it is.
Both functions are linear in the length of the text (each distinct word is analysed once).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator
from functools import lru_cache

from django.utils.safestring import SafeString

from sdg87.search.analysis import LANGUAGES, STOPWORDS, code_forms, stem, words

ELLIPSIS = "…"
MIN_SNIPPET_CHARS = 10

# A word in the original text: letters and digits with their combining accents (so a
# decomposed "Côte" stays one word), codes joined by "." or "_" ("8.7.1", "SL_TLF_CHLDEC"),
# as `analysis.words` sees them after folding.
_LETTER = r"(?:[^\W_]|[\u0300-\u036f])"
_TOKEN = re.compile(rf"{_LETTER}+(?:[._]{_LETTER}+)*")
# The same words in a text without combining accents (most texts): a simpler, faster pattern.
_COMBINING = re.compile(r"[\u0300-\u036f]")
_PLAIN_TOKEN = re.compile(r"[^\W_]+(?:[._][^\W_]+)*")
# A word of _TOKEN is a whole word of the text where it neither follows a letter (or a letter
# and "." / "_") nor comes before one (or "." / "_" and one).
_ENDS = rf"(?!{_LETTER})(?![._]{_LETTER})"
_SPACES = re.compile(r"\s+")


def highlight(text: str, terms: Collection[str], lang: str = "en") -> SafeString:
    """The whole text, escaped, with each word whose term is in `terms` in `<mark>`."""
    return SafeString("".join(_render(_clean(text), _as_set(terms), _lang(lang))))


def snippet(
    text: str, terms: Collection[str], lang: str = "en", *, max_chars: int = 240
) -> SafeString:
    """About `max_chars` characters of the text around its most matched words, escaped, marked.

    Runs of white space become one space. The window holding the most matched words is
    chosen, centred on them and cut at spaces (whole words), with "…" at each cut end; the
    visible text, ellipses included, is never longer than `max_chars`. With no match, the
    text's beginning. `max_chars` below `MIN_SNIPPET_CHARS` counts as that minimum.
    """
    max_chars = max(max_chars, MIN_SNIPPET_CHARS)
    text = _SPACES.sub(" ", _clean(text)).strip()
    if len(text) <= max_chars:
        return highlight(text, terms, lang)
    term_set, lang = _as_set(terms), _lang(lang)
    matches = _marked(text, term_set, lang)
    if matches:
        start, end = _best_window(text, matches, max_chars - 2 * len(ELLIPSIS))
    else:
        start, end = 0, _cut_before(text, max_chars - len(ELLIPSIS), 0)
    parts = [ELLIPSIS] if start > 0 else []
    # a window between spaces holds whole words: its marked words are the text's (found
    # above); otherwise (a word cut, or one beginning after punctuation) its own
    if (start == 0 or text[start - 1] == " ") and (end >= len(text) or text[end] == " "):
        inside = [(a - start, b - start) for a, b in matches if start <= a and b <= end]
        parts.extend(_spans(text[start:end], inside))
    else:
        parts.extend(_render(text[start:end], term_set, lang))
    if end < len(text):
        parts.append(ELLIPSIS)
    return SafeString("".join(parts))


# A result's title and snippet are a pure function of its texts, the query's terms and the
# language: the best documents of frequent queries come back from search to search, and are
# highlighted once per process. Keyed by the texts themselves, so a changed document (a new
# heading or summary) is never served its old highlights. A key and its value hold a heading
# and a summary twice (summaries are short): about 2 KB each, 8 MB at most.
@lru_cache(maxsize=4096)
def hit_texts(
    heading: str, summary: str, terms: frozenset[str], lang: str
) -> tuple[SafeString, SafeString]:
    """A hit's highlighted title and snippet (the snippet empty without a summary)."""
    return (
        highlight(heading, terms, lang),
        snippet(summary, terms, lang) if summary else snippet("", terms),
    )


def _marked(text: str, terms: frozenset[str], lang: str) -> list[tuple[int, int]]:
    """(start, end) of each marked word, in order. The distinct words are found first (in C),
    sorted into marked or not with what earlier texts taught (`_Marking`, set operations in
    C), the new ones analysed; then each marked word's places are found (in C)."""
    if not terms:
        return []
    token = _TOKEN if _COMBINING.search(text) else _PLAIN_TOKEN
    marked = _marking(terms, lang).marked(set(token.findall(text)))
    if not marked:
        return []
    if len(marked) == 1:
        return [m.span() for m in _word(next(iter(marked))).finditer(text)]
    return sorted(m.span() for word in marked for m in _word(word).finditer(text))


class _Marking:
    """The words of texts already seen that are marked (`yes`) or not (`no`) for one set of
    terms in one language: a search highlights a few dozen texts with the same terms, and
    their words repeat. At most `BOUND` words each (then emptied)."""

    BOUND = 10_000

    def __init__(self, terms: frozenset[str], lang: str) -> None:
        self.terms, self.lang = terms, lang
        self.yes: set[str] = set()
        self.no: set[str] = set()

    def marked(self, words: set[str]) -> set[str]:
        new = words - self.yes - self.no
        if new:
            if len(self.yes) + len(self.no) + len(new) > self.BOUND:
                self.yes, self.no = set(), set()
            disjoint, lang = self.terms.isdisjoint, self.lang
            for word in new:
                (self.no if disjoint(_forms(word, lang)) else self.yes).add(word)
        return words & self.yes


# The term sets of recent searches: 64 of at most 10,000 short words each (a few MB at most).
@lru_cache(maxsize=64)
def _marking(terms: frozenset[str], lang: str) -> _Marking:
    return _Marking(terms, lang)


@lru_cache(maxsize=4096)
def _word(word: str) -> re.Pattern[str]:
    """Where `word` (a word _TOKEN finds) is a whole word of a text, as _TOKEN finds them."""
    # the word first, so the pattern is looked for as a string (in C); then what precedes it
    literal = re.escape(word)
    return re.compile(f"{literal}(?<!{_LETTER}{literal})(?<!{_LETTER}[._]{literal}){_ENDS}")


# The same words come back in every result's text: each one's forms are kept per process
# (bounded; a form is a short string).
@lru_cache(maxsize=50_000)
def _forms(token: str, lang: str) -> frozenset[str]:
    """Every term a word of the text may match: its stems (stop words none), a code's forms."""
    found: set[str] = set()
    for word in words(token):
        if word in STOPWORDS:
            continue
        if "." in word or "_" in word:
            found.update(code_forms(word))
        else:
            found.add(stem(word, lang))
    return frozenset(found)


def _render(text: str, terms: frozenset[str], lang: str) -> Iterator[str]:
    return _spans(text, _marked(text, terms, lang))


def _spans(text: str, marked: list[tuple[int, int]]) -> Iterator[str]:
    pos = 0
    for start, end in marked:
        yield html.escape(text[pos:start])
        yield "<mark>" + html.escape(text[start:end]) + "</mark>"
        pos = end
    yield html.escape(text[pos:])


def _best_window(text: str, matches: list[tuple[int, int]], budget: int) -> tuple[int, int]:
    """[start, end) of at most `budget` characters holding the most matches (the first such
    run of matches), widened evenly around them and cut at spaces."""
    best_i = best_j = 0
    i = 0
    for j in range(len(matches)):
        while matches[j][1] - matches[i][0] > budget and i < j:
            i += 1
        if j - i > best_j - best_i:
            best_i, best_j = i, j
    first, last = matches[best_i][0], matches[best_j][1]
    if last - first > budget:  # one word longer than the budget: cut it
        return first, first + budget
    slack = budget - (last - first)
    start = max(0, first - slack // 2)
    end = min(len(text), start + budget)
    start = max(0, end - budget)
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    end = _cut_before(text, end, last)
    while start < first and text[start] == " ":
        start += 1
    return start, end


def _cut_before(text: str, end: int, floor: int) -> int:
    """`end` moved back to the last space at or before it (not before `floor`), spaces
    trimmed; when the word at `end` starts before `floor`, `floor`, or `end` itself when
    `floor` is 0 (a single word longer than the window is cut)."""
    if end >= len(text):
        return len(text)
    if text[end] != " ":
        space = text.rfind(" ", floor, end + 1)
        if space == -1:
            return floor if floor > 0 else end
        end = space
    while end > floor and text[end - 1] == " ":
        end -= 1
    return end


def _clean(text: str) -> str:
    # NUL is not allowed in HTML (browsers show U+FFFD); `analysis.words` reads it as a space.
    return text.replace("\x00", " ")


def _as_set(terms: Collection[str]) -> frozenset[str]:
    return terms if isinstance(terms, frozenset) else frozenset(terms)


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"
