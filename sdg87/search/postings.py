"""The served index's documents as bitsets in memory, for filtering and exact facet counts
(ADR 0011, "Counting in memory").

A search filters and counts sets of documents: the documents that match the words, those the
user may see, those with each selected facet value, and for every facet value how many of the
result have it. In SQL each of these re-read tens of thousands of rows per search (100,000
documents: seconds). Here each process keeps, for the generation being served, one bitset per
kind, year and facet value (a Python int, bit per document), the documents' positions, and
the map from modelsearch's index entry ids to positions. Intersections, unions and counts are
then a few microseconds per value (C loops over ints), and counts stay exact.

Positions are the documents in the order of a date sort (`-date, -year, heading, id`, as the
database orders it), so a result's positions in ascending order are already sorted by date.
Position i is bit `size - 1 - i` of a bitset.

Kept per process, at most one copy (the served generation's, keyed by
`SearchState.version`, which every rebuild and document refresh changes; an unsaved state
is never cached). Memory: one bitset of `size / 8` bytes per distinct (facet, value), kind and
year, plus a few small values per document (about 12 MB at 100,000 documents and ~700
values); loading reads the documents, their facet values and the index entries once.
"""

from __future__ import annotations

import threading
import time
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate, compress, count, repeat
from operator import add
from typing import Any

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.conf import get_app_config

from sdg87.core.dbrouter import pin_to_primary
from sdg87.search.models import SearchDocument, SearchFacetValue

_DIGITS = bytes.maketrans(b"01", b"\x00\x01")
_ASCII_ONE = 49  # b"1"[0]


def bits_of(positions: Iterable[int], size: int) -> int:
    """The bitset of `positions` (0 ≤ p < size; `size` itself, or beyond-size markers mapped to
    `size`, are dropped): position i is bit size - 1 - i."""
    text = bytearray(b"0" * (size + 1))  # the last character: a spare slot for the unknown
    deque(map(text.__setitem__, positions, repeat(_ASCII_ONE)), maxlen=0)
    return int(text, 2) >> 1


def positions_of(bits: int, size: int) -> list[int]:
    """The positions in `bits`, ascending, found in C: for a sparse set, from the lengths of
    the runs of 0 digits between the 1s (position of the k-th 1 = the lengths of the runs
    before it + k); otherwise the digits as 0/1 bytes select from range(size)."""
    if not bits:
        return []
    digits = format(bits, f"0{size}b")
    if bits.bit_count() * 10 < size:
        return list(map(add, accumulate(map(len, digits.split("1")[:-1])), count()))
    return list(compress(range(size), digits.encode().translate(_DIGITS)))


def positions_array(bits: int, size: int) -> np.ndarray:
    """positions_of() as a numpy array (the bits unpacked in C)."""
    if not bits:
        return np.zeros(0, np.int64)
    unpacked = np.unpackbits(np.frombuffer(bits.to_bytes((size + 7) // 8, "big"), np.uint8))
    return np.flatnonzero(unpacked[len(unpacked) - size :])


@dataclass
class Postings:
    version: str
    generation: int
    size: int
    # Columns by position: tuples, which hold only numbers and strings, so the garbage
    # collector stops tracking them after its first pass (lists of 100,000 items were walked
    # at every full collection: ~25 ms of a worker's CPU each time at 100,000 documents).
    ids: Sequence[int]  # document id by position
    kind_of: Sequence[str]
    year_of: Sequence[int | None]
    boost_of: Sequence[float]
    boost_rank: Sequence[int]  # place of each position in `-boost, heading, id` order
    entry_position: dict[int, int]  # index entry id -> position
    entry_of: Sequence[int]  # position -> index entry id (0: none)
    dataset_position: dict[str, int]  # a dataset document's object id -> position
    sorted_ids: array[int]  # the document ids in ascending order
    sorted_positions: array[int]  # their positions
    everything: int
    open: int  # public documents without an audience
    with_audience: int
    audience: dict[int, int]  # organisation id -> its organisation-only documents
    scheduled: list[tuple[datetime, int]]  # (visible_from, position), sorted
    kinds: dict[str, int]
    years: dict[int, int]
    values: dict[str, dict[str, int]]  # facet -> value -> documents
    # the same columns as numpy arrays by position, for scoring and ordering a result
    # (sdg87.search.scoring): kinds as small integers (their order is of no meaning), no year
    # as 0 (as the engine's order reads it)
    id_array: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    kind_array: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    year_array: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    boost_array: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    entry_array: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    kind_names: list[str] = field(default_factory=list)  # by kind_array's code
    load_seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)
    # the documents matching recent queries' words (key: the query as the engine reads it),
    # most recent last: a results page's facet clicks, next pages and re-sorts repeat its
    # words. Dropped with these postings when the index changes.
    _matches: OrderedDict[Any, int] = field(default_factory=OrderedDict)
    # the freshness facet's sets, with what they hold for (sdg87.search.freshness): dropped
    # with these postings too
    freshness_kept: tuple[Any, Any, dict[str, int]] | None = None
    # text scores computed so far, per query (sdg87.search.scoring): dropped with these too
    scores_kept: OrderedDict[Any, Any] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.ids, self.kind_of, self.year_of = (
            tuple(self.ids),
            tuple(self.kind_of),
            tuple(self.year_of),
        )
        self.boost_of, self.boost_rank = tuple(self.boost_of), tuple(self.boost_rank)
        self.entry_of = tuple(self.entry_of)
        if len(self.id_array) != self.size:
            self.id_array = np.array(self.ids, np.int64)
            self.kind_names = sorted(set(self.kind_of))
            codes = {kind: n for n, kind in enumerate(self.kind_names)}
            self.kind_array = np.array([codes[k] for k in self.kind_of], np.int16)
            self.year_array = np.array([y or 0 for y in self.year_of], np.int64)
            self.boost_array = np.array(self.boost_of, np.float64)
            self.entry_array = np.array(self.entry_of, np.int64)

    # --- sets ----------

    def visible(self, *, orgs: Sequence[int], superuser: bool, now: datetime) -> int:
        seen = self.open
        if superuser:
            seen |= self.with_audience
        else:
            for org in orgs:
                seen |= self.audience.get(org, 0)
        future = [p for when, p in self.scheduled if when > now]
        if future:
            seen &= ~bits_of(future, self.size)
        return seen

    def matched(self, entry_ids: Iterable[int]) -> int:
        """The documents of these index entries (entries of other generations dropped)."""
        get = self.entry_position.get
        return bits_of(map(get, entry_ids, repeat(self.size)), self.size)

    def matched_cached(self, key: Any, entry_ids: Callable[[], Iterable[int]]) -> int:
        """matched(entry_ids()), kept for the MATCH_CACHE most recent keys."""
        with _match_lock:
            found = self._matches.get(key)
            if found is not None:
                self._matches.move_to_end(key)
                return found
        bits = self.matched(entry_ids())
        if MATCH_CACHE > 0:
            with _match_lock:
                self._matches[key] = bits
                while len(self._matches) > MATCH_CACHE:
                    self._matches.popitem(last=False)
        return bits

    def position_of(self, doc_id: int) -> int | None:
        """The position of a document of this generation (None: not one of them)."""
        i = bisect_left(self.sorted_ids, doc_id)
        if i < len(self.sorted_ids) and self.sorted_ids[i] == doc_id:
            return self.sorted_positions[i]
        return None

    def has(self, bits: int, position: int) -> bool:
        """Whether `bits` holds the document at `position`."""
        return bool((bits >> (self.size - 1 - position)) & 1)

    def any_of(self, facet: str, values: Sequence[str]) -> int:
        found = 0
        table = self.kinds if facet == "kind" else self.values.get(facet, {})
        for value in values:
            found |= table.get(value, 0)
        return found

    def year_range(self, year_from: int | None, year_to: int | None) -> int:
        found = 0
        for year, bits in self.years.items():
            if (year_from is None or year >= year_from) and (year_to is None or year <= year_to):
                found |= bits
        return found

    def datasets_by(self, freshness: Iterable[tuple[Any, Any]]) -> dict[str, int]:
        """(dataset pk, freshness) pairs -> freshness -> the datasets' documents."""
        grouped: dict[str, list[int]] = defaultdict(list)
        for pk, value in freshness:
            position = self.dataset_position.get(str(pk))
            if position is not None:
                grouped[str(value)].append(position)
        return {value: bits_of(found, self.size) for value, found in grouped.items()}

    def memory_bytes(self) -> int:
        bitsets = len(self.kinds) + len(self.years) + sum(len(v) for v in self.values.values())
        per_document = 10 * 8  # list and array slots and small objects, roughly
        entries = len(self.entry_position) * 100  # dict slots and ints, roughly
        return (bitsets + 4) * (self.size // 8 + 1) + self.size * per_document + entries


def count_each(table: dict[str, int], within: int, deadline: float) -> dict[str, int] | None:
    """Each value's documents within `within` (values with none left out); None when the
    deadline (perf_counter) passes first."""
    counts = {}
    for value, bits in table.items():
        n = (bits & within).bit_count()
        if n:
            counts[value] = n
        if time.perf_counter() > deadline:
            return None
    return counts


# --- loading ----------

_lock = threading.Lock()
_match_lock = threading.Lock()
_cached: Postings | None = None
# Queries whose matching documents each process keeps (a bitset of size/8 bytes each: 12.5 kB
# at 100,000 documents); 0 turns the cache off.
MATCH_CACHE = 128


def clear() -> None:
    global _cached
    _cached = None


def loaded_version() -> str:
    """The index version whose postings this process holds ("" when none): that of the served
    generation as the last search read it (sdg87.search.documents keeps what it reads under
    it)."""
    found = _cached
    return found.version if found is not None else ""


def postings(*, version: str, generation: int) -> Postings:
    """The served generation's postings (loaded when the index changed since the last call)."""
    global _cached
    found = _cached
    if found is not None and version and found.version == version:
        return found
    with _lock:
        # The version was read on the primary (indexing.served_state): the documents kept
        # under it must come from there too, not from a replica that may lag behind it.
        pin_to_primary()
        loaded = load(version=version, generation=generation)
        if version:
            _cached = loaded
        return loaded


def load(*, version: str, generation: int) -> Postings:
    started = time.perf_counter()
    docs = SearchDocument.objects.filter(generation=generation)
    rows = list(
        docs.order_by("-date", "-year", "heading", "id").values_list(
            "id", "kind", "year", "boost", "public", "audience_org_id", "visible_from", "object_id"
        )
    )
    size = len(rows)
    position = {row[0]: i for i, row in enumerate(rows)}
    boost_rank = [0] * size
    for rank, doc_id in enumerate(
        docs.order_by("-boost", "heading", "id").values_list("id", flat=True).iterator(10_000)
    ):
        boost_rank[position[doc_id]] = rank
    kinds: dict[str, list[int]] = defaultdict(list)
    years: dict[int, list[int]] = defaultdict(list)
    audience: dict[int, list[int]] = defaultdict(list)
    open_: list[int] = []
    with_audience: list[int] = []
    scheduled: list[tuple[datetime, int]] = []
    datasets: dict[str, int] = {}
    for i, (_id, kind, year, _boost, public, org, visible_from, object_id) in enumerate(rows):
        kinds[kind].append(i)
        if year is not None:
            years[year].append(i)
        if org is not None:
            audience[org].append(i)
            with_audience.append(i)
        elif public:
            open_.append(i)
        if visible_from is not None:
            scheduled.append((visible_from, i))
        if kind == "dataset":
            datasets[object_id] = i
    values: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    entry = get_app_config().get_model("IndexEntry")
    ct = ContentType.objects.get_for_model(SearchDocument).pk
    entry_position: dict[int, int] = {}
    entry_of = [0] * size
    with connection.cursor() as cursor:
        # ~9 rows per document: plain rows from the cursor, not ORM values (4x faster)
        cursor.execute(
            f"SELECT v.document_id, v.facet, v.value FROM {SearchFacetValue._meta.db_table} v "  # noqa: S608
            f"JOIN {SearchDocument._meta.db_table} d ON d.id = v.document_id "
            "WHERE d.generation = %s",
            [generation],
        )
        while chunk := cursor.fetchmany(20_000):
            for doc_id, facet, value in chunk:
                values[facet][value].append(position[doc_id])
        cursor.execute(
            f"SELECT id, object_id FROM {entry._meta.db_table} "  # noqa: S608
            "WHERE content_type_id = %s",
            [ct],
        )
        for entry_id, object_id in cursor.fetchall():
            found = position.get(int(object_id))
            if found is not None:
                entry_position[entry_id] = found
                entry_of[found] = entry_id

    def bitsets(table: dict[Any, list[int]]) -> dict[Any, int]:
        return {key: bits_of(found, size) for key, found in table.items()}

    ids = [row[0] for row in rows]
    by_id = sorted(range(size), key=ids.__getitem__)

    loaded = Postings(
        version=version,
        generation=generation,
        size=size,
        ids=ids,
        kind_of=[row[1] for row in rows],
        year_of=[row[2] for row in rows],
        boost_of=[float(row[3]) for row in rows],
        boost_rank=boost_rank,
        entry_position=entry_position,
        entry_of=entry_of,
        dataset_position=datasets,
        sorted_ids=array("q", map(ids.__getitem__, by_id)),
        sorted_positions=array("l", by_id),
        everything=(1 << size) - 1,
        open=bits_of(open_, size),
        with_audience=bits_of(with_audience, size),
        audience=bitsets(audience),
        scheduled=sorted(scheduled),
        kinds=bitsets(kinds),
        years=bitsets(years),
        values={facet: bitsets(table) for facet, table in values.items()},
    )
    loaded.load_seconds = time.perf_counter() - started
    return loaded
