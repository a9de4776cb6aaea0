"""What the facets of a results page need that does not change from one search to the next,
kept per index version: each facet's value bitsets as packed machine words (for counting),
and each facet's labels with their sort order, per language.

Counting: a facet value's count is `(bits & within).bit_count()` (sdg87.search.postings).
Done value by value in Python, each of the ~400 values costs an AND of two 100,000-bit ints
plus the loop around it. Here the bitsets of the served postings are packed once per
postings object into their nonzero 64-bit words (numpy arrays; most values are rare, so
about a third of the words of a dense matrix); a search then converts each distinct `within`
once and counts every value of a facet with a handful of array operations. The counts are
the same integers (an AND and a population count per word, summed exactly in int64).
Memory: 16 bytes per nonzero word (under 2x the facet bitsets themselves: 3.2 MB at 100,000
documents), for the last postings object only.

Ordering: a facet's values are shown by count, then by label. The labels of a facet (the
place of each label among them, and the values in label order) are made once per index
version, language asked for and active language, not once per search; sorting is then by
count in C (or by int keys). Bounded: at most MAX_VALUES values per facet and language (a
facet with more falls back to the plain path) and MAX_ORDERINGS orderings, for the last
version only: about 200 bytes per value, so at most ~25 MB even when requests select
made-up values; a few hundred kB per language in practice (~400 values at 100,000
documents).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sdg87.search import postings

# Values per facet whose labels are kept (the selected values of a request are added too,
# and they are the user's: a bound); at most this many (facet, language) orderings.
MAX_VALUES = 2_000
MAX_ORDERINGS = 64
# Words counted between two looks at the facet's deadline (about a millisecond).
CHUNK_WORDS = 1 << 18

# Sort keys packed into one int: (not selected, -count, label's place); counts below 2**40,
# label places below 2**20 (MAX_VALUES).
_COUNT_CAP = (1 << 40) - 1


def by_count(order: Ordering, counts: dict[str, int]) -> list[str]:
    """The values of `counts` that are shown, by (-count, label), values with equal counts and
    labels in the order of `counts` (as a stable sort by that key leaves them). Labels all
    different (the usual case): the labels' order is kept, so a sort by count in C is enough;
    otherwise by int keys (the labels' places)."""
    if order.distinct and len(order.by_label) <= 4 * len(counts) + 64:
        found = [v for v in order.by_label if v in counts]
        found.sort(key=counts.__getitem__, reverse=True)  # stable: labels' order kept in ties
        return found
    rank, hidden = order.rank, order.hidden
    keys = {v: ((_COUNT_CAP - n) << 20) | rank[v] for v, n in counts.items() if v not in hidden}
    return sorted(keys, key=keys.__getitem__)


def selected_first(values: list[str], selected: tuple[str, ...]) -> list[str]:
    """`values` with the selected ones first, each part in its order."""
    if not selected:
        return values
    return [v for v in values if v in selected] + [v for v in values if v not in selected]


def child_key(order: Ordering, counts: dict[str, int], ordered: list[str]) -> Callable[[str], int]:
    """A sort key of values by (-count, label) that leaves ties in their order (`ordered`:
    by_count()'s list, which has no ties when the labels are all different)."""
    if order.distinct:
        return {v: i for i, v in enumerate(ordered)}.__getitem__
    rank = order.rank
    return lambda v: ((_COUNT_CAP - counts[v]) << 20) | rank[v]


# --- counting ----------


@dataclass(frozen=True)
class _Packed:
    """One table's values with documents: their nonzero words, row after row."""

    keys: list[str]  # the values, in the table's order
    words: np.ndarray  # uint64: each row's nonzero words
    columns: np.ndarray  # intp: the place of each word in a bitset
    starts: np.ndarray  # intp: where each row's words begin (rows are never empty)
    chunks: list[tuple[int, int]]  # rows counted between two looks at the deadline


def _pack(table: dict[str, int], width: int) -> _Packed:
    keys = [value for value, bits in table.items() if bits]
    if not keys:
        empty = np.zeros(0, dtype=np.intp)
        return _Packed([], np.zeros(0, dtype=np.uint64), empty, empty, [])
    dense = np.frombuffer(
        b"".join(table[value].to_bytes(width * 8, "little") for value in keys), dtype="<u8"
    ).reshape(len(keys), width)
    nonzero = dense != 0
    rows, columns = np.nonzero(nonzero)
    per_row = nonzero.sum(axis=1)
    starts = np.zeros(len(keys), dtype=np.intp)
    np.cumsum(per_row[:-1], out=starts[1:])
    chunks: list[tuple[int, int]] = []
    first, taken = 0, 0
    for row, n in enumerate(per_row.tolist()):
        if taken and taken + n > CHUNK_WORDS:
            chunks.append((first, row))
            first, taken = row, 0
        taken += n
    chunks.append((first, len(keys)))
    return _Packed(
        keys=keys,
        words=np.ascontiguousarray(dense[rows, columns]),
        columns=columns.astype(np.intp),
        starts=starts,
        chunks=chunks,
    )


class Counter:
    """The facet tables of one postings object, packed for counting."""

    def __init__(self, index: postings.Postings) -> None:
        self.width = max(1, (index.size + 63) // 64)
        self.mask = (1 << (self.width * 64)) - 1
        self.tables = {"kind": index.kinds, "year": years_table(index)}
        self.tables.update(index.values)
        self.packed = {name: _pack(table, self.width) for name, table in self.tables.items()}

    def words(self, within: int) -> np.ndarray:
        if within.bit_length() > self.width * 64:  # bits beyond the documents count nowhere
            within &= self.mask
        return np.frombuffer(within.to_bytes(self.width * 8, "little"), dtype="<u8")

    def count(
        self, name: str, within: np.ndarray, deadline: float, any_values: bool
    ) -> dict[str, int] | None:
        """postings.count_each(table, within, deadline) for the table of facet `name`:
        `within` as words (words()); `any_values`: the table has values (the plain count
        looks at the deadline after each of them, so an empty table is never cut short)."""
        packed = self.packed.get(name)
        counts: dict[str, int] = {}
        if packed is None:
            return counts
        words, columns, starts, keys = packed.words, packed.columns, packed.starts, packed.keys
        for first, last in packed.chunks:
            begin = int(starts[first])
            end = int(starts[last]) if last < len(keys) else len(words)
            found = np.bitwise_count(words[begin:end] & within[columns[begin:end]])
            sums = np.add.reduceat(found, starts[first:last] - begin, dtype=np.int64)
            for value, n in zip(keys[first:last], sums.tolist(), strict=True):
                if n:
                    counts[value] = n
            if time.perf_counter() > deadline:
                return None
        if any_values and time.perf_counter() > deadline:
            return None
        return counts


def years_table(index: postings.Postings) -> dict[str, int]:
    """The year facet's table: year (as text) -> documents, oldest first."""
    return {str(year): bits for year, bits in sorted(index.years.items())}


_counter: list[tuple[weakref.ref[postings.Postings], Counter]] = []
_counter_lock = threading.Lock()


def counter(index: postings.Postings) -> Counter | None:
    """The packed tables of these postings (made on the first search over them); None for
    postings that are not kept (no version: loaded for one search)."""
    if not index.version:
        return None
    kept = _counter[0] if _counter else None
    if kept is not None and kept[0]() is index:
        return kept[1]
    with _counter_lock:
        kept = _counter[0] if _counter else None
        if kept is not None and kept[0]() is index:
            return kept[1]
        made = Counter(index)
        _counter[:] = [(weakref.ref(index), made)]
        return made


# --- labels and their order ----------


@dataclass(frozen=True)
class Ordering:
    """One facet's labels and their order, for one index version and language."""

    labels: dict[str, str]  # value -> its label as shown (the value itself when it has none)
    hidden: frozenset[str]  # values without a label that are not shown (freshness)
    rank: dict[str, int]  # value -> the place of its label among every known label
    known: frozenset[str]  # every value above
    by_label: tuple[str, ...]  # the labelled values by label (then in the order first met)
    distinct: bool  # no two values have the same label


_orderings: dict[Any, Ordering] = {}
_orderings_version = [""]
_orderings_lock = threading.Lock()


def ordering(
    version: str,
    key: tuple[str, ...],
    values: dict[str, int],
    labels_of: Callable[[list[str]], dict[str, str]],
    *,
    hide_unlabelled: bool = False,
) -> Ordering | None:
    """The facet's labels and their order, with every value of `values` (value -> count) in
    it (labels_of gives the labels of values not yet known); None when there is no version
    or too many values."""
    if not version:
        return None
    if _orderings_version[0] != version:
        with _orderings_lock:
            if _orderings_version[0] != version:
                _orderings.clear()
                _orderings_version[0] = version
    key = (version, *key)
    found = _orderings.get(key)
    if found is not None and values.keys() <= found.known:
        return found
    missing = list(values) if found is None else [v for v in values if v not in found.known]
    labels = dict(found.labels) if found is not None else {}
    hidden = set(found.hidden) if found is not None else set()
    made = labels_of(missing)
    for value in missing:
        label = made.get(value)
        if label is None and hide_unlabelled:
            hidden.add(value)
        else:
            labels[value] = value if label is None else label
    if len(labels) + len(hidden) > MAX_VALUES:
        return None
    distinct_labels = sorted(set(labels.values()))
    places = {label: i for i, label in enumerate(distinct_labels)}
    rank = {value: places[label] for value, label in labels.items()}
    now = Ordering(
        labels=labels,
        hidden=frozenset(hidden),
        rank=rank,
        known=frozenset(labels).union(hidden),
        by_label=tuple(sorted(labels, key=rank.__getitem__)),
        distinct=len(distinct_labels) == len(labels),
    )
    with _orderings_lock:
        if _orderings_version[0] == version:
            if key not in _orderings and len(_orderings) >= MAX_ORDERINGS:
                _orderings.clear()
            _orderings[key] = now
    return now


def clear() -> None:
    """Forget everything kept (tests)."""
    with _orderings_lock:
        _orderings.clear()
        _orderings_version[0] = ""
    with _counter_lock:
        _counter.clear()
