"""Text scores of a search's results and the engine's order of them (ADR 0011, "Scores kept
per query").

A word's text score for a document (FTS5 `bm25` with the title weight; PostgreSQL `ts_rank`
of title and body, `engine.entry_scores`) depends on the query's words, the document and the
index's statistics only: not on the facets, the page, the sort, the user or the language. The
full-text engine computes it by walking each term's whole document list (a common word:
tens of thousands of entries) even when a few hundred documents are wanted, which made it the
largest cost of a search. So each process keeps, per query (the analysed plan, as the match
cache keys it) and for the served index version only, the scores it has computed so far, in
an array over the documents' positions with a mask of which are known: a search asks the
engine only for the documents of its result whose score is not known yet. A results page's
facet clicks, next pages and re-sorts, and the same words searched again, read no full-text
index at all; the first search of new words costs what it did before.

Exact: scores are kept with the postings they were computed for (`Postings.version`, which
every rebuild and document refresh changes), so a changed document is never scored from
before its change. Bounded: at most `SCORE_CACHE_BYTES` per process (9 bytes per document of
the index per kept query: at 100,000 documents, 0.9 MB each, about 50 queries), least
recently used dropped first.

The order is the engine's (`engine.ranked_ids`): score times the document's boost, then the
latest year, then the document id; computed with numpy over the result's rows (a sort of
5,000 rows in C instead of Python tuples), and only the rows that can reach the page or a kind
group are sorted.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from sdg87.search import engine
from sdg87.search.postings import Postings

# Bytes of kept scores per process (0 turns keeping off: every search asks the engine).
SCORE_CACHE_BYTES = 48 * 2**20
# More rows than this: only those that can reach the page or a group are sorted.
_SELECT_ABOVE = 2_000

_lock = threading.Lock()


@dataclass
class _Known:
    scores: np.ndarray  # float64 by position: the text score (0 where not known)
    known: np.ndarray  # bool by position


def _kept(index: Postings, key: Hashable) -> _Known | None:
    table: OrderedDict[Hashable, _Known] = index.scores_kept
    per_query = index.size * 9
    if per_query > SCORE_CACHE_BYTES or not index.version:
        return None
    with _lock:
        found = table.get(key)
        if found is not None:
            table.move_to_end(key)
            return found
        found = _Known(np.zeros(index.size, np.float64), np.zeros(index.size, np.bool_))
        table[key] = found
        while len(table) * per_query > SCORE_CACHE_BYTES:
            table.popitem(last=False)
        return found


def text_scores(
    index: Postings, plan: engine.Plan, key: Hashable, positions: np.ndarray, *, every: bool
) -> np.ndarray:
    """The text score of each of `positions` (documents that match `plan`), in their order.

    `every`: the positions are all the plan's matches the user may see, no facet narrowing
    them (then the engine scores every match in one statement, without a list of entries;
    the scores of matches the user may not see are kept too, never shown)."""
    kept = _kept(index, key)
    wanted = positions if kept is None else positions[~kept.known[positions]]
    if wanted.size:
        if every and wanted.size == positions.size:
            rows = engine.entry_scores(plan, None)
        else:
            rows = engine.entry_scores(plan, index.entry_array[wanted].tolist())
        where = index.entry_position
        found = [(where[e], s) for e, s in rows if e in where]  # other generations: none
        scores = np.zeros(index.size, np.float64) if kept is None else kept.scores
        if found:
            at = np.fromiter((p for p, _s in found), np.int64, len(found))
            scores[at] = np.fromiter((s for _p, s in found), np.float64, len(found))
            if kept is not None:
                kept.known[at] = True
        return scores[positions]
    assert kept is not None  # nothing wanted only when every score is known
    return kept.scores[positions]


def _cut(scores: np.ndarray, k: int) -> float:
    """The k-th largest of `scores` (-inf when there are k or fewer; +inf when k is 0)."""
    if k <= 0:
        return np.inf
    if scores.size <= k:
        return -np.inf
    return float(np.partition(scores, scores.size - k)[scores.size - k])


@dataclass
class Ordered:
    """Rows of a result in the engine's order: positions and scores times boost."""

    positions: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Ordered:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float64))

    def rows(self, limit: int | None = None) -> list[tuple[int, float]]:
        """(position, score times boost), best first (the first `limit`)."""
        return list(zip(self.positions[:limit].tolist(), self.scores[:limit].tolist(), strict=True))

    def heads(self, index: Postings, size: int) -> dict[str, list[tuple[int, float]]]:
        """Each kind's first `size` rows as (document id, score), the kinds in the order of
        their first row."""
        kinds = index.kind_array[self.positions]
        firsts = []
        for code in np.flatnonzero(np.bincount(kinds)):
            at = np.flatnonzero(kinds == code)[:size]
            firsts.append((int(at[0]), int(code), at))
        firsts.sort()
        ids = index.id_array
        return {
            index.kind_names[code]: list(
                zip(ids[self.positions[at]].tolist(), self.scores[at].tolist(), strict=True)
            )
            for _first, code, at in firsts
        }


def ordered(
    index: Postings, positions: np.ndarray, text: np.ndarray, *, first: int, per_kind: int
) -> Ordered:
    """The rows that can be among the `first` overall or the `per_kind` first of their kind
    (every row scoring at least the cut-off of either, ties included, so the kept rows are
    exactly those places, in the same order as a sort of every row), in the engine's order."""
    if not positions.size:
        return Ordered(positions, text)
    scores = text * index.boost_array[positions]
    if positions.size > _SELECT_ABOVE:
        keep = scores >= _cut(scores, first)
        if per_kind:
            kinds = index.kind_array[positions]
            for kind in np.flatnonzero(np.bincount(kinds)):  # the kinds present
                of_kind = kinds == kind
                keep |= of_kind & (scores >= _cut(scores[of_kind], per_kind))
        positions, scores = positions[keep], scores[keep]
    order = np.lexsort((index.id_array[positions], -index.year_array[positions], -scores))
    return Ordered(positions[order], scores[order])
