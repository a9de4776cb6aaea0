"""Reads for the Global Coordinating Group page: meetings, published counts, and each goal's
inputs computed from live data at any date (the status arithmetic is sdg87.alliance.goals).

Metrics at a date `on`:

* `pathfinders`: public Pathfinder Countries whose commitment date (YYYY, YYYY-MM or a day;
  the first day of the period) is on or before `on`; those with no known date are counted
  apart (`undated`), never placed in time;
* `roadmaps_adopted`: countries with a public `roadmap_adopted` milestone dated on or before
  `on`;
* `actions_substantial`: public roadmap actions whose latest accepted status change with
  `as_of` on or before `on` is substantial or complete;
* `indicator`: the goal's series for its geography, public observations only, as chosen by the
  progress analysis (both sexes, one age band, no breakdown, one unit and source): the latest
  year on or before `on`'s year among releases published by `on` (released_on, else the
  release's year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery

from sdg87.alliance import visibility
from sdg87.alliance.goals import GoalResult, goal_status_compute
from sdg87.alliance.ingest import partial_date
from sdg87.alliance.models import (
    SHOWN,
    Completion,
    CountSnapshot,
    GCGMeeting,
    Goal,
    GoalAssessment,
    GoalMetric,
    MilestoneType,
)
from sdg87.core.ingest import ParseError
from sdg87.indicators.analysis import select_comparable
from sdg87.indicators.analysis_selectors import progress_observation_rows
from sdg87.indicators.models import Release

DONE = (Completion.SUBSTANTIAL, Completion.COMPLETE)


@dataclass(frozen=True)
class MetricValue:
    value: float
    on: date  # the date the value refers to (a year's value: 31 December of that year)
    undated: int = 0  # pathfinders: countries with no known date, not counted
    release: Release | None = None  # indicator: the release the value comes from
    unit: str = ""


def meeting_list() -> list[GCGMeeting]:
    """Public GCG meetings and Alliance-level events, oldest first (undated last)."""
    meetings = list(visibility.public_meetings())
    return sorted(meetings, key=lambda m: (m.date is None, m.date or date.min, m.number or 0))


def snapshot_list() -> list[CountSnapshot]:
    """The Alliance's published counts, verified only, by metric then date as published."""
    return list(CountSnapshot.objects.filter(verification__in=SHOWN).order_by("metric", "as_of"))


def assessment_list() -> list[GoalAssessment]:
    return list(GoalAssessment.objects.select_related("meeting").order_by("-as_of", "-id"))


def _pathfinders_on(on: date) -> MetricValue:
    counted = undated = 0
    for text in visibility.public_pathfinders().values_list("commitment_date", flat=True):
        try:
            day, _precision = partial_date(text, row=0, column="commitment_date")
        except ParseError:
            day = None
        if day is None:
            undated += 1
        elif day <= on:
            counted += 1
    return MetricValue(value=counted, on=on, undated=undated)


def _roadmaps_on(on: date) -> MetricValue:
    countries = (
        visibility.public_milestones()
        .filter(kind=MilestoneType.ROADMAP, date__isnull=False, date__lte=on)
        .values("country")
        .distinct()
        .count()
    )
    return MetricValue(value=countries, on=on)


def _actions_on(on: date) -> MetricValue:
    latest = (
        visibility.public_status_changes()
        .filter(action=OuterRef("pk"), as_of__lte=on)
        .order_by("-as_of", "-id")
        .values("completion")[:1]
    )
    count = (
        visibility.public_actions()
        .annotate(completion_then=Subquery(latest))
        .filter(completion_then__in=DONE)
        .count()
    )
    return MetricValue(value=count, on=on)


def _known_by(release: Release, on: date) -> bool:
    if release.released_on is not None:
        return release.released_on <= on
    return release.year <= on.year


def _indicator_on(goal: Goal, on: date, *, as_published_now: bool = False) -> MetricValue | None:
    """The series' value for the goal's place in the latest year up to `on`. With
    `as_published_now` (a baseline), every public release counts, not only those out by `on`."""
    if goal.series is None or goal.geography_id is None:
        return None
    rows = progress_observation_rows(series=goal.series, geography_ids=[goal.geography_id]).get(
        goal.geography_id, []
    )
    releases = {r.code: r for r in Release.objects.filter(code__in={r["release"] for r in rows})}
    usable = [
        r
        for r in rows
        if r["year"] <= on.year
        and r["release"] in releases
        and (as_published_now or _known_by(releases[r["release"]], on))
    ]
    comparable = select_comparable(usable)
    if comparable is None or not comparable.points:
        return None
    last, row = comparable.points[-1], comparable.rows[-1]
    return MetricValue(
        value=last.value,
        on=date(last.year, 12, 31),
        release=releases[str(row["release"])],
        unit=str(row.get("unit", "")),
    )


def metric_value(*, goal: Goal, on: date, baseline: bool = False) -> MetricValue | None:
    """The goal's metric from live data at `on` (None when nothing is known)."""
    if goal.metric == GoalMetric.PATHFINDERS:
        return _pathfinders_on(on)
    if goal.metric == GoalMetric.ROADMAPS:
        return _roadmaps_on(on)
    if goal.metric == GoalMetric.ACTIONS_DONE:
        return _actions_on(on)
    if goal.metric == GoalMetric.INDICATOR:
        return _indicator_on(goal, on, as_published_now=baseline)
    return None


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    as_of: date
    baseline: MetricValue | None
    current: MetricValue | None
    result: GoalResult
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The row as a published assessment keeps it (plain JSON, never recomputed)."""

        def value(v: MetricValue | None) -> dict[str, Any] | None:
            if v is None:
                return None
            return {
                "value": v.value,
                "date": v.on.isoformat(),
                "undated": v.undated,
                "release": v.release.code if v.release else "",
                "unit": v.unit,
            }

        return {
            "goal": self.goal.key,
            "title": self.goal.title,
            "metric": self.goal.metric,
            "series": self.goal.series.code if self.goal.series else "",
            "geography": self.goal.geography.code if self.goal.geography else "",
            "baseline": value(self.baseline),
            "current": value(self.current),
            "target_value": self.goal.target_value,
            "target_date": self.goal.target_date.isoformat(),
            "status": str(self.result.status),
            "ratio": self.result.ratio,
            "observed_per_year": self.result.observed_per_year,
            "required_per_year": self.result.required_per_year,
            "source_url": self.goal.source_url,
        }


def goal_baseline(*, goal: Goal) -> MetricValue | None:
    if goal.baseline_value is not None and goal.baseline_date is not None:
        return MetricValue(value=goal.baseline_value, on=goal.baseline_date)
    if goal.baseline_date is None:
        return None
    return metric_value(goal=goal, on=goal.baseline_date, baseline=True)


def goal_rows(*, as_of: date) -> list[GoalRow]:
    """Every goal's status at `as_of`, computed from live data."""
    out = []
    goals = Goal.objects.select_related("series", "geography", "meeting").order_by(
        "target_date", "key"
    )
    for goal in goals:
        baseline = goal_baseline(goal=goal)
        current = metric_value(goal=goal, on=as_of)
        result = goal_status_compute(
            baseline_value=baseline.value if baseline else None,
            baseline_date=baseline.on if baseline else None,
            current_value=current.value if current else None,
            current_date=current.on if current else None,
            target_value=goal.target_value,
            target_date=goal.target_date,
            as_of=as_of,
        )
        out.append(
            GoalRow(goal=goal, as_of=as_of, baseline=baseline, current=current, result=result)
        )
    return out


@dataclass(frozen=True)
class Measure:
    metric: str
    value: MetricValue


def measures_at(*, as_of: date) -> list[Measure]:
    """The Alliance-level counts computed live, shown without a target where no goal sets one."""
    return [
        Measure(metric=GoalMetric.PATHFINDERS, value=_pathfinders_on(as_of)),
        Measure(metric=GoalMetric.ROADMAPS, value=_roadmaps_on(as_of)),
        Measure(metric=GoalMetric.ACTIONS_DONE, value=_actions_on(as_of)),
    ]
