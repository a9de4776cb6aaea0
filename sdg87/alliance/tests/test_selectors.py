"""The reads behind the public Pathfinder pages, on the real bundled data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sdg87.alliance import selectors
from sdg87.alliance.models import (
    ChangeReview,
    Completion,
    Milestone,
    NationalTarget,
    PathfinderCountry,
    Potential,
    Rating,
    Reply,
    ReplySubject,
    ReviewStatus,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.alliance.selectors import Category, progress_category
from sdg87.indicators.analysis import progress_compute
from sdg87.indicators.models import Series

# --- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "target_year", "expected"),
    [
        # falls 1 a year; needs 10/10 = 1 a year: ratio 1.0 -> on track
        ([(2010, 20.0), (2020, 10.0)], 2030, Category.ON_TRACK),
        # falls 1 a year; needs 10/5 = 2 a year: ratio 0.5 -> limited progress
        ([(2010, 20.0), (2020, 10.0)], 2025, Category.LIMITED_PROGRESS),
        # falls 1 a year; needs 10/7 a year: ratio 0.7 -> acceleration needed
        ([(2010, 20.0), (2020, 10.0)], 2027, Category.ACCELERATION_NEEDED),
        # rises: deterioration
        ([(2010, 10.0), (2020, 12.0)], 2025, Category.DETERIORATION),
        # flat: ratio 0 -> limited progress (0 <= R < 60 %)
        ([(2010, 10.0), (2020, 10.0)], 2025, Category.LIMITED_PROGRESS),
        # zero reached
        ([(2010, 5.0), (2020, 0.0)], 2025, Category.TARGET_ACHIEVED),
        # latest value in the target year: no required pace, no category
        ([(2010, 20.0), (2025, 10.0)], 2025, None),
    ],
)
def test_progress_category_uses_open_sdg_thresholds(
    points: list[tuple[int, float]], target_year: int, expected: Category | None
) -> None:
    """Ratio of observed to required yearly change: >= 0.95 on track, 0.6-0.95 acceleration
    needed, 0-0.6 limited progress, < 0 deterioration; zero reached = target achieved."""
    progress = progress_compute(points, target_year=target_year)
    assert progress is not None
    assert progress_category(progress) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0.0), ("12.5", 12.5), ("12.5%", 12.5), (" 3 ", 3.0), ("eliminated", None)],
)
def test_numeric_target_only_for_bare_numbers(text: str, value: float | None) -> None:
    assert selectors.numeric_target(text) == value


def test_numeric_target_refuses_sentences_with_numbers() -> None:
    """A target in words is never turned into a number for a chart line."""
    assert selectors.numeric_target("reduce by 4% (from 22.8%)") is None
    assert selectors.numeric_target("25 (fiscal year 2020-21)") is None


# --- the comparison table ---------------------------------------------------------------------


def _uganda_actions() -> list[RoadmapAction]:
    return list(RoadmapAction.objects.filter(plan__country__iso3="UGA").order_by("pk"))


def _user(name: str) -> Any:
    return get_user_model().objects.create_user(name, f"{name}@example.org", "pw-" + name)


def _accept(action: RoadmapAction, completion: str, as_of: date, **extra: Any) -> StatusChange:
    return StatusChange.objects.create(
        action=action,
        completion=completion,
        as_of=as_of,
        evidence="Report of the National Steering Committee",
        evidence_url="https://example.org/evidence",
        review=extra.pop("review", ChangeReview.ACCEPTED),
        **extra,
    )


@pytest.mark.django_db
def test_list_has_one_row_per_public_pathfinder(bundled_data: None) -> None:
    """Every verified Pathfinder Country, once; none other."""
    rows = selectors.pathfinder_list()
    iso3s = [r.country.iso3 for r in rows]
    assert (
        len(iso3s)
        == len(set(iso3s))
        == PathfinderCountry.objects.filter(
            verification__in=["verified", "verified_secondary", "verified_approx"]
        ).count()
    )
    assert {"UGA", "NPL", "PER", "LKA", "KEN", "FRA"} <= set(iso3s)
    names = [r.country.name.casefold() for r in rows]
    assert names == sorted(names)


@pytest.mark.django_db
def test_list_counts_only_shown_milestones_and_public_actions(bundled_data: None) -> None:
    """Uganda: 8 milestone rows of which 1 unverified -> 7; 8 actions. Malawi: 2 action rows,
    one unverified -> 1. Nigeria: the conflicting and the unverified milestone are not counted."""
    rows = {r.country.iso3: r for r in selectors.pathfinder_list()}
    assert Milestone.objects.filter(country__iso3="UGA").count() == 8
    assert rows["UGA"].milestones == 7
    assert rows["UGA"].actions == 8
    assert RoadmapAction.objects.filter(plan__country__iso3="MWI").count() == 2
    assert rows["MWI"].actions == 1
    nga_shown = Milestone.objects.filter(
        country__iso3="NGA", verification__in=["verified", "verified_secondary", "verified_approx"]
    ).count()
    assert rows["NGA"].milestones == nga_shown == 6
    latest = rows["UGA"].latest_milestone
    assert latest is not None and latest.date == date(2022, 12, 1)


@pytest.mark.django_db
def test_share_done_uses_latest_accepted_status_only(bundled_data: None) -> None:
    """No accepted status: no share (not 0 %). One action substantially complete by its
    latest accepted status (an older 'limited' and a newer, only proposed 'not started' do
    not count): 1 of 8."""
    uga = {r.country.iso3: r for r in selectors.pathfinder_list()}["UGA"]
    assert uga.share_done is None and uga.actions_reported == 0
    first, second = _uganda_actions()[:2]
    proposer = _user("fp")
    _accept(first, Completion.LIMITED, date(2022, 1, 1), proposed_by=proposer)
    _accept(first, Completion.SUBSTANTIAL, date(2023, 1, 1), proposed_by=proposer)
    _accept(
        first,
        Completion.NOT_STARTED,
        date(2024, 1, 1),
        proposed_by=proposer,
        review=ChangeReview.PROPOSED,
    )
    _accept(second, Completion.LIMITED, date(2023, 1, 1), proposed_by=proposer)
    uga = {r.country.iso3: r for r in selectors.pathfinder_list()}["UGA"]
    assert (uga.actions_reported, uga.actions_done, uga.actions) == (2, 1, 8)
    assert uga.share_done == pytest.approx(1 / 8)


@pytest.mark.django_db
def test_sorting_puts_empty_cells_last_both_ways(bundled_data: None) -> None:
    """By milestones, largest first: Sri Lanka (12 shown). By 8.7.1 value either way,
    the countries without a figure come last."""
    by_milestones = selectors.pathfinder_list(sort="milestones", descending=True)
    assert by_milestones[0].country.iso3 == "LKA"
    counts = [r.milestones for r in by_milestones]
    assert counts == sorted(counts, reverse=True)
    for descending in (False, True):
        rows = selectors.pathfinder_list(sort="value", descending=descending)
        values = [r.child_labour.latest.value for r in rows if r.child_labour is not None]
        assert values == sorted(values, reverse=descending)
        empties = [r.child_labour is None for r in rows]
        assert empties == sorted(empties)  # False (filled) first, then True
        assert any(empties)
    unknown = selectors.pathfinder_list(sort="nonsense")
    assert [r.country.iso3 for r in unknown] == [
        r.country.iso3 for r in selectors.pathfinder_list()
    ]


@pytest.mark.django_db
def test_child_labour_figure_for_uganda(bundled_data: None) -> None:
    """SDG 8.7.1 (economic activity), both sexes, ages 5-17: 15.2 % in 2012, 13.2 % in 2017 —
    falling 0.4 points a year where 13.2/8 = 1.65 a year was needed by 2025: limited progress,
    about 4.1 times faster needed."""
    uga = {r.country.iso3: r for r in selectors.pathfinder_list()}["UGA"]
    figure = uga.child_labour
    assert figure is not None
    assert figure.series.code == "SL_TLF_CHLDEA"
    assert figure.age == "Y5T17"
    assert [(p.year, p.value) for p in figure.points] == [(2012, 15.2), (2017, 13.2)]
    assert figure.latest_release is not None
    assert figure.progress is not None
    assert figure.progress.times_faster == pytest.approx(4.125)
    assert figure.category == Category.LIMITED_PROGRESS


# --- one country ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_none_for_non_pathfinders(bundled_data: None) -> None:
    assert selectors.pathfinder_detail(iso3="XXX") is None
    assert selectors.pathfinder_detail(iso3="GBR") is None  # a country, not a Pathfinder
    assert selectors.pathfinder_detail(iso3="uga") is not None


@pytest.mark.django_db
def test_detail_leaves_out_unverified_and_conflicting_rows(bundled_data: None) -> None:
    """Nigeria's conflicting and unverified milestones and Malawi's unverified action are
    not in the accountability view."""
    nga = selectors.pathfinder_detail(iso3="NGA")
    assert nga is not None
    assert {m.verification for m in nga.milestones} <= {
        Verification.VERIFIED,
        Verification.SECONDARY,
        Verification.APPROX,
    }
    assert len(nga.milestones) == 6
    mwi = selectors.pathfinder_detail(iso3="MWI")
    assert mwi is not None
    assert [a.action.key for a in mwi.actions] == ["mwi-2"]


@pytest.mark.django_db
def test_detail_groups_uganda_actions_by_plan_and_area(bundled_data: None) -> None:
    """Uganda's 8 actions come in 3 plans; NAP II has 6 priority areas; the completion table
    counts each action once, under 'no status reported' when none is accepted."""
    detail = selectors.pathfinder_detail(iso3="UGA")
    assert detail is not None
    assert len(detail.actions) == 8
    nap = next(p for p in detail.plans if "NAP II" in p.plan.title)
    assert nap.action_count == 6
    assert len(nap.areas) == 6
    total = sum(n for _plan, area in detail.completion_rows for _c, n in area.counts)
    assert total == 8
    assert all(dict(area.counts)[""] == len(area.actions) for _p, area in detail.completion_rows)
    # milestones in date order, the unverified (undated) one absent
    dates = [m.date for m in detail.milestones if m.date is not None]
    assert len(dates) == len(detail.milestones) and dates == sorted(dates)
    assert len(detail.milestones) == 7


@pytest.mark.django_db
def test_overdue_is_past_end_date_and_not_complete(bundled_data: None) -> None:
    """An action whose end date has passed is overdue until an accepted 'complete' status."""
    action = _uganda_actions()[0]
    RoadmapAction.objects.filter(pk=action.pk).update(end_date=date(2025, 6, 30))
    today = date(2026, 1, 1)
    detail = selectors.pathfinder_detail(iso3="UGA", today=today)
    assert detail is not None
    assert [a.action.pk for a in detail.overdue] == [action.pk]
    _accept(action, Completion.COMPLETE, date(2025, 12, 1), proposed_by=_user("fp"))
    detail = selectors.pathfinder_detail(iso3="UGA", today=today)
    assert detail is not None and detail.overdue == []


@pytest.mark.django_db
def test_self_report_and_rating_kept_apart(bundled_data: None) -> None:
    """The accepted self-report and the independent rating of the same action are both
    there, each as entered: 'complete' reported, 'limited' rated."""
    action = _uganda_actions()[2]
    _accept(action, Completion.COMPLETE, date(2024, 3, 1), proposed_by=_user("fp"))
    rating = Rating.objects.create(
        action=action,
        completion=Completion.LIMITED,
        potential=Potential.MODEST,
        reason="The committee met once; no district plans were seen.",
        reviewer=_user("rev"),
    )
    Reply.objects.create(
        country=action.plan.country,
        subject=ReplySubject.RATING,
        subject_ref=str(rating.pk),
        title="Response of the Ministry",
        text="District plans were adopted in 12 districts.",
        status=ReviewStatus.PUBLISHED,
        live=True,
        published_at=timezone.now(),
    )
    detail = selectors.pathfinder_detail(iso3="UGA")
    assert detail is not None
    view = next(a for a in detail.actions if a.action.pk == action.pk)
    assert view.status is not None and view.status.completion == Completion.COMPLETE
    assert view.rating is not None and view.rating.completion == Completion.LIMITED
    assert [r.title for r in view.rating_reply_list] == ["Response of the Ministry"]


@pytest.mark.django_db
def test_replies_beside_assessments_only_when_live(bundled_data: None) -> None:
    """A live reply to the TIP tier is shown with Uganda's latest tier; a draft is not."""
    uga = PathfinderCountry.objects.get(country__iso3="UGA").country
    Reply.objects.create(
        country=uga,
        subject=ReplySubject.TIP_TIER,
        title="Our anti-trafficking record",
        text="In full.",
        status=ReviewStatus.PUBLISHED,
        live=True,
        published_at=timezone.now(),
    )
    Reply.objects.create(
        country=uga, subject=ReplySubject.DOL_LEVEL, title="Draft", text="Not yet.", live=False
    )
    detail = selectors.pathfinder_detail(iso3="UGA")
    assert detail is not None
    by_subject = {a.subject: a for a in detail.assessments}
    tip = by_subject[ReplySubject.TIP_TIER]
    assert tip.assessment is not None
    assert [r.title for r in tip.replies] == ["Our anti-trafficking record"]
    assert by_subject[ReplySubject.DOL_LEVEL].replies == []


@pytest.mark.django_db
def test_national_target_line_only_for_the_same_series_and_a_number(bundled_data: None) -> None:
    """The bundled targets are in words and on other measures: no line. A target of 5 (%) on
    SL_TLF_CHLDEA by 2030 is drawn; the same on SL_TLF_CHLDEC is not."""
    detail = selectors.pathfinder_detail(iso3="UGA")
    assert detail is not None
    assert len(detail.targets) == 3
    assert detail.national_target_lines == []
    uga = detail.country
    common = {
        "country": uga,
        "indicator": "child labour 5-17",
        "target_year": 2030,
        "target_value": "5",
        "source_url": "https://example.org/plan",
        "quote": "reduce child labour to 5% by 2030",
        "verification": Verification.VERIFIED,
    }
    NationalTarget.objects.create(series=Series.objects.get(code="SL_TLF_CHLDEA"), **common)
    NationalTarget.objects.create(series=Series.objects.get(code="SL_TLF_CHLDEC"), **common)
    detail = selectors.pathfinder_detail(iso3="UGA")
    assert detail is not None
    assert [(line.value, line.year) for line in detail.national_target_lines] == [(5.0, 2030)]
    line = detail.national_target_lines[0]
    assert line.progress is not None and line.progress.target_value == 5.0


@pytest.mark.django_db
def test_overdue_needs_an_end_date(bundled_data: None) -> None:
    """Bundled actions have no end dates: nothing is overdue for Uganda as loaded."""
    detail = selectors.pathfinder_detail(iso3="UGA", today=date(2036, 1, 1))
    assert detail is not None and detail.overdue == []
