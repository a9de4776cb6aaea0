"""What a person typed into the search box, reduced to clauses the index can answer (pure).

The grammar is small on purpose; anything else is plain text:

- words are all required (AND);
- ``"forced labour"``: the words in this order (a phrase);
- ``-cocoa`` or ``-"forced labour"``: leave out results that contain it;
- ``cocoa OR coffee`` (upper-case OR between two words or phrases): either of them; a chain
  ``a OR b OR c`` is one alternative. An OR with no word or phrase on one side is dropped.

Everything that could be query syntax for SQLite FTS5, PostgreSQL or SQL is reduced to words
or to nothing: upper-case AND, NOT and NEAR (with what sticks to them: "NEAR(" or "NEAR/3"),
a lone "-" or "*", an unmatched quote, brackets (spaces), column filters ("title:" is the word
"title"), "--" and "=" ("\\" OR 1=1 --" is the words "1" and "1"), NUL and other control
characters. NOT is not an exclusion ("cocoa NOT ghana" requires both words; "-ghana" excludes).
Clause words are folded `analysis.words` ([a-z0-9], with "." or "_" inside codes
such as "8.7.1"), never stop words (the index drops them, so they could never match), and the
analysed `ParsedQuery.terms` are [a-z0-9]+ only. `parse_query` never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sdg87.search import analysis
from sdg87.search.types import MAX_QUERY_CHARS

MAX_WORDS = 32
_UPPER_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
# Typographic double quotes count as quotes: phones and French keyboards type them. Brackets
# separate words, so "NEAR(child" is the operator NEAR (dropped) and the word "child".
_QUOTES = str.maketrans(
    dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb\uff02", '"') | dict.fromkeys("()[]{}", " ")
)
_TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"|(?P<token>[^\s"]+)|"')
_APOSTROPHES = "'\u2019"
_NOT_SHOWN = re.compile(rf"[^\w{_APOSTROPHES}.\-]+")
_EDGES = _APOSTROPHES + ".-_"
_NOT_LETTER = re.compile(r"[\W\d_]+")
_DROPPED_CATEGORIES = frozenset({"Cf", "Cs", "Co", "Cn"})


@dataclass(frozen=True)
class Word:
    """One required word."""

    word: str


@dataclass(frozen=True)
class Phrase:
    """Required words, in this order (two or more)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Excluded:
    """Results containing this word (one) or phrase (several, in order) are left out."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one of these (from "a OR b"); two or more, all different."""

    options: tuple[Word | Phrase, ...]


Clause = Word | Phrase | Excluded | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    display: str = ""  # the query as understood, in the person's spelling, for "results for …"
    truncated: bool = False  # cut to the maximum length or number of words

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no clause, or only exclusions."""
        return not any(not isinstance(clause, Excluded) for clause in self.clauses)

    @property
    def words(self) -> list[str]:
        """The words to look for, in query order (phrases and alternatives included); what
        `Thesaurus.query_concepts` and "did you mean" read."""
        found: list[str] = []
        for clause in self.clauses:
            if isinstance(clause, Word):
                found.append(clause.word)
            elif isinstance(clause, Phrase):
                found.extend(clause.words)
            elif isinstance(clause, AnyOf):
                for option in clause.options:
                    found.extend([option.word] if isinstance(option, Word) else option.words)
        return found

    @property
    def excluded(self) -> list[tuple[str, ...]]:
        return [clause.words for clause in self.clauses if isinstance(clause, Excluded)]

    @property
    def terms(self) -> list[str]:
        """Every index term the words to look for may match (their stems in English, French
        and Spanish), without repeats; each is [a-z0-9]+."""
        found: dict[str, None] = {}
        for word in self.words:
            for term in analysis.query_forms(word):
                found.setdefault(term, None)
        return list(found)


class _Or:
    """The upper-case OR between two pieces."""


_OR = _Or()


@dataclass
class _Piece:
    clauses: list[Clause]
    shown: str


def parse_query(
    q: object, *, max_chars: int = MAX_QUERY_CHARS, max_words: int = MAX_WORDS
) -> ParsedQuery:
    """Parse a search box's text (anything: None, bytes and other objects count as text or as
    nothing); never raises."""
    text, truncated = _clean(_as_text(q), max_chars)
    pieces: list[_Piece | _Or] = []
    count = 0
    for match in _TOKEN.finditer(text):
        if match.group("phrase") is not None:
            negative = bool(match.group("neg"))
            body = match.group("phrase")
            shown = _shown(body)
            shown = f'-"{shown}"' if negative else f'"{shown}"'
        elif match.group("token") is not None:
            raw = match.group("token")
            if raw == "OR":
                pieces.append(_OR)
                continue
            if _NOT_LETTER.sub("", unicodedata.normalize("NFKC", raw)) in _UPPER_OPERATORS:
                continue
            negative = raw.startswith("-")
            body = raw.lstrip("-")
            shown = ("-" if negative else "") + _shown(body)
        else:  # a quote without its partner
            continue
        all_words = analysis.words(body)
        words = [word for word in all_words if word not in analysis.STOPWORDS]
        if not words:
            if all_words and not negative:  # "des" in "travail des enfants": shown only
                pieces.append(_Piece([], shown))
            continue
        room = max(max_words, 0) - count
        if len(words) > room:
            truncated = True
            words = words[:room]
            if not words:
                break
        count += len(words)
        if negative:
            clauses: list[Clause] = [Excluded(tuple(words))]
        elif match.group("phrase") is not None and len(words) > 1:
            clauses = [Phrase(tuple(words))]
        else:
            clauses = [Word(word) for word in words]
        pieces.append(_Piece(clauses, shown))
    clauses, display = _combine(pieces)
    return ParsedQuery(clauses=tuple(clauses), display=display, truncated=truncated)


def _as_text(q: object) -> str:
    if isinstance(q, str):
        return q
    if isinstance(q, bytes | bytearray):
        return bytes(q).decode("utf-8", "replace")
    if q is None:
        return ""
    try:
        return str(q)
    except Exception:  # an object whose __str__ fails is no query
        return ""


def _clean(text: str, max_chars: int) -> tuple[str, bool]:
    """Control characters out (NUL and the like become spaces, invisible formatting
    characters and lone surrogates are removed), composed accents, typographic quotes as
    plain ones, brackets as spaces; then cut to `max_chars` at a space where there is one."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            kept.append(char)
    cleaned = unicodedata.normalize("NFC", "".join(kept)).translate(_QUOTES)
    limit = max(max_chars, 0)
    if len(cleaned) <= limit:
        return cleaned, False
    cut = cleaned[:limit]
    if not cleaned[limit].isspace() and re.search(r"\s", cut):
        cut = cut[: max(i for i, char in enumerate(cut) if char.isspace())]
    return cut, True


def _shown(body: str) -> str:
    """The person's own spelling of a piece, without syntax characters."""
    return " ".join(
        part.strip(_EDGES) for part in _NOT_SHOWN.sub(" ", body).split() if part.strip(_EDGES)
    )


def _combine(pieces: list[_Piece | _Or]) -> tuple[list[Clause], str]:
    """Join "a OR b" into one alternative; an OR without a word or phrase on each side is
    dropped. Returns the clauses and the display text."""
    clauses: list[Clause] = []
    shown: list[str] = []
    pending_or = False
    for piece in pieces:
        if isinstance(piece, _Or):
            pending_or = True
            continue
        if not piece.clauses:
            shown.append(piece.shown)
            continue
        first = piece.clauses[0]
        previous = clauses[-1] if clauses else None
        if (
            pending_or
            and isinstance(first, Word | Phrase)
            and isinstance(previous, Word | Phrase | AnyOf)
        ):
            options = previous.options if isinstance(previous, AnyOf) else (previous,)
            if first not in options:
                clauses[-1] = AnyOf((*options, first))
            clauses.extend(piece.clauses[1:])
            shown.append("OR")
        else:
            clauses.extend(piece.clauses)
        shown.append(piece.shown)
        pending_or = False
    return clauses, " ".join(part for part in shown if part)
