"""The disclosure-control computations on hand-checked tables and on a generated synthetic
case file; the k of the protected output is recomputed here with a plain count, not with the
module's own functions."""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from pathlib import Path

import pytest

from sdg87.disclosure import sdc
from sdg87.disclosure.tests.synthetic import (
    HIERARCHIES,
    QUASI_IDENTIFIERS,
    SYNTHETIC_MARKER,
    as_csv,
    synthetic_cases,
)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.strip())))


SMALL = _rows(
    """sex,region,diagnosis
F,A,x
F,A,y
M,A,x
M,B,x
M,B,x
F,B,z"""
)


def test_risk_report_by_hand() -> None:
    # classes: (F,A)=2 {x,y}; (M,A)=1; (M,B)=2 {x}; (F,B)=1
    report = sdc.risk_report(SMALL, ["sex", "region"], sensitive="diagnosis", k=2)
    assert report.k_achieved == 1
    assert report.l_achieved == 1
    assert report.classes == 4
    assert report.records_at_risk == 2
    assert report.share_at_risk == pytest.approx(2 / 6)
    assert [(c.values, c.count) for c in report.risky_combinations] == [
        ({"sex": "F", "region": "B"}, 1),
        ({"sex": "M", "region": "A"}, 1),
    ]
    safe = sdc.risk_report(SMALL[:2], ["sex", "region"], sensitive="diagnosis", k=2)
    assert (safe.k_achieved, safe.l_achieved, safe.records_at_risk) == (2, 2, 0)


def test_unknown_column_and_bad_k_are_refused() -> None:
    with pytest.raises(sdc.DisclosureConfigError, match="age"):
        sdc.risk_report(SMALL, ["sex", "age"])
    with pytest.raises(sdc.DisclosureConfigError):
        sdc.risk_report(SMALL, ["sex"], k=1)


def test_generalisation_by_hand() -> None:
    # Region A and B both sit in R: one level up, every class has three records.
    hierarchies = {"region": sdc.hierarchy_from_config({"maps": [{"A": "R", "B": "R"}]})}
    out = sdc.protect(SMALL, ["region", "sex"], k=2, hierarchies=hierarchies)
    assert out.levels == {"region": 1, "sex": 0}
    assert {r["region"] for r in out.records} == {"R"}
    assert (out.after.k_achieved, out.cells_suppressed, out.records_removed) == (3, 0, 0)


def test_age_bands() -> None:
    ages = sdc.hierarchy_from_config({"bands": [5, 10]})
    assert [ages.apply("17", level) for level in range(4)] == ["17", "15-19", "10-19", "*"]
    years = sdc.hierarchy_from_config({"bands": [2], "origin": 2015})
    assert years.apply("2018", 1) == "2017-2018"
    with pytest.raises(sdc.DisclosureConfigError):
        sdc.hierarchy_from_config({"bands": [0]})


def test_local_suppression_by_hand() -> None:
    rows = _rows("a,b\n1,x\n1,x\n2,x\n3,x")
    # (2,x) and (3,x) are alone; blanking a puts both in (*,x) with two records.
    out = sdc.protect(rows, ["a", "b"], k=2)
    assert [(r["a"], r["b"]) for r in out.records] == [
        ("1", "x"),
        ("1", "x"),
        ("*", "x"),
        ("*", "x"),
    ]
    assert (out.cells_suppressed, out.records_removed, out.after.k_achieved) == (2, 0, 2)


def test_records_that_cannot_be_saved_are_removed() -> None:
    rows = _rows("a,b\n1,x\n1,x\n2,y")
    out = sdc.protect(rows, ["a", "b"], k=2)
    assert out.records_removed == 1
    assert out.after.k_achieved == 2
    assert out.information_lost()["records_out"] == 2


def test_l_diversity_target_removes_uniform_classes() -> None:
    rows = _rows("a,s\n1,x\n1,y\n2,x\n2,x")
    out = sdc.protect(rows, ["a"], k=2, sensitive="s", l_target=2)
    assert [r["a"] for r in out.records] == ["1", "1"]
    assert out.after.l_achieved == 2


# --- aggregate tables ---------------------------------------------------------------------------


def _solutions(table: sdc.SuppressedTable) -> dict[tuple[int, int], set[int]]:
    """Every value each suppressed cell can take given what is published (cells, row, column
    and grand totals, counts never negative): an attacker's view, by enumeration row by row
    (each row's hidden cells share what its published total leaves; columns checked as they
    fill)."""
    n_rows, n_cols = len(table.cells), len(table.cells[0])
    hidden_rows = [[j for j in range(n_cols) if table.cells[i][j] is None] for i in range(n_rows)]
    col_left = [
        None if t is None else t - sum(r[j] or 0 for r in table.cells)
        for j, t in enumerate(table.column_totals)
    ]
    possible: dict[tuple[int, int], set[int]] = {
        (i, j): set() for i in range(n_rows) for j in hidden_rows[i]
    }

    def splits(total: int | None, parts: int, cap: int) -> list[tuple[int, ...]]:
        if total is None:
            return list(itertools.product(range(cap + 1), repeat=parts))
        return [p for p in itertools.product(range(total + 1), repeat=parts) if sum(p) == total]

    def walk(i: int, used: list[int], chosen: list[tuple[int, ...]]) -> None:
        if i == n_rows:
            if sum(used) != table.grand_total - sum(v or 0 for r in table.cells for v in r):
                return
            if any(left is not None and used[j] != left for j, left in enumerate(col_left)):
                return
            for row, values in enumerate(chosen):
                for j, v in zip(hidden_rows[row], values, strict=True):
                    possible[(row, j)].add(v)
            return
        total = table.row_totals[i]
        left = None if total is None else total - sum(v or 0 for v in table.cells[i])
        for values in splits(left, len(hidden_rows[i]), table.grand_total):
            nxt = list(used)
            for j, v in zip(hidden_rows[i], values, strict=True):
                nxt[j] += v
            if any(cl is not None and nxt[j] > cl for j, cl in enumerate(col_left)):
                continue
            walk(i + 1, nxt, [*chosen, values])

    walk(0, [0] * n_cols, [])
    return possible


def test_primary_suppression_alone_is_recoverable() -> None:
    """The attacker's check works: without secondary suppression the cell comes back."""
    table = sdc.SuppressedTable(
        cells=[[None, 6], [7, 9]],
        row_totals=[8, 16],
        column_totals=[9, 15],
        grand_total=24,
        primary=[(0, 0)],
        secondary=[],
        min_count=5,
    )
    assert _solutions(table) == {(0, 0): {2}}


def test_two_by_two_by_hand() -> None:
    # 2 < 5 is primary; its row and column each need a second cell, and those a second one:
    # all four hide, and the published totals (8, 16 / 9, 15) allow the cell to be 0 to 8.
    table = sdc.suppress_table([[2, 6], [7, 9]], min_count=5)
    assert table.primary == [(0, 0)]
    assert sorted(table.secondary) == [(0, 1), (1, 0), (1, 1)]
    assert table.row_totals == [8, 16] and table.column_totals == [9, 15]
    assert _solutions(table)[(0, 0)] == set(range(9))


def test_three_by_three_cannot_be_recovered() -> None:
    counts = [[1, 6, 7], [6, 9, 6], [4, 3, 5]]
    table = sdc.suppress_table(counts, min_count=5)
    assert sorted(table.primary) == [(0, 0), (2, 0), (2, 1)]
    for line in [*table.cells, *zip(*table.cells, strict=True)]:
        hidden = sum(1 for v in line if v is None)
        assert hidden == 0 or hidden >= 2
    possible = _solutions(table)
    for cell in table.primary:
        assert len(possible[cell]) >= 2, cell
        assert counts[cell[0]][cell[1]] in possible[cell]
    # what was published is true
    for i, row in enumerate(table.cells):
        for j, v in enumerate(row):
            assert v is None or v == counts[i][j]


def test_zeros_are_not_suppressed_and_bad_tables_are_refused() -> None:
    table = sdc.suppress_table([[0, 6], [7, 9]])
    assert table.cells_suppressed == 0
    with pytest.raises(sdc.DisclosureConfigError, match="row 2, column 1"):
        sdc.suppress_table([[1, 2], [-1, 3]])
    with pytest.raises(sdc.DisclosureConfigError):
        sdc.suppress_table([[1, 2], [3]])


def test_single_column_table_hides_row_totals() -> None:
    table = sdc.suppress_table([[2], [9], [8]], min_count=5)
    assert table.row_totals[0] is None
    possible = _solutions(table)
    assert len(possible[(0, 0)]) >= 2


def test_one_primary_in_a_row_forces_a_secondary_by_hand() -> None:
    """3 < 5 is the only primary. Its row then shows one hidden cell, which the row total
    gives away (21 - 8 - 10 = 3): the smallest other count of the row, 8, hides with it; the
    column of 3 and the column of 8 then each need a second cell, and (1, 1) = 7 closes both
    the second row and the second column. By hand, with the totals 21, 28, 31 / 23, 21, 36:
    x00 + x01 = 11, x10 + x11 = 16, x00 + x10 = 12, so x00 = a, x01 = 11 - a, x10 = 12 - a,
    x11 = 4 + a, any a from 0 to 11."""
    counts = [[3, 8, 10], [9, 7, 12], [11, 6, 14]]
    table = sdc.suppress_table(counts, min_count=5)
    assert table.primary == [(0, 0)]
    assert table.secondary == [(0, 1), (1, 0), (1, 1)]
    assert table.cells == [[None, None, 10], [None, None, 12], [11, 6, 14]]
    assert table.row_totals == [21, 28, 31] and table.column_totals == [23, 21, 36]
    assert table.grand_total == 80 and table.exposed == []
    possible = _solutions(table)
    assert possible[(0, 0)] == set(range(12))
    assert possible[(1, 1)] == set(range(4, 16))


# A cell bridging two blocks of suppressed cells: every line holds two or more, yet
# x12 = (row 0 + row 1 hidden) - (column 0 + column 1 hidden) = (3 + 8) - (4 + 6) = 1.
BRIDGE = [[1, 2, 9, 9], [3, 4, 1, 9], [9, 9, 2, 3], [9, 9, 4, 1]]


def test_two_per_line_is_not_enough_and_the_audit_sees_it() -> None:
    primary = {(i, j) for i, row in enumerate(BRIDGE) for j, n in enumerate(row) if n < 5}
    assert len(primary) == 9
    naive = sdc.SuppressedTable(
        cells=[
            [None if (i, j) in primary else n for j, n in enumerate(r)]
            for i, r in enumerate(BRIDGE)
        ],
        row_totals=[sum(r) for r in BRIDGE],
        column_totals=[sum(c) for c in zip(*BRIDGE, strict=True)],
        grand_total=sum(map(sum, BRIDGE)),
        primary=sorted(primary),
        secondary=[],
        min_count=5,
    )
    # the attacker recovers the bridge, and only the bridge; the audit names exactly that cell
    recovered = {c for c, values in _solutions(naive).items() if len(values) == 1}
    assert recovered == {(1, 2)}
    assert sdc.exposed_cells(BRIDGE, primary) == [(1, 2)]

    table = sdc.suppress_table(BRIDGE, min_count=5)
    assert sorted(table.primary) == sorted(primary)
    # cheapest rectangle around (1, 2): one new cell of 9; (0, 2) comes first of the ties
    assert table.secondary == [(0, 2)] and table.exposed == []
    assert all(len(v) >= 2 for v in _solutions(table).values())


@pytest.mark.parametrize(
    "counts",
    [
        [[3, 8, 10], [9, 7, 12], [11, 6, 14]],
        [[1, 6, 7], [6, 9, 6], [4, 3, 5]],
        [[0, 2, 9], [7, 0, 8], [6, 5, 0]],
        [[4, 9], [9, 1], [6, 7]],
        [[2, 0, 0], [0, 0, 9], [0, 6, 7]],
        BRIDGE,
    ],
)
def test_no_suppressed_cell_is_recoverable_from_the_margins(counts: list[list[int]]) -> None:
    """Everything published is true, and every suppressed cell (primary or secondary) can take
    at least two values given the published cells, row, column and grand totals."""
    table = sdc.suppress_table(counts, min_count=5)
    assert table.exposed == []
    assert {c for c in table.primary} == {
        (i, j) for i, r in enumerate(counts) for j, n in enumerate(r) if 0 < n < 5
    }
    for i, row in enumerate(table.cells):
        for j, v in enumerate(row):
            assert v is None or v == counts[i][j]
    possible = _solutions(table)
    for (i, j), values in possible.items():
        assert counts[i][j] in values
        assert len(values) >= 2, ((i, j), values)


def test_a_table_that_cannot_be_protected_says_so() -> None:
    """One positive cell among zeros: whatever is hidden, the zeros cannot shrink, so the grand
    total gives the cell away; it is reported as exposed, not published as protected."""
    table = sdc.suppress_table([[3, 0], [0, 0]], min_count=5)
    assert (0, 0) in table.exposed
    assert set(table.exposed) == {c for c, v in _solutions(table).items() if len(v) == 1}


# --- a realistic synthetic case file ------------------------------------------------------------


def test_synthetic_case_file_reaches_k_11(tmp_path: Path) -> None:
    rows = synthetic_cases()
    assert all(r["synthetic"] == SYNTHETIC_MARKER for r in rows)
    hierarchies = {q: sdc.hierarchy_from_config(c) for q, c in HIERARCHIES.items()}
    out = sdc.protect(
        rows, QUASI_IDENTIFIERS, k=11, hierarchies=hierarchies, sensitive="exploitation"
    )
    assert out.before.k_achieved < 11 and out.before.share_at_risk > 0.5  # a real problem
    path = tmp_path / "synthetic_cases_protected.csv"
    path.write_bytes(as_csv(out.records))

    # Independent check: read the released file back and count each combination of the
    # quasi-identifiers with a plain Counter.
    with path.open(newline="") as fh:
        released = list(csv.DictReader(fh))
    counts = Counter(tuple(r[q] for q in QUASI_IDENTIFIERS) for r in released)
    assert min(counts.values()) >= 11
    assert min(counts.values()) == out.after.k_achieved
    assert len(released) == len(rows) - out.records_removed
    assert out.records_removed < 0.05 * len(rows)  # the information lost stays small
    stars = sum(1 for r in released for q in QUASI_IDENTIFIERS if r[q] == "*")
    assert stars <= out.cells_suppressed + sum(
        len(released) for q, level in out.levels.items() if level >= hierarchies[q].levels
    )
    assert out.after.records_at_risk == 0
    assert out.after.l_achieved is not None and out.after.l_achieved >= 1
    # generalisation really happened, is reported, and shows in the file
    assert out.levels["age"] >= 1
    assert all("-" in r["age"] or r["age"] == "*" for r in released)
