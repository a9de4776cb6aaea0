"""The title step of relevance ranking (ADR 0011): among the best-scored matches, a document
whose heading *is* what was typed comes before one that merely mentions its words.

The engine ranks by text score times the document's boost (`engine.ranked_ids`): good at
"which documents are about these words", blind to "which document is called this", because
the index keeps analysed terms and concepts, not headings. Here the first `WINDOW` results
of that order are put in tiers by their headings (the English one and each translation),
comparing the query's words with each heading's:

- 3, the title: the heading, or its main title before a subtitle (`Title: subtitle`), says
  exactly the words typed ("Cash for Class" for "Cash for Class: child labour and ..."), in
  the heading's language (a synonym or a translation is not the title), or the whole
  heading is a name of the concept typed ("Worst Forms of Child Labour Convention, 1999
  (No. 182)", a label of that convention, for "Convenio sobre las peores formas de trabajo
  infantil");
- 2, a phrase: the query's words follow each other in the heading ("Worst Forms of Child
  Labour Convention" in "Worst Forms of Child Labour Convention, 1999 (No. 182)");
- 1, every word: each of the query's words is in the heading ("evaluation Nepal bonded
  labour" in "Evaluation of the South-Eastern Nepal Hotspot to Reduce ... Bonded Labour");
- 0: otherwise; among these, the headings with more of the query's words first (a search
  with only some of the words).

Words are compared as the index compares them: folded, stop words out, stemmed in the
heading's language, and a run of words that spells a thesaurus label or a country's name
counts as that concept in any language ("travail des enfants" is the "child labour" of an
English heading, "Kenia" is Kenya). Within a tier the engine's order stands; results after
the window keep it too, so pages stay consistent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from sdg87.search import analysis, documents, engine
from sdg87.search.models import SearchDocument
from sdg87.search.thesaurus import Thesaurus, concept_token
from sdg87.search.vocabulary import thesaurus

WINDOW = 50  # results of the engine's order put in tiers
TITLE, PHRASE, ALL_WORDS, NONE = 3, 2, 1, 0
_SUBTITLE = re.compile(r"\s*:\s")

Unit = str  # an analysed term, or a concept's token ("zzchildlabour")


def units(words: Sequence[str], lang: str, concepts: Thesaurus) -> tuple[Unit, ...]:
    """Folded words as compared here: a run that spells a concept's label becomes the
    concept's token (several concepts spelled by the same run: their tokens joined), other
    words their terms in `lang`."""
    starts: dict[int, list[tuple[int, str]]] = {}
    for match in concepts.query_concepts(words):
        starts.setdefault(match.start, []).append((match.end, match.token))
    out: list[Unit] = []
    i = 0
    while i < len(words):
        if i in starts:
            found = starts[i]
            out.append("|".join(sorted({token for _end, token in found})))
            i = max(end for end, _token in found)
            continue
        out.extend(analysis.analyse(words[i], lang))
        i += 1
    return tuple(out)


def _contains(haystack: tuple[Unit, ...], needle: tuple[Unit, ...]) -> bool:
    """Whether `needle` is a run of `haystack` (its first unit's places found in C)."""
    n = len(needle)
    if not n:
        return True
    first, start = needle[0], 0
    while True:
        try:
            i = haystack.index(first, start)
        except ValueError:
            return False
        if haystack[i : i + n] == needle:
            return True
        start = i + 1


@dataclass(frozen=True)
class HeadingForms:
    """A heading as title_tier() and words_found() compare it (in one language)."""

    full: tuple[str, ...]  # its terms
    main: tuple[str, ...]  # the terms of its main title (before a subtitle)
    units: tuple[Unit, ...]
    present: frozenset[Unit]  # its units, terms and every concept named, nested ones too
    found: frozenset[Unit]  # the same, from the heading's text as written (words_found)


# Headings repeat from search to search (the best documents of frequent queries): their
# analysis is kept per process, bounded (a few hundred bytes each); vocabulary.clear()
# empties it with the thesaurus it depends on.
@lru_cache(maxsize=8192)
def heading_forms(text: str, lang: str, concepts: Thesaurus) -> HeadingForms:
    words = analysis.words(text)
    main = analysis.words(_SUBTITLE.split(text, maxsplit=1)[0])
    heading = units(words, lang, concepts)
    terms = analysis.analyse(" ".join(words), lang)
    # every concept named anywhere, nested ones too ("child labour" inside the official
    # name of indicator 8.7.1, itself a concept)
    present = set(heading) | set(terms)
    present |= {concept_token(c) for c in concepts.index_concepts(terms)}
    written = analysis.analyse(text, lang)
    found = set(heading) | set(written)
    found |= {concept_token(c) for c in concepts.index_concepts(written)}
    return HeadingForms(
        full=tuple(terms),
        main=tuple(analysis.analyse(" ".join(main), lang)),
        units=heading,
        present=frozenset(present),
        found=frozenset(found),
    )


@lru_cache(maxsize=1024)
def _query_forms(
    query_words: tuple[str, ...], lang: str, concepts: Thesaurus
) -> tuple[tuple[Unit, ...], tuple[str, ...]]:
    """The query's units and its typed terms in `lang`."""
    return (
        units(query_words, lang, concepts),
        tuple(analysis.analyse(" ".join(query_words), lang)),
    )


def clear() -> None:
    heading_forms.cache_clear()
    _query_forms.cache_clear()
    _tier_key.cache_clear()
    _readings.cache_clear()
    _headings_kept.clear()
    documents.clear()


def title_tier(
    query_words: Sequence[str], headings: Sequence[tuple[str, str]], concepts: Thesaurus
) -> int:
    """The best tier of the query against any of `headings` ((text, language) pairs)."""
    best = NONE
    for text, lang in headings:
        query, typed = _query_forms(tuple(query_words), lang, concepts)
        if not query:
            continue
        forms = heading_forms(text, lang, concepts)
        # the title: what was typed, word for word (a synonym is not the title)
        if typed and typed in (forms.full, forms.main):
            return TITLE
        if forms.units == query:  # the whole heading is a name of what was typed (C182's)
            return TITLE
        if _contains(forms.units, query) or (len(query) == 1 and query[0] in forms.present):
            best = max(best, PHRASE)
        elif set(query) <= forms.present:
            best = max(best, ALL_WORDS)
    return best


def words_found(
    query_words: Sequence[str], headings: Sequence[tuple[str, str]], concepts: Thesaurus
) -> int:
    """How many of the query's words (or concepts) the best of `headings` has, the query read
    in each of the three languages: among results with only some of the words, the one whose
    heading has the most ("Protocolo para prevenir ... la trata de personas" and "Protocol to
    Prevent ... Trafficking in Persons")."""
    readings = {_query_forms(tuple(query_words), lang, concepts)[0] for lang in analysis.LANGUAGES}
    best = 0
    for text, lang in headings:
        present = heading_forms(text, lang, concepts).found
        best = max([best, *(len(set(reading) & present) for reading in readings)])
    return best


def headings_of(doc: SearchDocument) -> list[tuple[str, str]]:
    """A document's headings with their languages: its own, then its translations'."""
    return _headings(doc.heading, doc.language, doc.translations)


def _headings(heading: str, language: str, translations: Any) -> list[tuple[str, str]]:
    found = [(heading, language or "en")]
    for lang, fields in (translations or {}).items():
        if isinstance(fields, dict) and fields.get("heading"):
            found.append((str(fields["heading"]), str(lang)))
    return found


# A document's headings, kept for the served index version (documents.ByVersion): a search
# compares those of a few hundred documents (each kind's first WINDOW), mostly the same ones
# from search to search. About 200 bytes each: 4 MB at most.
_headings_kept: documents.ByVersion[int, tuple[tuple[str, str], ...]] = documents.ByVersion(20_000)


def _read_headings(ids: list[int]) -> Iterable[tuple[int, tuple[tuple[str, str], ...]]]:
    for pk, heading, language, tr in documents.headings_rows(ids):
        yield pk, tuple(_headings(heading, language, tr))


def headings_by_id(ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """headings_of() of these documents, read as plain values (no model instances)."""
    kept = _headings_kept.many(set(ids), _read_headings)
    return {pk: list(found) for pk, found in kept.items()}


# The tier key of a document's headings for a query: a pure function of the query's words
# and the headings (and the thesaurus, a new object whenever it changes), the same for the
# same best documents of a query from search to search. A key holds the query's words and
# the headings (shared with the kept headings while they are kept): 16,384 keys, a few MB.
@lru_cache(maxsize=16_384)
def _tier_key(
    query_words: tuple[str, ...], headings: tuple[tuple[str, str], ...], concepts: Thesaurus
) -> tuple[int, int]:
    """(-title_tier(), -words_found()) in one pass: each heading's forms looked up once, the
    query's readings once per query."""
    readings = _readings(query_words, concepts)
    tier, found = NONE, 0
    for text, lang in headings:
        forms = heading_forms(text, lang, concepts)
        for reading in readings:
            found = max(found, len(reading & forms.found))
        if tier == TITLE:
            continue
        query, typed = _query_forms(query_words, lang, concepts)
        if not query:
            continue
        if (typed and typed in (forms.full, forms.main)) or forms.units == query:
            tier = TITLE
        elif tier < PHRASE:
            if _contains(forms.units, query) or (len(query) == 1 and query[0] in forms.present):
                tier = PHRASE
            elif set(query) <= forms.present:
                tier = ALL_WORDS
    return -tier, -found


@lru_cache(maxsize=1024)
def _readings(query_words: tuple[str, ...], concepts: Thesaurus) -> tuple[frozenset[Unit], ...]:
    """The query's units read in each of the three languages (words_found())."""
    return tuple(
        {frozenset(_query_forms(query_words, lang, concepts)[0]) for lang in analysis.LANGUAGES}
    )


def in_tiers(
    ranked: Sequence[tuple[int, float]],
    headings: dict[int, list[tuple[str, str]]],
    query_words: Sequence[str],
    concepts: Thesaurus,
) -> list[tuple[int, float]]:
    """`ranked` (best first) reordered by title tier, then by how many of the query's words
    the heading has; the given order kept among equals."""
    words, get, none = tuple(query_words), headings.get, ()
    keys = [_tier_key(words, tuple(get(doc_id, none)), concepts) for doc_id, _s in ranked]
    # a stable sort: the given order kept among equal keys
    return [ranked[i] for i in sorted(range(len(ranked)), key=keys.__getitem__)]


def ranked_ids(
    docs: QuerySet[SearchDocument],
    plan: engine.Plan,
    query_words: Sequence[str],
    *,
    offset: int,
    limit: int,
    **options: Any,
) -> list[tuple[int, float]]:
    """`engine.ranked_ids` (with its other keyword `options`) and the title step over its
    first `WINDOW` results."""
    if offset >= WINDOW or not query_words:
        return engine.ranked_ids(docs, plan, offset=offset, limit=limit, **options)
    window = max(WINDOW, offset + limit)
    ranked = engine.ranked_ids(docs, plan, offset=0, limit=window, **options)
    head, tail = ranked[:WINDOW], ranked[WINDOW:]
    headings = headings_by_id(doc_id for doc_id, _s in head)
    return (in_tiers(head, headings, query_words, thesaurus()) + tail)[offset : offset + limit]


def ranked_window(
    ranked: Sequence[tuple[int, float]],
    query_words: Sequence[str],
    *,
    offset: int,
    limit: int,
    headings: dict[int, list[tuple[str, str]]] | None = None,
) -> list[tuple[int, float]]:
    """One page of `ranked` (document id, score; the engine's order, at least its first
    max(WINDOW, offset + limit)) after the title step over the first `WINDOW`: the same page
    as ranked_ids() gives. `headings`: headings_by_id() of (at least) the first WINDOW, when
    the caller has read them already."""
    if offset >= WINDOW or not query_words:
        return list(ranked[offset : offset + limit])
    head, tail = list(ranked[:WINDOW]), list(ranked[WINDOW:])
    if headings is None:
        headings = headings_by_id(doc_id for doc_id, _s in head)
    return (in_tiers(head, headings, query_words, thesaurus()) + tail)[offset : offset + limit]
