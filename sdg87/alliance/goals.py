"""The status of a Global Coordinating Group goal at a date: pure arithmetic, no ORM.

Inputs are plain numbers and dates (sdg87.alliance.gcg_selectors reads them from live data):
a baseline (value, date), the current value with the date it refers to, the target (value,
date) and the date of the assessment.

The method is the ratio of Open SDG's progress methodology (Statistics Canada): observed pace
over the pace needed to reach the target on time, with its thresholds and categories. The
paces are linear (change per year), as in sdg87.indicators.analysis, because several of the
platform's targets are zero, where a compound growth rate means nothing:

* observed pace = (current - baseline) / years from baseline to current;
* required pace = (target - baseline) / years from baseline to target date;
* ratio = observed / required: >= 0.95 on track; >= 0.6 acceleration needed; >= 0 limited
  progress; < 0 deterioration (moved away from the target);
* achieved when the current value is at or beyond the target (in the target's direction);
* when the assessment date is past the target date and the target is not reached: not
  achieved; when there is no current value, no baseline, or no time between the baseline and
  the current value: not enough data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.core.ingest import ParseError, read_rows

EPSILON = 1e-9
DAYS_PER_YEAR = 365.25
ON_TRACK_RATIO = 0.95
ACCELERATION_RATIO = 0.6


class GoalStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_ACHIEVED = "not_achieved"
    NO_DATA = "insufficient_data"


STATUS_LABELS = {
    GoalStatus.ACHIEVED: gettext_lazy("target achieved"),
    GoalStatus.ON_TRACK: gettext_lazy("on track"),
    GoalStatus.ACCELERATION_NEEDED: gettext_lazy("progress made but acceleration needed"),
    GoalStatus.LIMITED_PROGRESS: gettext_lazy("limited progress"),
    GoalStatus.DETERIORATION: gettext_lazy("deterioration"),
    GoalStatus.NOT_ACHIEVED: gettext_lazy("target date passed, target not reached"),
    GoalStatus.NO_DATA: gettext_lazy("not enough data to assess"),
}


def ratio_category(ratio: float) -> GoalStatus:
    """Open SDG's category for the ratio of the observed to the required pace, the one place
    its thresholds are applied (GCG goals here, the Pathfinder trends in
    sdg87.alliance.selectors.progress_category): on track, acceleration needed, limited
    progress or deterioration."""
    if ratio >= ON_TRACK_RATIO:
        return GoalStatus.ON_TRACK
    if ratio >= ACCELERATION_RATIO:
        return GoalStatus.ACCELERATION_NEEDED
    if ratio >= 0:
        return GoalStatus.LIMITED_PROGRESS
    return GoalStatus.DETERIORATION


def goal_status_label(status: str) -> str:
    try:
        return str(STATUS_LABELS[GoalStatus(status)])
    except ValueError:
        return status


@dataclass(frozen=True)
class GoalResult:
    status: GoalStatus
    observed_per_year: float | None = None
    required_per_year: float | None = None
    ratio: float | None = None


def years_between(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def goal_status_compute(
    *,
    baseline_value: float | None,
    baseline_date: date | None,
    current_value: float | None,
    current_date: date | None,
    target_value: float,
    target_date: date,
    as_of: date,
) -> GoalResult:
    """The goal's status at `as_of` (see the module docstring for the method)."""
    if current_value is None or current_date is None:
        return GoalResult(GoalStatus.NO_DATA)
    if baseline_value is None or baseline_date is None:
        # Without a baseline the direction of progress is unknown: only an exact hit counts.
        if abs(current_value - target_value) <= EPSILON:
            return GoalResult(GoalStatus.ACHIEVED)
        status = GoalStatus.NOT_ACHIEVED if as_of > target_date else GoalStatus.NO_DATA
        return GoalResult(status)

    direction = (target_value > baseline_value) - (target_value < baseline_value)
    gap = (current_value - target_value) * direction
    if (direction == 0 and abs(current_value - target_value) <= EPSILON) or (
        direction != 0 and gap >= -EPSILON
    ):
        return GoalResult(GoalStatus.ACHIEVED)

    observed = required = ratio = None
    elapsed = years_between(baseline_date, current_date)
    horizon = years_between(baseline_date, target_date)
    if elapsed > 0:
        observed = (current_value - baseline_value) / elapsed
    if horizon > 0 and direction != 0:
        required = (target_value - baseline_value) / horizon
    if observed is not None and required is not None:
        ratio = observed / required

    if as_of > target_date:
        status = GoalStatus.NOT_ACHIEVED
    elif direction == 0:
        # The baseline was at the target and the value has moved away from it.
        status = GoalStatus.DETERIORATION
    elif ratio is None:
        status = GoalStatus.NO_DATA
    else:
        status = ratio_category(ratio)
    return GoalResult(status, observed_per_year=observed, required_per_year=required, ratio=ratio)


# The bundled goals table (data/alliance87/gcg_goals.csv; PROVENANCE-alliance.md).

GOAL_METRICS = frozenset({"pathfinders", "roadmaps_adopted", "actions_substantial", "indicator"})


@dataclass(frozen=True)
class GoalRow:
    key: str
    title: str
    metric: str
    series_code: str
    geography_code: str
    baseline_date: date | None
    baseline_value: float | None
    target_value: float
    target_date: date
    meeting_event_type: str
    meeting_date: date | None
    source_url: str
    quote: str
    verification: str
    notes: str


def _float(text: str, *, row: int, column: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ParseError(_("not a number"), row=row, column=column) from None


def _day(text: str, *, row: int, column: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParseError(_("not a date (YYYY-MM-DD)"), row=row, column=column) from None


def parse_goals(text: str) -> list[GoalRow]:
    """Rows of gcg_goals.csv. A goal needs a numeric target and a target date (a goal
    without them is not a row of this table); an indicator goal needs its series and place."""
    required = (
        "goal_key",
        "title",
        "metric",
        "target_value",
        "target_date",
        "source_url",
        "quote",
        "verification_status",
    )
    out = []
    for number, row in read_rows(text, required=required):
        metric = row["metric"]
        if metric not in GOAL_METRICS:
            raise ParseError(
                _("unknown value %(value)s") % {"value": repr(metric)}, row=number, column="metric"
            )
        if metric == "indicator" and not (row.get("series_code") and row.get("geography_code")):
            raise ParseError(
                _("an indicator goal needs a series and a geography"),
                row=number,
                column="series_code",
            )
        target_value = _float(row["target_value"], row=number, column="target_value")
        target_date = _day(row["target_date"], row=number, column="target_date")
        if target_value is None or target_date is None:
            raise ParseError(_("a goal needs a target value and date"), row=number)
        out.append(
            GoalRow(
                key=row["goal_key"],
                title=row["title"],
                metric=metric,
                series_code=row.get("series_code", ""),
                geography_code=row.get("geography_code", ""),
                baseline_date=_day(
                    row.get("baseline_date", ""), row=number, column="baseline_date"
                ),
                baseline_value=_float(
                    row.get("baseline_value", ""), row=number, column="baseline_value"
                ),
                target_value=target_value,
                target_date=target_date,
                meeting_event_type=row.get("meeting_event_type", ""),
                meeting_date=_day(row.get("meeting_date", ""), row=number, column="meeting_date"),
                source_url=row["source_url"],
                quote=row["quote"],
                verification=row["verification_status"],
                notes=row.get("notes", ""),
            )
        )
    return out
