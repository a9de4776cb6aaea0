"""Progress-to-target arithmetic, checked by hand (see docs/methods-progress.md)."""

import pytest

from sdg87.indicators.analysis import (
    Comparable,
    Point,
    Progress,
    Status,
    default_target_year,
    least_squares_slope,
    progress_compute,
    select_comparable,
)


def compute(points, **kwargs) -> Progress:
    progress = progress_compute(points, **kwargs)
    assert progress is not None
    return progress


def select(rows, **kwargs) -> Comparable:
    comparable = select_comparable(rows, **kwargs)
    assert comparable is not None
    return comparable


def test_world_child_labour_2000_2020_against_2025():
    """16.0% (2000) -> 9.6% (2020): -0.32 pp/yr; zero by 2025 needs -1.92 pp/yr = 6x faster;
    at the current pace zero is reached in 2050 (9.6 / 0.32 = 30 years after 2020)."""
    p = compute([(2000, 16.0), (2020, 9.6)], target_year=2025)
    assert p.first == Point(2000, 16.0) and p.last == Point(2020, 9.6)
    assert p.observed_annual_change == pytest.approx(-0.32)
    assert p.slope_annual_change is None
    assert p.required_annual_change == pytest.approx(-1.92)
    assert p.times_faster == pytest.approx(6.0)
    assert p.year_reached == 2050
    assert p.status is Status.OFF_TRACK
    assert p.at_current_pace


def test_world_child_labour_ilo_series_2000_2024():
    """With the ILO-IPEC 2000-2012 points, 2020 and 2024 (8%): first/last change is
    (8 - 16) / 24 = -1/3 pp/yr; one year left needs -8 pp/yr, 24x faster; zero in 2048.
    Least squares over the six points (mean year 2011.33, mean value 12.0, Sxy = -139.2,
    Sxx = 429.33): slope -139.2 / 429.33 = -0.3242 pp/yr."""
    points = [(2000, 16.0), (2004, 14.2), (2008, 13.6), (2012, 10.6), (2020, 9.6), (2024, 8.0)]
    p = compute(points, target_year=2025)
    assert p.observed_annual_change == pytest.approx(-1 / 3)
    assert p.required_annual_change == pytest.approx(-8.0)
    assert p.times_faster == pytest.approx(24.0)
    assert p.year_reached == 2048
    assert p.n_points == 6
    assert p.slope_annual_change == pytest.approx(-0.3242, abs=1e-4)


def test_least_squares_slope_of_a_line_is_its_slope():
    assert least_squares_slope([Point(2000, 10), Point(2005, 8), Point(2010, 6)]) == (
        pytest.approx(-0.4)
    )
    assert least_squares_slope([Point(2000, 10), Point(2005, 8)]) is None


def test_on_track_when_current_pace_reaches_zero_in_time():
    """10 (2010) -> 4 (2020): -0.6/yr, needs -0.4/yr to 2030; zero in 2027 -> on track."""
    p = compute([(2010, 10.0), (2020, 4.0)], target_year=2030)
    assert p.status is Status.ON_TRACK
    assert p.year_reached == 2027
    assert p.times_faster == pytest.approx(2 / 3)


def test_rising_value_is_reversing_and_never_reached():
    """26.0 (2008) -> 27.5 (2019): +0.136/yr, 'not at the current pace'."""
    p = compute([(2008, 26.0), (2019, 27.5)], target_year=2025)
    assert p.status is Status.REVERSING
    assert p.year_reached is None and p.times_faster is None
    assert p.required_annual_change == pytest.approx(-27.5 / 6)
    assert not p.at_current_pace


def test_flat_value_is_off_track_without_multiplier():
    p = compute([(2016, 9.6), (2020, 9.6)], target_year=2025)
    assert p.status is Status.OFF_TRACK
    assert p.observed_annual_change == 0
    assert p.times_faster is None and p.year_reached is None


def test_target_year_passed_when_last_observation_is_at_or_after_it():
    p = compute([(2016, 10.0), (2026, 5.0)], target_year=2025)
    assert p.status is Status.TARGET_YEAR_PASSED
    assert p.required_annual_change is None and p.times_faster is None
    assert p.year_reached == 2036


def test_target_reached_when_last_value_is_zero():
    p = compute([(2010, 2.0), (2020, 0.0)], target_year=2030)
    assert p.status is Status.TARGET_REACHED
    assert p.year_reached == 2020


def test_needs_two_distinct_years_and_one_point_per_year():
    assert progress_compute([(2020, 9.6)], target_year=2025) is None
    with pytest.raises(ValueError):
        progress_compute([(2020, 9.6), (2020, 9.0)], target_year=2025)


def test_default_target_year():
    assert default_target_year(series_target_year=None, indicator_code="8.7.1") == 2025
    assert default_target_year(series_target_year=None, indicator_code="16.2.2") == 2030
    assert default_target_year(series_target_year=2025, indicator_code="GE-MS") == 2025


def _row(year, value, **kw):
    row = {
        "year": year,
        "value": value,
        "unit": "PERCENT",
        "sex": "_T",
        "age": "Y5T17",
        "dimensions_key": "",
        "release": "r1",
        "release_rank": 1,
        "source": "s",
        "nature": "C",
    }
    row.update(kw)
    return row


def test_select_comparable_keeps_like_with_like():
    """Other sexes, age bands, dimensions, units and sources are dropped; the newest release
    wins for a year published twice."""
    rows = [
        _row(2010, 20.0),
        _row(2012, 18.0),
        _row(2012, 17.5, release="r2", release_rank=2),
        _row(2014, 16.0, sex="F"),
        _row(2014, 30.0, age="Y5T14"),
        _row(2015, 15.0, dimensions_key="sector=AGR"),
        _row(2016, 99.0, unit="NUMBER"),
        _row(2018, 1.0, source="other"),
        _row(2019, 14.0, release="r2", release_rank=2, nature="CA"),
    ]
    c = select(rows)
    assert [(p.year, p.value) for p in c.points] == [(2010, 20.0), (2012, 17.5), (2019, 14.0)]
    assert c.age == "Y5T17" and c.unit == "PERCENT" and c.source == "s"
    assert c.releases == ["r1", "r2"]
    assert c.natures == ["C", "C", "CA"]


def test_select_comparable_chooses_age_band_with_most_years_without_5_17():
    rows = [_row(2010, 5.0, age="Y5T14"), _row(2015, 4.0, age="Y5T14"), _row(2012, 3, age="Y10T17")]
    c = select(rows)
    assert c.age == "Y5T14" and len(c.points) == 2
    assert select(rows, age="Y10T17").points == [Point(2012, 3.0)]
    assert select_comparable([]) is None
