"""Progress to target: pure arithmetic on (year, value) points, no ORM.

Methods in plain words: docs/methods-progress.md. In short:

* only comparable observations are used: one series, both sexes (`_T`), one age band, one set
  of dimensions, one unit, one source; for a year published in several releases of that source
  the newest release wins (`select_comparable`);
* observed annual change = (last value - first value) / (last year - first year), in the
  series' unit per year (percentage points per year for percentages). This is the figure
  shown. A least-squares slope over all points is also returned when there are 3 or more;
* required annual change = (0 - last value) / (target year - last year);
* times faster = required / observed, only when the value is falling;
* year reached = the year the straight line through the last value at the observed pace
  reaches zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sdg87.indicators.targets import (
    CHILD_LABOUR_INDICATORS,
    CHILD_LABOUR_TARGET_YEAR,
    SDG_TARGET_YEAR,
)

PREFERRED_AGES = ("Y5T17", "_T")
EPSILON = 1e-9


class Status(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    REVERSING = "reversing"
    TARGET_REACHED = "target_reached"
    TARGET_YEAR_PASSED = "target_year_passed"


@dataclass(frozen=True, order=True)
class Point:
    year: int
    value: float


@dataclass(frozen=True)
class Progress:
    """Progress of one geography on one series toward `target_value` by `target_year`."""

    first: Point
    last: Point
    n_points: int
    target_year: int
    observed_annual_change: float
    slope_annual_change: float | None
    required_annual_change: float | None
    times_faster: float | None
    year_reached: int | None
    status: Status
    target_value: float = 0.0

    @property
    def at_current_pace(self) -> bool:
        """False when the value is not falling: the target is never reached at this pace."""
        return self.observed_annual_change < -EPSILON


def default_target_year(*, series_target_year: int | None, indicator_code: str | None) -> int:
    """The series' own target year, else the child labour target year for child labour
    indicators, else the SDG target year (sdg87.indicators.targets)."""
    if series_target_year:
        return int(series_target_year)
    if indicator_code in CHILD_LABOUR_INDICATORS:
        return CHILD_LABOUR_TARGET_YEAR
    return SDG_TARGET_YEAR


def least_squares_slope(points: Sequence[Point]) -> float | None:
    """Ordinary least-squares slope of value on year; None for fewer than 3 distinct years."""
    if len({p.year for p in points}) < 3:
        return None
    n = len(points)
    mean_x = sum(p.year for p in points) / n
    mean_y = sum(p.value for p in points) / n
    sxx = sum((p.year - mean_x) ** 2 for p in points)
    sxy = sum((p.year - mean_x) * (p.value - mean_y) for p in points)
    return sxy / sxx


def progress_compute(
    points: Iterable[Point | tuple[int, float]],
    *,
    target_year: int,
    target_value: float = 0.0,
) -> Progress | None:
    """Progress from comparable points (any order); None with fewer than two distinct years.

    Points with the same year are not allowed: choose one per year first (select_comparable).
    """
    pts = sorted(p if isinstance(p, Point) else Point(int(p[0]), float(p[1])) for p in points)
    if len({p.year for p in pts}) != len(pts):
        raise ValueError("one point per year expected")
    if len(pts) < 2:
        return None
    first, last = pts[0], pts[-1]
    observed = (last.value - first.value) / (last.year - first.year)
    slope = least_squares_slope(pts)
    remaining = target_value - last.value
    years_left = target_year - last.year
    required = remaining / years_left if years_left > 0 else None
    falling = observed < -EPSILON

    year_reached: int | None = None
    if last.value <= target_value + EPSILON:
        year_reached = last.year
    elif falling:
        # The first whole year in which the line through the last value reaches the target.
        year_reached = math.ceil(last.year + remaining / observed - EPSILON)

    times_faster: float | None = None
    if falling and required is not None and required < 0:
        times_faster = required / observed

    if last.value <= target_value + EPSILON:
        status = Status.TARGET_REACHED
    elif years_left <= 0:
        status = Status.TARGET_YEAR_PASSED
    elif observed > EPSILON:
        status = Status.REVERSING
    elif falling and year_reached is not None and year_reached <= target_year:
        status = Status.ON_TRACK
    else:
        status = Status.OFF_TRACK

    return Progress(
        first=first,
        last=last,
        n_points=len(pts),
        target_year=target_year,
        target_value=target_value,
        observed_annual_change=observed,
        slope_annual_change=slope,
        required_annual_change=required,
        times_faster=times_faster,
        year_reached=year_reached,
        status=status,
    )


@dataclass(frozen=True)
class Comparable:
    """The comparable points chosen from a geography's observations, and what was chosen."""

    points: list[Point]
    age: str
    unit: str
    dimensions_key: str
    source: str
    releases: list[str] = field(default_factory=list)  # release codes used, oldest first
    natures: list[str] = field(default_factory=list)  # nature flag per point, by year
    rows: list[Mapping[str, Any]] = field(default_factory=list)  # the chosen rows, by year


def _choose(values: Iterable[str], preferred: Sequence[str] = ()) -> str | None:
    counts = Counter(values)
    if not counts:
        return None
    for candidate in preferred:
        if counts.get(candidate, 0) >= 2:
            return candidate
    # most observations first, then the code for a stable choice
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def select_comparable(
    rows: Iterable[Mapping[str, Any]],
    *,
    age: str | None = None,
    dimensions_key: str = "",
    sex: str = "_T",
) -> Comparable | None:
    """Pick the comparable observations of ONE series and ONE geography.

    Rows are mappings with `year`, `value`, `unit`, `sex`, `age`, `dimensions_key`,
    `release` (code), `release_rank` (sortable: newer is larger), `source` (code) and optional
    `nature`. Kept: the given sex and dimensions; the given age band, else 5-17, else all
    ages, else the band with most years; the unit and source of the newest release; then one
    row per year, from the newest release that publishes that year.
    """
    candidates = [
        r
        for r in rows
        if r.get("sex", "_T") == sex and (r.get("dimensions_key") or "") == dimensions_key
    ]
    if not candidates:
        return None
    chosen_age = age or _choose((str(r.get("age", "_T")) for r in candidates), PREFERRED_AGES)
    candidates = [r for r in candidates if r.get("age", "_T") == chosen_age]
    if not candidates:
        return None
    newest = max(candidates, key=lambda r: r["release_rank"])
    unit, source = newest.get("unit", ""), newest.get("source", "")
    candidates = [r for r in candidates if r.get("unit", "") == unit and r.get("source") == source]
    by_year: dict[int, Mapping[str, Any]] = {}
    for row in candidates:
        year = int(row["year"])
        if year not in by_year or row["release_rank"] > by_year[year]["release_rank"]:
            by_year[year] = row
    chosen = [by_year[year] for year in sorted(by_year)]
    releases = list(dict.fromkeys(str(r["release"]) for r in chosen))
    return Comparable(
        points=[Point(int(r["year"]), float(r["value"])) for r in chosen],
        age=str(chosen_age),
        unit=str(unit),
        dimensions_key=dimensions_key,
        source=str(source),
        releases=releases,
        natures=[str(r.get("nature", "")) for r in chosen],
        rows=chosen,
    )
