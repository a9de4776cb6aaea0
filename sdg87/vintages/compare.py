"""Comparing two releases of a series, data point by data point (pure: no ORM).

A point in both releases with a different value is *revised* (with the size of the revision,
absolute and relative to the older value); a point only in the newer is *added*; a point only
in the older is *dropped* (for editions that publish only their own reference years, "not
republished" rather than withdrawn); equal values are *unchanged*. Values are compared as
stored: 12.6 -> 12.61 is a revision of 0.01.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["revised", "added", "dropped", "unchanged"]


@dataclass(frozen=True)
class Change[K: Hashable]:
    key: K
    kind: Kind
    old: float | None
    new: float | None

    @property
    def absolute(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def relative(self) -> float | None:
        """Revision as a share of the older value; None where that is zero or missing."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / abs(self.old)


@dataclass
class Differences[K: Hashable]:
    revised: list[Change[K]] = field(default_factory=list)
    added: list[Change[K]] = field(default_factory=list)
    dropped: list[Change[K]] = field(default_factory=list)
    unchanged: list[Change[K]] = field(default_factory=list)

    def changes(self) -> list[Change[K]]:
        """Revised, added and dropped points, in that order."""
        return [*self.revised, *self.added, *self.dropped]


def compare_values[K: tuple[object, ...]](
    old: Mapping[K, float], new: Mapping[K, float]
) -> Differences[K]:
    """Point-by-point differences between two {point: value} mappings, each list in the
    order of the points' keys (tuples of comparable parts: geography, year, ...)."""
    out: Differences[K] = Differences()
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None:
            out.added.append(Change(key, "added", None, after))
        elif after is None:
            out.dropped.append(Change(key, "dropped", before, None))
        elif before != after:
            out.revised.append(Change(key, "revised", before, after))
        else:
            out.unchanged.append(Change(key, "unchanged", before, after))
    return out
