"""The "what works" evidence map as numbers: interventions x outcomes, computed from plain
coding rows (no ORM; the rows come from sdg87.library.evidence_selectors).

A *study* is a publication with an evidence coding. A cell counts the distinct studies coded
with its intervention and outcome, by study design and by direction of effect. Two kinds of
gap are marked, after the evidence-and-gap maps of 3ie and the Campbell Collaboration:

- an **absolute gap**: no study at all in the cell;
- a **synthesis gap**: studies, but no systematic review among them.

Row and column totals count distinct studies too, so a study coded in two cells of a row
counts once in the row's total (with one coding per study, as in the bundled data, totals are
plain sums). Rows whose intervention or outcome is not on the axes are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sdg87.library.vocabulary import (
    OUTCOME_SERIES,
    Direction,
    Intervention,
    Outcome,
    StudyDesign,
)

SYSTEMATIC_REVIEW = StudyDesign.SYSTEMATIC_REVIEW.value
DESIGN_ORDER: tuple[str, ...] = tuple(StudyDesign.values)
DIRECTION_ORDER: tuple[str, ...] = tuple(Direction.values)


@dataclass(frozen=True)
class CodingRow:
    """One evidence coding of one study, as plain values."""

    study: int
    intervention: str
    outcome: str
    design: str
    direction: str
    year: int | None = None
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    intervention: str
    outcome: str
    studies: int
    # (code, count) in vocabulary order, zero counts left out
    designs: tuple[tuple[str, int], ...] = ()
    directions: tuple[tuple[str, int], ...] = ()

    @property
    def absolute_gap(self) -> bool:
        """No study in the cell."""
        return self.studies == 0

    @property
    def synthesis_gap(self) -> bool:
        """Studies in the cell, but no systematic review among them."""
        return self.studies > 0 and self.design_count(SYSTEMATIC_REVIEW) == 0

    def design_count(self, design: str) -> int:
        return dict(self.designs).get(design, 0)

    def direction_count(self, direction: str) -> int:
        return dict(self.directions).get(direction, 0)


@dataclass(frozen=True)
class Matrix:
    interventions: tuple[str, ...]
    outcomes: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]
    row_totals: Mapping[str, int]
    column_totals: Mapping[str, int]
    total: int  # distinct studies on the map
    codings: int  # codings on the map (one per study in the bundled data)
    years: tuple[int, int] | None = None  # earliest and latest year of a study on the map

    def cell(self, intervention: str, outcome: str) -> Cell:
        return self.cells[(intervention, outcome)]

    @property
    def absolute_gaps(self) -> int:
        return sum(1 for c in self.cells.values() if c.absolute_gap)

    @property
    def synthesis_gaps(self) -> int:
        return sum(1 for c in self.cells.values() if c.synthesis_gap)

    def row(self, intervention: str) -> list[Cell]:
        return [self.cells[(intervention, o)] for o in self.outcomes]

    def interventions_with_studies(self) -> list[str]:
        return [i for i in self.interventions if self.row_totals[i]]

    def outcomes_with_studies(self) -> list[str]:
        return [o for o in self.outcomes if self.column_totals[o]]


def _ordered(counts: Mapping[str, int], order: Sequence[str]) -> tuple[tuple[str, int], ...]:
    known = [(code, counts[code]) for code in order if counts.get(code)]
    extra = sorted((code, n) for code, n in counts.items() if code not in order and n)
    return tuple(known + extra)


def matrix_compute(
    rows: Iterable[CodingRow],
    *,
    interventions: Sequence[str] = tuple(Intervention.values),
    outcomes: Sequence[str] = tuple(Outcome.values),
) -> Matrix:
    """The interventions x outcomes matrix of `rows` (every cell present, empty ones too)."""
    axis_i, axis_o = tuple(interventions), tuple(outcomes)
    on_i, on_o = set(axis_i), set(axis_o)
    in_cell: dict[tuple[str, str], set[int]] = defaultdict(set)
    designs: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    directions: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    in_row: dict[str, set[int]] = defaultdict(set)
    in_column: dict[str, set[int]] = defaultdict(set)
    studies: set[int] = set()
    years: set[int] = set()
    codings = 0
    for row in rows:
        if row.intervention not in on_i or row.outcome not in on_o:
            continue
        key = (row.intervention, row.outcome)
        codings += 1
        in_cell[key].add(row.study)
        designs[key].add((row.study, row.design))
        directions[key].add((row.study, row.direction))
        in_row[row.intervention].add(row.study)
        in_column[row.outcome].add(row.study)
        if row.study not in studies and row.year is not None:
            years.add(row.year)
        studies.add(row.study)
    cells: dict[tuple[str, str], Cell] = {}
    for i in axis_i:
        for o in axis_o:
            key = (i, o)
            by_design: dict[str, int] = defaultdict(int)
            for _study, design in designs[key]:
                by_design[design] += 1
            by_direction: dict[str, int] = defaultdict(int)
            for _study, direction in directions[key]:
                by_direction[direction] += 1
            cells[key] = Cell(
                intervention=i,
                outcome=o,
                studies=len(in_cell[key]),
                designs=_ordered(by_design, DESIGN_ORDER),
                directions=_ordered(by_direction, DIRECTION_ORDER),
            )
    return Matrix(
        interventions=axis_i,
        outcomes=axis_o,
        cells=cells,
        row_totals={i: len(in_row[i]) for i in axis_i},
        column_totals={o: len(in_column[o]) for o in axis_o},
        total=len(studies),
        codings=codings,
        years=(min(years), max(years)) if years else None,
    )


@dataclass(frozen=True)
class LocalGaps:
    """What a place's own evidence lacks, measured against the whole map: categories with
    studies somewhere on the map but none about this place."""

    interventions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    cells: tuple[tuple[str, str], ...] = field(default=())


def local_gaps(*, everywhere: Matrix, here: Matrix) -> LocalGaps:
    """Interventions, outcomes and cells studied elsewhere (on `everywhere`) but not `here`
    (the same axes, rows limited to one place)."""
    return LocalGaps(
        interventions=tuple(
            i
            for i in everywhere.interventions
            if everywhere.row_totals[i] and not here.row_totals[i]
        ),
        outcomes=tuple(
            o
            for o in everywhere.outcomes
            if everywhere.column_totals[o] and not here.column_totals[o]
        ),
        cells=tuple(
            key
            for key, cell in everywhere.cells.items()
            if cell.studies and here.cells[key].absolute_gap
        ),
    )


def outcomes_measured_by(series_code: str) -> tuple[str, ...]:
    """The outcomes (in vocabulary order) that `series_code` measures, after OUTCOME_SERIES."""
    code = series_code.strip().upper()
    return tuple(
        str(o) for o in Outcome.values if code in {s.upper() for s in OUTCOME_SERIES.get(o, ())}
    )
