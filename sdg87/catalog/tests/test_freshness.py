from datetime import UTC, datetime, timedelta

import pytest

from sdg87.catalog.freshness import NEEDS_UPDATE, Freshness, freshness_of, thresholds_for

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, Freshness.FRESH),
        (29, Freshness.FRESH),
        (30, Freshness.DUE),
        (43, Freshness.DUE),
        (44, Freshness.OVERDUE),
        (59, Freshness.OVERDUE),
        (60, Freshness.DELINQUENT),
        (400, Freshness.DELINQUENT),
    ],
)
def test_monthly_follows_hdx_thresholds(days: int, expected: Freshness) -> None:
    """Monthly data is due at 30 days, overdue at 44 and delinquent at 60 (HDX)."""
    last = NOW - timedelta(days=days)
    assert freshness_of(frequency="monthly", last_updated=last, now=NOW) == expected


def test_annual_thresholds_scale_proportionally() -> None:
    """Annual: due at 365 days, overdue at 365*44/30 = 535, delinquent at 730."""
    limits = thresholds_for("annual")
    assert limits is not None
    assert (limits.due.days, limits.overdue.days, limits.delinquent.days) == (365, 535, 730)
    assert freshness_of(frequency="annual", last_updated=NOW - timedelta(days=364), now=NOW) == (
        Freshness.FRESH
    )
    assert freshness_of(frequency="annual", last_updated=NOW - timedelta(days=600), now=NOW) == (
        Freshness.OVERDUE
    )


def test_weekly_and_quarterly() -> None:
    """Shorter and longer periods scale the same way."""
    assert freshness_of(frequency="weekly", last_updated=NOW - timedelta(days=8), now=NOW) == (
        Freshness.DUE
    )
    assert freshness_of(frequency="quarterly", last_updated=NOW - timedelta(days=140), now=NOW) == (
        Freshness.OVERDUE
    )


def test_never_is_historical_and_irregular_unscheduled() -> None:
    """A closed dataset is historical (never due, and not called fresh); an irregular one has
    no schedule to miss."""
    old = NOW - timedelta(days=5000)
    assert freshness_of(frequency="never", last_updated=old, now=NOW) == Freshness.HISTORICAL
    assert freshness_of(frequency="irregular", last_updated=old, now=NOW) == Freshness.UNSCHEDULED


@pytest.mark.parametrize("frequency", ["monthly", "annual", "quadrennial", "never", "irregular"])
def test_a_superseded_edition_is_never_delinquent(frequency: str) -> None:
    """However old, a superseded edition is 'superseded', never due, overdue or delinquent."""
    for last in (NOW - timedelta(days=6000), None):
        got = freshness_of(frequency=frequency, last_updated=last, now=NOW, superseded=True)
        assert got == Freshness.SUPERSEDED
        assert got not in NEEDS_UPDATE


def test_the_same_old_data_not_superseded_is_delinquent() -> None:
    """The rule still nags about the newest edition when it is behind its schedule."""
    old = NOW - timedelta(days=6000)
    assert freshness_of(frequency="quadrennial", last_updated=old, now=NOW) == (
        Freshness.DELINQUENT
    )


def test_never_updated_scheduled_data_is_delinquent() -> None:
    """Scheduled data without any update date counts as delinquent."""
    assert freshness_of(frequency="monthly", last_updated=None, now=NOW) == Freshness.DELINQUENT
