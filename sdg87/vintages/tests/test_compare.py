"""Pure release comparison (no database)."""

from __future__ import annotations

import pytest

from sdg87.vintages.compare import compare_values


def test_revised_added_dropped_unchanged():
    """Values as in UN SDG extracts (Bangladesh SL_TLF_CHLDEA 12.6 -> 12.61 is a revision of
    0.01): each point lands in exactly one list, sorted by key."""
    old = {("BGD", 2013): 12.6, ("MEX", 2015): 8.4, ("NPL", 2014): 37.0}
    new = {("BGD", 2013): 12.61, ("MEX", 2015): 8.4, ("BGD", 2019): 5.9}
    diff = compare_values(old, new)
    (revised,) = diff.revised
    assert revised.key == ("BGD", 2013)
    assert revised.absolute == pytest.approx(0.01)
    assert revised.relative == pytest.approx(0.01 / 12.6)
    assert [c.key for c in diff.added] == [("BGD", 2019)]
    assert diff.added[0].absolute is None and diff.added[0].new == 5.9
    assert [c.key for c in diff.dropped] == [("NPL", 2014)]
    assert diff.dropped[0].old == 37.0 and diff.dropped[0].relative is None
    assert [c.key for c in diff.unchanged] == [("MEX", 2015)]
    assert [c.kind for c in diff.changes()] == ["revised", "added", "dropped"]


def test_relative_change_of_zero_and_negative_values():
    """A revision from zero has no relative size; relative to |old| for negative values."""
    diff = compare_values({("A", 1): 0.0, ("B", 1): -2.0}, {("A", 1): 1.0, ("B", 1): -1.0})
    by_key = {c.key: c for c in diff.revised}
    assert by_key[("A", 1)].relative is None
    assert by_key[("A", 1)].absolute == 1.0
    assert by_key[("B", 1)].relative == pytest.approx(0.5)
