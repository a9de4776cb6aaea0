"""Hand-checked cases of the goal status arithmetic (sdg87.alliance.goals) and of the parser
of data/alliance87/gcg_goals.csv. No database."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sdg87.alliance.goals import GoalStatus, goal_status_compute, parse_goals
from sdg87.core.ingest import ParseError

D0 = date(2001, 1, 1)  # 2001-2010 hold no 29 February before 2004: days counted below


def at(days: int) -> date:
    return D0 + timedelta(days=days)


def up(current: float, *, current_days: int = 365, as_of_days: int = 400) -> GoalStatus:
    """Baseline 0 on D0, target 100 ten "years" (3650 days) later; current after a year."""
    return goal_status_compute(
        baseline_value=0,
        baseline_date=D0,
        current_value=current,
        current_date=at(current_days),
        target_value=100,
        target_date=at(3650),
        as_of=at(as_of_days),
    ).status


def test_ratio_thresholds_of_open_sdg():
    """After 1 of 10 years the pace needed is 10 a year: 9.5 is 95% (on track), 9.49 is not;
    6 is 60% (acceleration needed); 0 is no progress (limited); below 0 is deterioration."""
    assert up(9.5) == GoalStatus.ON_TRACK
    assert up(9.49) == GoalStatus.ACCELERATION_NEEDED
    assert up(6.0) == GoalStatus.ACCELERATION_NEEDED
    assert up(5.99) == GoalStatus.LIMITED_PROGRESS
    assert up(0.0) == GoalStatus.LIMITED_PROGRESS
    assert up(-0.1) == GoalStatus.DETERIORATION


def test_ratio_is_observed_over_required_pace():
    """Half the pace needed gives a ratio of 0.5 with both paces per year of 365.25 days."""
    result = goal_status_compute(
        baseline_value=0,
        baseline_date=D0,
        current_value=5,
        current_date=at(365),
        target_value=100,
        target_date=at(3650),
        as_of=at(365),
    )
    assert result.ratio == pytest.approx(0.5)
    assert result.observed_per_year == pytest.approx(5 * 365.25 / 365)
    assert result.required_per_year == pytest.approx(100 * 365.25 / 3650)
    assert result.status == GoalStatus.LIMITED_PROGRESS


def test_achieved_at_or_beyond_the_target_even_after_the_target_date():
    assert up(100) == GoalStatus.ACHIEVED
    assert up(120) == GoalStatus.ACHIEVED
    assert up(100, as_of_days=5000) == GoalStatus.ACHIEVED


def test_target_date_passed_without_reaching_it():
    """Past the target date a goal not reached is 'not achieved', whatever the pace."""
    assert up(99, current_days=3000, as_of_days=3651) == GoalStatus.NOT_ACHIEVED


def test_child_labour_goal_by_hand():
    """SDG 8.7 on the world estimate: 151.6 million (2016) to 138 million (2024), zero by
    the end of 2025. 2016-12-31 to 2024-12-31 is 2,922 days (8.0 years of 365.25 days):
    -1.7 a year; to 2025-12-31, 3,287 days: -151.6 / 8.9993 = -16.846 a year needed;
    ratio 0.1009: limited progress in mid-2025, not achieved once 2025 is over."""
    kwargs: dict[str, Any] = dict(
        baseline_value=151.6,
        baseline_date=date(2016, 12, 31),
        current_value=138.0,
        current_date=date(2024, 12, 31),
        target_value=0.0,
        target_date=date(2025, 12, 31),
    )
    mid_2025 = goal_status_compute(**kwargs, as_of=date(2025, 6, 1))
    assert mid_2025.observed_per_year == pytest.approx(-1.7)
    assert mid_2025.required_per_year == pytest.approx(-16.8457, abs=1e-4)
    assert mid_2025.ratio == pytest.approx(0.10092, abs=1e-5)
    assert mid_2025.status == GoalStatus.LIMITED_PROGRESS
    assert goal_status_compute(**kwargs, as_of=date(2026, 1, 1)).status == (GoalStatus.NOT_ACHIEVED)


def test_going_away_from_a_falling_target_is_deterioration():
    """160 million in 2020 after 151.6 million in 2016: the value rose, the target is zero."""
    result = goal_status_compute(
        baseline_value=151.6,
        baseline_date=date(2016, 12, 31),
        current_value=160.0,
        current_date=date(2020, 12, 31),
        target_value=0.0,
        target_date=date(2025, 12, 31),
        as_of=date(2021, 6, 10),
    )
    assert result.status == GoalStatus.DETERIORATION
    assert result.ratio is not None and result.ratio < 0


def test_not_enough_data():
    """No current value; no baseline (direction unknown); no time since the baseline."""
    assert (
        goal_status_compute(
            baseline_value=1,
            baseline_date=D0,
            current_value=None,
            current_date=None,
            target_value=0,
            target_date=at(3650),
            as_of=at(10),
        ).status
        == GoalStatus.NO_DATA
    )
    assert (
        goal_status_compute(
            baseline_value=None,
            baseline_date=None,
            current_value=5,
            current_date=at(10),
            target_value=0,
            target_date=at(3650),
            as_of=at(10),
        ).status
        == GoalStatus.NO_DATA
    )
    assert up(5, current_days=0, as_of_days=10) == GoalStatus.NO_DATA


def test_without_a_baseline_only_an_exact_hit_is_achieved():
    result = goal_status_compute(
        baseline_value=None,
        baseline_date=None,
        current_value=0,
        current_date=at(10),
        target_value=0,
        target_date=at(3650),
        as_of=at(10),
    )
    assert result.status == GoalStatus.ACHIEVED


HEADER = (
    "goal_key,title,metric,series_code,geography_code,baseline_date,baseline_value,"
    "target_value,target_date,meeting_event_type,meeting_date,source_url,quote,"
    "verification_status,notes\n"
)


def test_bundled_goals_file_parses():
    """The bundled table holds SDG 8.7's child labour goal: zero by the end of 2025, world."""
    data = Path(__file__).resolve().parents[3] / "data" / "alliance87" / "gcg_goals.csv"
    rows = parse_goals(data.read_text(encoding="utf-8"))
    goal = next(r for r in rows if r.key == "sdg-8-7-end-child-labour-2025")
    assert (goal.metric, goal.series_code) == ("indicator", "ILO_CL_NUM")
    assert goal.geography_code == "001"
    assert (goal.target_value, goal.target_date) == (0.0, date(2025, 12, 31))
    assert goal.baseline_value is None and goal.baseline_date == date(2016, 9, 21)
    assert "by 2025 end child labour in all its forms" in goal.quote
    assert all(row.source_url and row.quote for row in rows)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("g,T,pathfinders,,,,,,2030-01-01,,,https://x.org,q,verified,\n", None),
        ("g,T,pathfinders,,,,,30,2030,,,https://x.org,q,verified,\n", "target_date"),
        ("g,T,partners,,,,,30,2030-01-01,,,https://x.org,q,verified,\n", "metric"),
        ("g,T,indicator,,001,,,0,2030-01-01,,,https://x.org,q,verified,\n", "series_code"),
        ("g,T,pathfinders,,,,many,30,2030-01-01,,,https://x.org,q,verified,\n", "baseline_value"),
    ],
)
def test_a_goal_without_a_numeric_target_or_with_a_bad_cell_is_refused(row, column):
    with pytest.raises(ParseError) as error:
        parse_goals(HEADER + row)
    assert error.value.row == 2
    assert error.value.column == column
