"""Statistical disclosure control, measured: pure functions, no Django (ADR 0014).

Microdata (one record per person or case, each record a mapping column -> text):

- `risk_report` groups the records by the declared quasi-identifiers (QIs) into equivalence
  classes and reports k (the smallest class), l (the fewest distinct values of the declared
  sensitive attribute in a class), the records at risk (those in classes smaller than the
  target k) and the risky combinations themselves.
- `protect` reaches the target k: global recoding up configurable hierarchies (age into bands,
  region up to its province, ...) while that removes many records from risk, then local
  suppression (a QI cell of the remaining risky records set to `SUPPRESSED`), then removal of
  the records still at risk. It reports what was lost: generalisation level per QI, cells
  suppressed, records removed. A suppressed cell is an ordinary value when classes are counted
  (the strict reading: "*" matches only "*"), so the k reported is the k anybody recomputes with
  a plain group-by on the released file.

Aggregate tables (counts by row x column, with row and column totals published):

- `suppress_table`: primary suppression of every cell with 0 < count < minimum, then secondary
  suppression until every row and every column with a suppressed cell holds at least two
  suppressed cells (a line of one cell has its total suppressed instead). Secondary cells are
  positive counts of the line (a zero only when no positive count is left), one that closes
  its crossing line first, then the smallest, so
  that the suppressed cells can move by one along a cycle without turning negative.
- The two-per-line rule is necessary, not sufficient (a suppressed cell that bridges two
  blocks of suppressed cells is the difference of their totals). `exposed_cells` audits the
  result: a suppressed cell can take another value exactly when it lies on an alternating
  cycle of suppressed cells (increase, decrease, ...) whose decreased cells are positive; a
  hidden total is modelled as a slack cell tied to the grand total. Every exposed cell gets a
  rectangle of further suppressions (the cheapest one), until none is exposed; what cannot be
  protected that way is reported (`SuppressedTable.exposed`), never published silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SUPPRESSED = "*"
DEFAULT_K = 11
DEFAULT_MIN_COUNT = 5
# Global recoding goes on while the records at risk are more than this share; what remains is
# left to local suppression.
DEFAULT_RECODE_UNTIL = 0.05

type Record = Mapping[str, str]
type Combination = tuple[str, ...]


class DisclosureConfigError(ValueError):
    """A declaration that cannot be applied (unknown column, bad hierarchy)."""


# --- hierarchies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hierarchy:
    """How one QI is generalised: level 0 is the value itself, each further level coarser, the
    last implicit level is SUPPRESSED for everybody.

    kind "bands": numeric values into bands of the given widths (e.g. [5, 10, 20] years),
    anchored at `origin`; a value that is not a whole number stays as it is at level 0 and
    becomes SUPPRESSED above it.
    kind "map": each level maps a value to its parent (e.g. region -> province -> world region);
    a value missing from a level's map is an error naming it.
    """

    kind: str
    widths: tuple[int, ...] = ()
    maps: tuple[Mapping[str, str], ...] = ()
    origin: int = 0

    @property
    def levels(self) -> int:
        """Number of levels above 0, the last one being full suppression."""
        inner = len(self.widths) if self.kind == "bands" else len(self.maps)
        return inner + 1

    def apply(self, value: str, level: int) -> str:
        if level <= 0 or value == SUPPRESSED:
            return value
        if level >= self.levels:
            return SUPPRESSED
        if self.kind == "bands":
            try:
                number = int(value)
            except ValueError:
                return SUPPRESSED
            width = self.widths[level - 1]
            low = self.origin + ((number - self.origin) // width) * width
            return f"{low}-{low + width - 1}"
        out = value
        for mapping in self.maps[:level]:
            if out not in mapping:
                raise DisclosureConfigError(f"no parent for {out!r} in the hierarchy")
            out = mapping[out]
        return out


def hierarchy_from_config(config: Mapping[str, Any]) -> Hierarchy:
    """{"bands": [5, 10, 20], "origin": 0} or {"maps": [{"Nakuru": "Rift Valley"}, ...]} or {}
    (no intermediate level: the value, then SUPPRESSED)."""
    if "bands" in config:
        widths = config["bands"]
        if not isinstance(widths, list) or not all(
            isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths
        ):
            raise DisclosureConfigError("bands must be a list of positive whole numbers")
        return Hierarchy(kind="bands", widths=tuple(widths), origin=int(config.get("origin", 0)))
    if "maps" in config:
        maps = config["maps"]
        if not isinstance(maps, list) or not all(isinstance(m, dict) for m in maps):
            raise DisclosureConfigError("maps must be a list of {value: parent} objects")
        return Hierarchy(
            kind="map", maps=tuple({str(k): str(v) for k, v in m.items()} for m in maps)
        )
    return Hierarchy(kind="map")


# --- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskyCombination:
    values: dict[str, str]
    count: int


@dataclass(frozen=True)
class RiskReport:
    records: int
    quasi_identifiers: tuple[str, ...]
    sensitive: str | None
    k_target: int
    k_achieved: int  # the smallest equivalence class (0 when there are no records)
    l_achieved: int | None  # fewest distinct sensitive values in a class; None without one
    classes: int
    records_at_risk: int
    risky_combinations: list[RiskyCombination] = field(default_factory=list)

    @property
    def share_at_risk(self) -> float:
        return self.records_at_risk / self.records if self.records else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "quasi_identifiers": list(self.quasi_identifiers),
            "sensitive_attribute": self.sensitive,
            "k_target": self.k_target,
            "k_achieved": self.k_achieved,
            "l_achieved": self.l_achieved,
            "equivalence_classes": self.classes,
            "records_at_risk": self.records_at_risk,
            "share_at_risk": round(self.share_at_risk, 6),
            "risky_combinations": [
                {"values": c.values, "count": c.count} for c in self.risky_combinations
            ],
        }


def _check_columns(records: Sequence[Record], columns: Sequence[str]) -> None:
    if not columns:
        raise DisclosureConfigError("declare at least one quasi-identifier")
    if records:
        missing = [c for c in columns if c not in records[0]]
        if missing:
            raise DisclosureConfigError(f"unknown column(s): {', '.join(missing)}")


def equivalence_classes(records: Sequence[Record], qis: Sequence[str]) -> Counter[Combination]:
    return Counter(tuple(r[q] for q in qis) for r in records)


def risk_report(
    records: Sequence[Record],
    qis: Sequence[str],
    *,
    sensitive: str | None = None,
    k: int = DEFAULT_K,
    max_combinations: int = 200,
) -> RiskReport:
    """Measure the records as they are. Risky combinations are listed smallest class first,
    at most `max_combinations` of them."""
    _check_columns(records, [*qis, *([sensitive] if sensitive else [])])
    if k < 2:
        raise DisclosureConfigError("k must be at least 2")
    classes = equivalence_classes(records, qis)
    l_achieved: int | None = None
    if sensitive:
        values: dict[Combination, set[str]] = defaultdict(set)
        for r in records:
            values[tuple(r[q] for q in qis)].add(r[sensitive])
        l_achieved = min((len(v) for v in values.values()), default=0)
    risky = sorted(
        ((combo, n) for combo, n in classes.items() if n < k), key=lambda item: (item[1], item[0])
    )
    return RiskReport(
        records=len(records),
        quasi_identifiers=tuple(qis),
        sensitive=sensitive,
        k_target=k,
        k_achieved=min(classes.values(), default=0),
        l_achieved=l_achieved,
        classes=len(classes),
        records_at_risk=sum(n for _, n in risky),
        risky_combinations=[
            RiskyCombination(values=dict(zip(qis, combo, strict=True)), count=n)
            for combo, n in risky[:max_combinations]
        ],
    )


# --- protecting microdata ---------------------------------------------------------------------


@dataclass(frozen=True)
class Protection:
    records: list[dict[str, str]]
    before: RiskReport
    after: RiskReport
    levels: dict[str, int]  # generalisation level reached per QI (0: as collected)
    cells_suppressed: int
    records_removed: int
    l_target: int | None

    def information_lost(self) -> dict[str, Any]:
        return {
            "generalisation_levels": dict(self.levels),
            "cells_suppressed": self.cells_suppressed,
            "records_removed": self.records_removed,
            "records_in": self.before.records,
            "records_out": self.after.records,
        }


def _recode(
    records: Sequence[Record], hierarchies: Mapping[str, Hierarchy], levels: Mapping[str, int]
) -> list[dict[str, str]]:
    out = []
    for r in records:
        row = dict(r)
        for qi, level in levels.items():
            if level:
                row[qi] = hierarchies[qi].apply(r[qi], level)
        out.append(row)
    return out


def _at_risk(records: Sequence[Record], qis: Sequence[str], k: int) -> int:
    return sum(n for n in equivalence_classes(records, qis).values() if n < k)


def _score(records: Sequence[Record], qis: Sequence[str], k: int) -> tuple[int, int]:
    classes = equivalence_classes(records, qis)
    return sum(n for n in classes.values() if n < k), len(classes)


def protect(
    records: Sequence[Record],
    qis: Sequence[str],
    *,
    k: int = DEFAULT_K,
    hierarchies: Mapping[str, Hierarchy] | None = None,
    sensitive: str | None = None,
    l_target: int | None = None,
    recode_until: float = DEFAULT_RECODE_UNTIL,
) -> Protection:
    """Make every equivalence class at least `k` records (and, with `l_target`, hold at least
    that many distinct values of `sensitive`). Greedy and deterministic: the same input gives
    the same output."""
    before = risk_report(records, qis, sensitive=sensitive, k=k)
    hierarchies = {q: (hierarchies or {}).get(q) or Hierarchy(kind="map") for q in qis}
    levels = dict.fromkeys(qis, 0)
    current = [dict(r) for r in records]

    # 1. Global recoding: one QI one level up at a time, the step that leaves fewest records at
    # risk (then fewest equivalence classes, so that steps count while every record is still
    # at risk); stops when few records remain at risk or no step helps.
    while current and _at_risk(current, qis, k) > recode_until * len(current):
        now = _score(current, qis, k)
        best: tuple[tuple[int, int], str] | None = None
        for qi in qis:
            if levels[qi] + 1 >= hierarchies[qi].levels:  # the last level is full suppression
                continue
            score = _score(_recode(records, hierarchies, {**levels, qi: levels[qi] + 1}), qis, k)
            if best is None or score < best[0]:
                best = (score, qi)
        if best is None or best[0] >= now:
            break
        levels[best[1]] += 1
        current = _recode(records, hierarchies, levels)

    # 2. Local suppression: for the records still at risk, blank one QI (the one that brings
    # most of them into a class of size k), repeated while it helps.
    cells = 0
    while True:
        classes = equivalence_classes(current, qis)
        risky_idx = [i for i, r in enumerate(current) if classes[tuple(r[q] for q in qis)] < k]
        if not risky_idx:
            break
        best_gain, best_qi = 0, None
        for qi in qis:
            trial = [dict(r) for r in current]
            for i in risky_idx:
                trial[i][qi] = SUPPRESSED
            trial_classes = equivalence_classes(trial, qis)
            gain = sum(1 for i in risky_idx if trial_classes[tuple(trial[i][q] for q in qis)] >= k)
            if gain > best_gain:
                best_gain, best_qi = gain, qi
        if best_qi is None:
            break
        for i in risky_idx:
            if current[i][best_qi] != SUPPRESSED:
                current[i][best_qi] = SUPPRESSED
                cells += 1

    # 3. What is still at risk (or, with l_target, not diverse enough) is removed.
    classes = equivalence_classes(current, qis)
    keep = [r for r in current if classes[tuple(r[q] for q in qis)] >= k]
    if sensitive and l_target:
        values: dict[Combination, set[str]] = defaultdict(set)
        for r in keep:
            values[tuple(r[q] for q in qis)].add(r[sensitive])
        keep = [r for r in keep if len(values[tuple(r[q] for q in qis)]) >= l_target]
    after = risk_report(keep, qis, sensitive=sensitive, k=k)
    return Protection(
        records=keep,
        before=before,
        after=after,
        levels=levels,
        cells_suppressed=cells,
        records_removed=len(records) - len(keep),
        l_target=l_target,
    )


# --- aggregate tables -------------------------------------------------------------------------

type Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """`cells[i][j]` is the count or None when suppressed; totals likewise."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int
    primary: list[Cell]
    secondary: list[Cell]
    min_count: int
    exposed: list[Cell] = field(default_factory=list)  # still recoverable: never publish

    @property
    def cells_suppressed(self) -> int:
        return len(self.primary) + len(self.secondary)

    def as_dict(self) -> dict[str, Any]:
        return {
            "min_count": self.min_count,
            "primary": [list(c) for c in self.primary],
            "secondary": [list(c) for c in self.secondary],
            "row_totals_suppressed": [i for i, t in enumerate(self.row_totals) if t is None],
            "column_totals_suppressed": [j for j, t in enumerate(self.column_totals) if t is None],
            "exposed": [list(c) for c in self.exposed],
        }


def _check_counts(counts: Sequence[Sequence[int]], min_count: int) -> list[list[int]]:
    if min_count < 1:
        raise DisclosureConfigError("the minimum cell count must be at least 1")
    rows = [list(r) for r in counts]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise DisclosureConfigError("the table must be a non-empty rectangle of counts")
    for i, row in enumerate(rows):
        for j, n in enumerate(row):
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise DisclosureConfigError(f"row {i + 1}, column {j + 1}: not a count: {n!r}")
    return rows


def exposed_cells(
    counts: Sequence[Sequence[int]],
    hidden: set[Cell] | frozenset[Cell],
    *,
    hidden_row_totals: set[int] | frozenset[int] = frozenset(),
    hidden_column_totals: set[int] | frozenset[int] = frozenset(),
) -> list[Cell]:
    """The suppressed cells whose value follows from what is published (the other cells, the
    published row and column totals and the grand total, counts never negative).

    Rows and columns are the two sides of a bipartite graph, a suppressed cell (i, j) an edge
    between them. A row whose total is hidden gets a slack edge to a node standing for "the
    rows with hidden totals" (whose sum the grand total fixes), likewise columns; a slack can
    always move. Every node then has a fixed sum, so another solution is the true one moved by
    +1, -1, +1, ... around a cycle, and it exists for cell e exactly when e lies on such a
    cycle whose -1 cells are positive: a directed cycle when increasing is row -> column and
    decreasing (allowed on positive cells only) column -> row."""
    n_cols = len(counts[0]) if counts else 0
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], object]]] = defaultdict(list)

    def edge(left: tuple[str, int], right: tuple[str, int], value: int, key: object) -> None:
        adjacency[left].append((right, key))  # increase
        if value > 0:
            adjacency[right].append((left, key))  # decrease

    for i, j in hidden:
        edge(("r", i), ("c", j), counts[i][j], (i, j))
    for i in hidden_row_totals:
        edge(("r", i), ("c", n_cols), 1, ("row-total", i))  # ("c", n_cols): rows' slack node
    for j in hidden_column_totals:
        edge(("r", len(counts)), ("c", j), 1, ("column-total", j))

    def reaches(start: tuple[str, int], goal: tuple[str, int], without: object) -> bool:
        seen = {start}
        todo = [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            for nxt, key in adjacency[node]:
                if key != without and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    out = []
    for i, j in sorted(hidden):
        row, col = ("r", i), ("c", j)
        can_increase = reaches(col, row, (i, j))
        can_decrease = counts[i][j] > 0 and reaches(row, col, (i, j))
        if not (can_increase or can_decrease):
            out.append((i, j))
    return out


def _rectangle(rows: list[list[int]], hidden: set[Cell], cell: Cell) -> list[Cell] | None:
    """The cheapest cells to suppress so that `cell` lies on a 4-cycle with (i, j2), (i2, j),
    (i2, j2): the two cells beside it positive (so it can grow by one while they shrink).
    Cheapest: the smallest sum of newly suppressed counts, then the fewest cells."""
    i, j = cell
    best: tuple[tuple[int, int, int, int], list[Cell]] | None = None
    for i2 in range(len(rows)):
        if i2 == i or rows[i2][j] <= 0:
            continue
        for j2 in range(len(rows[0])):
            if j2 == j or rows[i][j2] <= 0:
                continue
            new = [c for c in ((i, j2), (i2, j), (i2, j2)) if c not in hidden]
            key = (sum(rows[a][b] for a, b in new), len(new), i2, j2)
            if new and (best is None or key < best[0]):
                best = (key, new)
    return best[1] if best else None


def suppress_table(
    counts: Sequence[Sequence[int]], *, min_count: int = DEFAULT_MIN_COUNT
) -> SuppressedTable:
    """Primary and secondary cell suppression of a two-way table of counts whose row, column
    and grand totals are published (computed here from the cells)."""
    rows = _check_counts(counts, min_count)
    n_rows, n_cols = len(rows), len(rows[0])
    primary = [(i, j) for i in range(n_rows) for j in range(n_cols) if 0 < rows[i][j] < min_count]
    hidden = set(primary)
    secondary: list[Cell] = []
    hidden_row_totals: set[int] = set()
    hidden_col_totals: set[int] = set()
    lines = [("row", i, [(i, j) for j in range(n_cols)]) for i in range(n_rows)] + [
        ("col", j, [(i, j) for i in range(n_rows)]) for j in range(n_cols)
    ]

    def _crossing_has_hidden(kind: str, i: int, j: int) -> bool:
        if kind == "row":  # the crossing line is column j
            return any((r, j) in hidden for r in range(n_rows))
        return any((i, c) in hidden for c in range(n_cols))

    def two_per_line() -> None:
        changed = True
        while changed:
            changed = False
            for kind, index, line in lines:
                in_line = [c for c in line if c in hidden]
                total_hidden = index in (hidden_row_totals if kind == "row" else hidden_col_totals)
                if len(in_line) != 1 or total_hidden:
                    continue
                # Positive counts first, zeros only when the line has no other; among them a
                # cell whose crossing line already holds a suppressed cell (it closes that
                # line instead of opening it), then the smallest.
                candidates = sorted(
                    (rows[i][j] == 0, not _crossing_has_hidden(kind, i, j), rows[i][j], i, j)
                    for i, j in line
                    if (i, j) not in hidden
                )
                if candidates:
                    *_, i, j = candidates[0]
                    hidden.add((i, j))
                    secondary.append((i, j))
                else:
                    (hidden_row_totals if kind == "row" else hidden_col_totals).add(index)
                changed = True

    exposed: list[Cell] = []
    while True:
        two_per_line()
        exposed = exposed_cells(
            rows,
            hidden,
            hidden_row_totals=hidden_row_totals,
            hidden_column_totals=hidden_col_totals,
        )
        more = next((r for c in exposed if (r := _rectangle(rows, hidden, c))), None)
        if more is None:
            break  # protected, or nothing more can be done (reported in `exposed`)
        hidden.update(more)
        secondary.extend(more)
    return SuppressedTable(
        cells=[
            [None if (i, j) in hidden else rows[i][j] for j in range(n_cols)] for i in range(n_rows)
        ],
        row_totals=[None if i in hidden_row_totals else sum(rows[i]) for i in range(n_rows)],
        column_totals=[
            None if j in hidden_col_totals else sum(rows[i][j] for i in range(n_rows))
            for j in range(n_cols)
        ],
        grand_total=sum(map(sum, rows)),
        primary=primary,
        secondary=secondary,
        min_count=min_count,
        exposed=exposed,
    )
