"""The GCG page's reads on the real bundled data: each goal's inputs computed from live data
at a date, the Alliance measures, meetings and published counts (only verified rows)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from sdg87.alliance import gcg_selectors
from sdg87.alliance.goals import GoalStatus
from sdg87.alliance.models import (
    ChangeReview,
    Completion,
    CountSnapshot,
    GCGMeeting,
    Goal,
    GoalMetric,
    Milestone,
    MilestoneType,
    PathfinderCountry,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.indicators.models import Release

GOAL = "sdg-8-7-end-child-labour-2025"


def _row(as_of: date) -> gcg_selectors.GoalRow:
    return next(r for r in gcg_selectors.goal_rows(as_of=as_of) if r.goal.key == GOAL)


@pytest.mark.django_db
def test_child_labour_goal_is_loaded_from_its_source(bundled_data: None) -> None:
    goal = Goal.objects.select_related("series", "geography", "meeting").get(key=GOAL)
    assert goal.series is not None and goal.geography is not None and goal.meeting is not None
    assert (goal.series.code, goal.geography.code) == ("ILO_CL_NUM", "001")
    assert (goal.target_value, goal.target_date) == (0.0, date(2025, 12, 31))
    assert goal.meeting.event_type == "alliance_launch"
    assert goal.source_url.startswith("https://unstats.un.org/")
    assert "by 2025 end child labour in all its forms" in goal.quote
    assert goal.verification == "verified" and goal.description == ""


@pytest.mark.django_db
def test_child_labour_goal_at_three_dates(bundled_data: None) -> None:
    """Baseline: the published 2016 figure (151.6 million). Mid-2021: the 2020 estimate
    (160 million, published 2021) shows deterioration. Mid-2025: 138 million (2024) — limited
    progress. After 2025: the target date has passed without reaching zero."""
    row = _row(date(2021, 6, 10))
    assert row.baseline is not None and row.baseline.value == pytest.approx(151.6)
    assert row.baseline.on == date(2016, 12, 31)
    assert row.current is not None and row.current.value == pytest.approx(160.0)
    assert row.current.on == date(2020, 12, 31)
    assert row.result.status == GoalStatus.DETERIORATION
    release = Release.objects.get(code="ilo-unicef-cl-ge-2025")
    after = max(release.released_on or date(release.year, 12, 31), date(2025, 1, 1))
    row = _row(after)
    assert row.current is not None and row.current.value == pytest.approx(138.0)
    assert row.result.status == GoalStatus.LIMITED_PROGRESS
    assert _row(date(2026, 1, 2)).result.status == GoalStatus.NOT_ACHIEVED


@pytest.mark.django_db
def test_a_value_not_yet_published_at_the_date_is_not_used(bundled_data: None) -> None:
    """On the last day of 2020 the 2020 estimate was not out (released in 2021): the latest
    value known is the 2016 one, the baseline itself, so there is no pace to assess."""
    release = Release.objects.get(code="ilo-unicef-cl-ge-2021")
    assert (release.released_on or date(release.year, 1, 1)) > date(2020, 12, 31)
    row = _row(date(2020, 12, 31))
    assert row.current is not None and row.current.on == date(2016, 12, 31)
    assert row.result.status == GoalStatus.NO_DATA


@pytest.mark.django_db
def test_indicator_uses_public_releases_only(bundled_data: None) -> None:
    """Withdrawing the 2025 release from the public leaves 2020's 160 million as latest."""
    Release.objects.filter(code="ilo-unicef-cl-ge-2025").update(is_public=False)
    row = _row(date(2026, 6, 1))
    assert row.current is not None and row.current.value == pytest.approx(160.0)


@pytest.mark.django_db
def test_roadmaps_adopted_counts_public_dated_milestones(bundled_data: None) -> None:
    """A verified roadmap_adopted milestone counts from its date; an unverified one never."""
    day = date(2024, 5, 1)
    before = gcg_selectors.measures_at(as_of=day)[1].value.value
    country = PathfinderCountry.objects.exclude(
        country__pathfinder_milestones__kind=MilestoneType.ROADMAP
    ).first()
    assert country is not None
    Milestone.objects.create(
        country=country.country,
        kind=MilestoneType.ROADMAP,
        title="Roadmap adopted",
        date=day,
        verification=Verification.VERIFIED,
        source_url="https://example.org/roadmap",
    )
    Milestone.objects.create(
        country=country.country,
        kind=MilestoneType.ROADMAP,
        title="Roadmap adopted (rumour)",
        date=date(2020, 1, 1),
        verification=Verification.UNVERIFIED,
    )
    assert gcg_selectors.measures_at(as_of=day)[1].value.value == before + 1
    assert gcg_selectors.measures_at(as_of=date(2024, 4, 30))[1].value.value == before


@pytest.mark.django_db
def test_pathfinders_counted_from_their_commitment_date(bundled_data: None) -> None:
    """Countries with a known commitment date count from it; the others are told apart."""
    today = gcg_selectors.measures_at(as_of=date(2026, 1, 1))[0].value
    total = PathfinderCountry.objects.filter(
        verification__in=["verified", "verified_secondary", "verified_approx"]
    ).count()
    assert today.value + today.undated == total
    dated = PathfinderCountry.objects.exclude(commitment_date="").first()
    assert dated is not None
    start = date.fromisoformat((dated.commitment_date + "-01-01")[:10])
    assert gcg_selectors.measures_at(as_of=start)[0].value.value >= 1


@pytest.mark.django_db
def test_actions_done_by_latest_accepted_status_at_the_date(bundled_data: None) -> None:
    """Substantial from 2024-01-01 counts at 2024-06-01, not at 2023-12-31; a later accepted
    'limited' replaces it; a proposed 'complete' never counts."""
    user = get_user_model().objects.create_user("gcg-fp")
    action = RoadmapAction.objects.filter(live=True, verification=Verification.VERIFIED).first()
    assert action is not None

    def change(completion: str, as_of: date, review: str = ChangeReview.ACCEPTED) -> None:
        StatusChange.objects.create(
            action=action,
            completion=completion,
            as_of=as_of,
            evidence="Report",
            review=review,
            proposed_by=user,
        )

    def done(on: date) -> float:
        return gcg_selectors.measures_at(as_of=on)[2].value.value

    base = done(date(2030, 1, 1))
    change(Completion.SUBSTANTIAL, date(2024, 1, 1))
    assert done(date(2024, 6, 1)) == base + 1
    assert done(date(2023, 12, 31)) == base
    change(Completion.COMPLETE, date(2024, 2, 1), review=ChangeReview.PROPOSED)
    change(Completion.LIMITED, date(2024, 3, 1))
    assert done(date(2024, 2, 15)) == base + 1
    assert done(date(2024, 6, 1)) == base


@pytest.mark.django_db
def test_meetings_are_verified_rows_in_date_order(bundled_data: None) -> None:
    """The conflicting 6th meeting and the unverified rows are not listed; dated rows come in
    date order, the 7th meeting (19 May 2020) among them."""
    meetings = gcg_selectors.meeting_list()
    assert meetings
    assert all(
        m.verification in {"verified", "verified_secondary", "verified_approx"} for m in meetings
    )
    assert 6 not in [m.number for m in meetings]
    assert GCGMeeting.objects.filter(number=6).exists()
    assert any(m.number == 7 and m.date == date(2020, 5, 19) for m in meetings)
    dated = [m.date for m in meetings if m.date]
    assert dated == sorted(dated)


@pytest.mark.django_db
def test_counts_verified_only(bundled_data: None) -> None:
    CountSnapshot.objects.create(
        as_of="2024",
        metric="partner_organisations",
        value="999",
        source_url="https://example.org/",
        verification=Verification.UNVERIFIED,
    )
    values = [s.value for s in gcg_selectors.snapshot_list()]
    assert "999" not in values
    assert "231" in values


@pytest.mark.django_db
def test_goal_with_a_stated_baseline_uses_it(bundled_data: None) -> None:
    """A goal on a count with its baseline stated in the table keeps that baseline."""
    Goal.objects.create(
        key="test-pathfinders",
        title="Test",
        metric=GoalMetric.PATHFINDERS,
        baseline_value=0,
        baseline_date=date(2016, 1, 1),
        target_value=1000,
        target_date=date(2040, 1, 1),
        source_url="https://example.org/",
    )
    row = next(
        r
        for r in gcg_selectors.goal_rows(as_of=date(2025, 1, 1))
        if r.goal.key == "test-pathfinders"
    )
    assert row.baseline is not None and (row.baseline.value, row.baseline.on) == (
        0,
        date(2016, 1, 1),
    )
    assert row.result.status == GoalStatus.LIMITED_PROGRESS
