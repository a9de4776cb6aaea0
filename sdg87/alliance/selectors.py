"""Reads for the public Pathfinder pages: the comparison table of every Pathfinder Country and
one country's accountability view.

Everything starts from sdg87.alliance.visibility (what the public may see); nothing here
decides visibility again. Self-reported statuses and independent ratings are read side by
side and never merged. The child labour trend uses the platform's progress-to-target analysis
(sdg87.indicators.analysis) on SDG 8.7.1 (SL_TLF_CHLDEA): both sexes, ages 5-17 where the
country has them (else the age band `select_comparable` picks), one source, newest release per
year; its Open SDG category is the ratio of the observed to the required annual change, put
against Open SDG's thresholds by sdg87.alliance.goals.ratio_category, which the GCG goals use
too (docs: open-sdg/docs/progress-methodology.md: on track >= 95%,
acceleration needed 60-95%, limited progress 0-60%, deterioration < 0). The ratio is linear
rather than a compound growth rate because the target is zero, which no compound rate reaches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Prefetch
from django.utils import timezone

from sdg87.alliance import visibility
from sdg87.alliance.funding_selectors import CountryFunding, funding_for_country
from sdg87.alliance.goals import ratio_category
from sdg87.alliance.models import (
    ActionIndicator,
    ActionTextVersion,
    AnnualReport,
    AnnualReportEntry,
    Completion,
    Milestone,
    NationalTarget,
    PathfinderCountry,
    PathfinderStatus,
    Plan,
    Rating,
    Reply,
    ReplySubject,
    RoadmapAction,
    StatusChange,
)
from sdg87.assessments import selectors as assessment_selectors
from sdg87.geo.models import Geography
from sdg87.indicators.analysis import Point, Progress, Status, progress_compute, select_comparable
from sdg87.indicators.analysis_selectors import progress_observation_rows, series_target_year
from sdg87.indicators.models import Release, Series
from sdg87.indicators.selectors import observation_newest_by_geography, series_get

CHILD_LABOUR_SERIES = "SL_TLF_CHLDEA"
GSI_SERIES = "GSI_PREV_1000"
DONE = frozenset({Completion.SUBSTANTIAL, Completion.COMPLETE})
COMPLETION_ORDER: tuple[str, ...] = tuple(Completion.values)
STAGE_ORDER: tuple[str, ...] = tuple(PathfinderStatus.values)


class Category(StrEnum):
    """Open SDG's progress categories (shown next to the "N times faster" figure)."""

    TARGET_ACHIEVED = "target_achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"


CATEGORY_ORDER: tuple[str, ...] = tuple(Category)  # best first


def progress_category(progress: Progress) -> Category | None:
    """Open SDG's category for a progress result; None when the ratio cannot be formed (the
    latest value is from the target year or later, and the target is not reached)."""
    if progress.status == Status.TARGET_REACHED:
        return Category.TARGET_ACHIEVED
    required = progress.required_annual_change
    if required is None or required == 0:
        return None
    return Category(ratio_category(progress.observed_annual_change / required).value)


@dataclass(frozen=True)
class ChildLabourFigure:
    """A country's SDG 8.7.1 (economic activity) figures: the comparable points chosen by the
    analysis, the latest one with its release, and the progress toward zero when there are two
    years or more."""

    series: Series
    age: str
    unit: str
    points: list[Point]
    releases: list[Release | None]  # the release of each point, in point order
    progress: Progress | None
    category: Category | None

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def latest_release(self) -> Release | None:
        return self.releases[-1] if self.releases else None


# Any series' comparable figures for a country have the same shape.
SeriesFigure = ChildLabourFigure


def child_labour_figures(*, geographies: Sequence[Geography]) -> dict[int, ChildLabourFigure]:
    """{geography id: figure} for the geographies with SDG 8.7.1 (SL_TLF_CHLDEA) data."""
    series = series_get(code=CHILD_LABOUR_SERIES)
    if series is None or not geographies:
        return {}
    return series_figures(
        series=series,
        geographies=geographies,
        target_year=series_target_year(series=series),
    )


def series_figures(
    *,
    series: Series,
    geographies: Sequence[Geography],
    target_year: int | None,
    target_value: float = 0.0,
) -> dict[int, SeriesFigure]:
    """{geography id: figure} of one series, from the observations of public releases only
    (`Observation.objects`): the comparable points `select_comparable` picks (both sexes),
    the release of each, and the progress toward `target_value` by `target_year` (None
    without a target year or with fewer than two years)."""
    if not geographies:
        return {}
    geo_ids = [g.pk for g in geographies]
    rows_by_geo = progress_observation_rows(series=series, geography_ids=geo_ids)
    chosen: dict[int, tuple[list[Point], str, str, list[str], Progress | None]] = {}
    codes: set[str] = set()
    for geo_id, rows in rows_by_geo.items():
        comparable = select_comparable(rows)
        if comparable is None or not comparable.points:
            continue
        point_releases = [str(r["release"]) for r in comparable.rows]
        codes.update(point_releases)
        progress = (
            progress_compute(comparable.points, target_year=target_year, target_value=target_value)
            if len(comparable.points) >= 2 and target_year
            else None
        )
        chosen[geo_id] = (
            comparable.points,
            comparable.age,
            comparable.unit,
            point_releases,
            progress,
        )
    releases = {r.code: r for r in Release.objects.select_related("source").filter(code__in=codes)}
    return {
        geo_id: ChildLabourFigure(
            series=series,
            age=age,
            unit=unit,
            points=points,
            releases=[releases.get(c) for c in point_codes],
            progress=progress,
            category=progress_category(progress) if progress is not None else None,
        )
        for geo_id, (points, age, unit, point_codes, progress) in chosen.items()
    }


# --- the comparison table ----------------------------------------------------------------------


@dataclass(frozen=True)
class PathfinderRow:
    pathfinder: PathfinderCountry
    milestones: int
    latest_milestone: Milestone | None
    actions: int
    actions_reported: int  # with an accepted self-reported status
    actions_done: int  # whose latest accepted status is substantial or complete
    child_labour: ChildLabourFigure | None

    @property
    def country(self) -> Geography:
        return self.pathfinder.country

    @property
    def share_done(self) -> float | None:
        """Share of the actions substantially complete or complete; None when no action has
        an accepted status (nothing reported is not 0 %)."""
        if not self.actions or not self.actions_reported:
            return None
        return self.actions_done / self.actions


SORT_COLUMNS = (
    "country",
    "stage",
    "listed",
    "milestones",
    "latest_milestone",
    "actions",
    "done",
    "value",
    "year",
    "trend",
)


def _sort_value(row: PathfinderRow, column: str) -> tuple[object, ...] | None:
    """The value a column sorts by; None for an empty cell (always sorted last)."""
    cl = row.child_labour
    match column:
        case "stage":
            status = row.pathfinder.status
            return (STAGE_ORDER.index(status) if status in STAGE_ORDER else -1,)
        case "listed":
            return (row.pathfinder.listed_2025,)
        case "milestones":
            return (row.milestones,)
        case "latest_milestone":
            m = row.latest_milestone
            return (m.date,) if m is not None and m.date is not None else None
        case "actions":
            return (row.actions,)
        case "done":
            return (row.share_done,) if row.share_done is not None else None
        case "value":
            return (cl.latest.value,) if cl is not None else None
        case "year":
            return (cl.latest.year,) if cl is not None else None
        case "trend":
            if cl is None or cl.category is None:
                return None
            # best category first in ascending order
            return (-CATEGORY_ORDER.index(cl.category),)
    return None


def pathfinder_rows_sort(
    rows: Iterable[PathfinderRow], *, column: str, descending: bool
) -> list[PathfinderRow]:
    """Rows by one column (unknown columns: by country name); empty cells last in both
    directions; ties by country name."""
    by_name = sorted(rows, key=lambda r: r.country.name.casefold())
    if column not in SORT_COLUMNS or column == "country":
        return list(reversed(by_name)) if descending else by_name
    filled = [r for r in by_name if _sort_value(r, column) is not None]
    empty = [r for r in by_name if _sort_value(r, column) is None]
    filled.sort(key=lambda r: _sort_value(r, column) or (), reverse=descending)
    return filled + empty


def _latest_statuses(*, action_ids: Iterable[int]) -> dict[int, StatusChange]:
    """{action id: its latest accepted status change} (latest by `as_of`, then id)."""
    latest: dict[int, StatusChange] = {}
    for change in visibility.public_status_changes().filter(action_id__in=list(action_ids)):
        current = latest.get(change.action_id)
        if current is None or (change.as_of, change.pk) > (current.as_of, current.pk):
            latest[change.action_id] = change
    return latest


def pathfinder_list(*, sort: str = "country", descending: bool = False) -> list[PathfinderRow]:
    """Every public Pathfinder Country with its counts and SDG 8.7.1 figure, sorted."""
    pathfinders = list(visibility.public_pathfinders())
    geo_ids = [p.country_id for p in pathfinders]
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in visibility.public_milestones().filter(country_id__in=geo_ids):
        milestones[m.country_id].append(m)
    actions_by_geo: dict[int, list[int]] = defaultdict(list)
    for action_id, geo_id in visibility.public_actions().values_list("pk", "plan__country_id"):
        actions_by_geo[geo_id].append(action_id)
    latest = _latest_statuses(action_ids=[a for ids in actions_by_geo.values() for a in ids])
    figures = child_labour_figures(geographies=[p.country for p in pathfinders])
    rows = []
    for p in pathfinders:
        dated = [m for m in milestones[p.country_id] if m.date is not None]
        action_ids = actions_by_geo[p.country_id]
        statuses = [latest[a] for a in action_ids if a in latest]
        rows.append(
            PathfinderRow(
                pathfinder=p,
                milestones=len(milestones[p.country_id]),
                latest_milestone=max(dated, key=lambda m: (m.date, m.pk)) if dated else None,
                actions=len(action_ids),
                actions_reported=len(statuses),
                actions_done=sum(1 for s in statuses if s.completion in DONE),
                child_labour=figures.get(p.country_id),
            )
        )
    return pathfinder_rows_sort(rows, column=sort, descending=descending)


# --- one country -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorTrend:
    """An accepted indicator link of an action, with the series' published figures for the
    country (None: none published) and, when the national target is a number below the
    baseline (the analysis measures falls), the Open SDG category against it."""

    link: ActionIndicator
    figure: SeriesFigure | None
    progress: Progress | None
    category: Category | None


def indicator_trend(
    *, link: ActionIndicator, country: Geography, cache: dict[int, SeriesFigure | None]
) -> IndicatorTrend:
    """The trend of one linked series for the country; `cache` keeps each series' figure
    (several actions may name the same series)."""
    series = link.series
    figure: SeriesFigure | None = None
    if series is not None:
        if series.pk not in cache:
            cache[series.pk] = series_figures(
                series=series, geographies=[country], target_year=None
            ).get(country.pk)
        figure = cache[series.pk]
    progress = None
    falling_target = (
        link.target_value is not None
        and link.target_year is not None
        and link.baseline_value is not None
        and link.target_value < link.baseline_value
    )
    if figure is not None and falling_target and len(figure.points) >= 2:
        assert link.target_year is not None and link.target_value is not None
        progress = progress_compute(
            figure.points, target_year=link.target_year, target_value=link.target_value
        )
    return IndicatorTrend(
        link=link,
        figure=figure,
        progress=progress,
        category=progress_category(progress) if progress is not None else None,
    )


@dataclass(frozen=True)
class ActionView:
    """One action with its self-report and its independent rating, kept apart."""

    action: RoadmapAction
    indicators: list[ActionIndicator]
    history: list[StatusChange]  # accepted, newest first
    ratings: list[Rating]  # newest first
    rating_replies: dict[int, list[Reply]]  # rating id -> the government's replies
    overdue: bool
    trends: list[IndicatorTrend] = field(default_factory=list)  # links with a series

    @property
    def text_history(self) -> list[ActionTextVersion]:
        """The wordings the public has read, newest first (empty: only one so far)."""
        versions: list[ActionTextVersion] = getattr(self.action, "public_versions", [])
        return versions if len(versions) > 1 else []

    @property
    def status(self) -> StatusChange | None:
        return self.history[0] if self.history else None

    @property
    def rating(self) -> Rating | None:
        return self.ratings[0] if self.ratings else None

    @property
    def rating_reply_list(self) -> list[Reply]:
        """The government's replies to the current rating."""
        rating = self.rating
        return self.rating_replies.get(rating.pk, []) if rating is not None else []


@dataclass(frozen=True)
class AreaView:
    name: str
    actions: list[ActionView]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(completion, number of actions at it) on the OGP scale, then "" = none reported."""
        tally: defaultdict[str, int] = defaultdict(int)
        for a in self.actions:
            tally[a.status.completion if a.status else ""] += 1
        return [(c, tally[c]) for c in (*COMPLETION_ORDER, "")]


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    areas: list[AreaView]

    @property
    def action_count(self) -> int:
        return sum(len(area.actions) for area in self.areas)


@dataclass(frozen=True)
class NationalTargetLine:
    """A national target on the same measure as the 8.7.1 trend, with a numeric value."""

    target: NationalTarget
    value: float
    year: int
    progress: Progress | None
    category: Category | None


@dataclass(frozen=True)
class AssessmentView:
    """An outside assessment of the country (the latest one: a DOL Findings entry, a TIP tier
    placement or a GSI observation; None when the country has none) and the government's
    published replies to it, shown side by side."""

    subject: str
    assessment: object | None
    replies: list[Reply]


def country_assessments(
    *, country: Geography, replies: dict[str, list[Reply]]
) -> list[AssessmentView]:
    """The three outside assessments a government may answer, each with its replies; an
    assessment the country does not have is left out unless a reply answers it."""
    gsi = series_get(code=GSI_SERIES)
    latest = {
        ReplySubject.DOL_LEVEL: assessment_selectors.latest_assessment(
            country=country, covered_only=True
        ),
        ReplySubject.TIP_TIER: assessment_selectors.tier_history(country=country).last(),
        ReplySubject.GSI_ESTIMATE: (
            observation_newest_by_geography(
                series=gsi, sex="_T", age="_T", geography_ids=[country.pk]
            ).get(country.pk)
            if gsi is not None
            else None
        ),
    }
    return [
        AssessmentView(subject=subject, assessment=item, replies=replies.get(subject, []))
        for subject, item in latest.items()
        if item is not None or replies.get(subject)
    ]


@dataclass(frozen=True)
class PathfinderDetail:
    pathfinder: PathfinderCountry
    milestones: list[Milestone]
    plans: list[PlanView]
    overdue: list[ActionView]
    targets: list[NationalTarget]
    child_labour: ChildLabourFigure | None
    national_target_lines: list[NationalTargetLine]
    replies: dict[str, list[Reply]] = field(default_factory=dict)  # subject -> replies
    assessments: list[AssessmentView] = field(default_factory=list)
    today: date | None = None
    funding: CountryFunding | None = None  # resources committed (published commitments)
    reports: list[AnnualReport] = field(default_factory=list)  # published annual reports

    @property
    def country(self) -> Geography:
        return self.pathfinder.country

    @property
    def actions(self) -> list[ActionView]:
        return [a for plan in self.plans for area in plan.areas for a in area.actions]

    @property
    def completion_rows(self) -> list[tuple[PlanView, AreaView]]:
        return [(plan, area) for plan in self.plans for area in plan.areas]


_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")


def numeric_target(text: str) -> float | None:
    """The value of a target stated as a bare number ("0", "12.5", "12.5%"); None for words
    ("eliminated", "reduce by 4% (from 22.8%)")."""
    match = _NUMBER.match(text or "")
    return float(match.group(1)) if match else None


def national_target_lines(
    *, targets: Sequence[NationalTarget], figure: ChildLabourFigure | None
) -> list[NationalTargetLine]:
    """The national targets stated for the very series of the trend, with a numeric value and
    a year: only those may share its line (never a different measure)."""
    if figure is None:
        return []
    lines = []
    for target in targets:
        value = numeric_target(target.target_value)
        if target.series_id != figure.series.pk or value is None or not target.target_year:
            continue
        progress = (
            progress_compute(figure.points, target_year=target.target_year, target_value=value)
            if len(figure.points) >= 2
            else None
        )
        lines.append(
            NationalTargetLine(
                target=target,
                value=value,
                year=target.target_year,
                progress=progress,
                category=progress_category(progress) if progress is not None else None,
            )
        )
    return lines


def pathfinder_get(*, iso3: str) -> PathfinderCountry | None:
    """The public Pathfinder Country with that code, or None."""
    return visibility.public_pathfinders().filter(country__iso3=iso3.upper()).first()


def pathfinder_detail(*, iso3: str, today: date | None = None) -> PathfinderDetail | None:
    """One public Pathfinder Country's accountability view; None when `iso3` is not one."""
    pathfinder = pathfinder_get(iso3=iso3)
    if pathfinder is None:
        return None
    today = today or timezone.localdate()
    country = pathfinder.country
    milestones = sorted(
        visibility.public_milestones().filter(country=country),
        key=lambda m: (m.date is None, m.date or date.min, m.pk),
    )
    actions = list(
        visibility.public_actions()
        .filter(plan__country=country)
        .prefetch_related(
            "responsible_organisations",
            Prefetch(
                "indicators",
                queryset=visibility.public_action_indicators().select_related("series"),
            ),
            Prefetch(
                "text_versions",
                queryset=ActionTextVersion.objects.filter(published=True).order_by("-number"),
                to_attr="public_versions",
            ),
        )
        .order_by("plan__title", "priority_area", "pk")
    )
    action_ids = [a.pk for a in actions]
    history: dict[int, list[StatusChange]] = defaultdict(list)
    for change in (
        visibility.public_status_changes()
        .filter(action_id__in=action_ids)
        .select_related("evidence_publication")
        .order_by("-as_of", "-pk")
    ):
        history[change.action_id].append(change)
    ratings: dict[int, list[Rating]] = defaultdict(list)
    for rating in (
        visibility.public_ratings().filter(action_id__in=action_ids).order_by("-rated_at", "-pk")
    ):
        ratings[rating.action_id].append(rating)
    replies: dict[str, list[Reply]] = defaultdict(list)
    for reply in (
        visibility.public_replies()
        .filter(country=country)
        .prefetch_related("versions")
        .order_by("-published_at", "-pk")
    ):
        replies[reply.subject].append(reply)
    rating_replies: dict[str, list[Reply]] = defaultdict(list)
    for reply in replies.get(ReplySubject.RATING, []):
        rating_replies[reply.subject_ref].append(reply)

    plans: dict[int, tuple[Plan, dict[str, list[ActionView]]]] = {}
    figures: dict[int, SeriesFigure | None] = {}
    for action in actions:
        changes = history.get(action.pk, [])
        own_ratings = ratings.get(action.pk, [])
        links = list(action.indicators.all())
        view = ActionView(
            action=action,
            indicators=links,
            trends=[
                indicator_trend(link=link, country=country, cache=figures)
                for link in links
                if link.series_id is not None
            ],
            history=changes,
            ratings=own_ratings,
            rating_replies={r.pk: rating_replies.get(str(r.pk), []) for r in own_ratings},
            overdue=action.is_overdue(today, changes[0].completion if changes else ""),
        )
        _plan, areas = plans.setdefault(action.plan_id, (action.plan, {}))
        areas.setdefault(action.priority_area, []).append(view)
    plan_views = [
        PlanView(plan=plan, areas=[AreaView(name=n, actions=a) for n, a in areas.items()])
        for plan, areas in plans.values()
    ]
    targets = list(visibility.public_targets().filter(country=country).select_related("series"))
    figure = child_labour_figures(geographies=[country]).get(country.pk)
    return PathfinderDetail(
        pathfinder=pathfinder,
        milestones=milestones,
        plans=plan_views,
        overdue=[a for p in plan_views for area in p.areas for a in area.actions if a.overdue],
        targets=targets,
        child_labour=figure,
        national_target_lines=national_target_lines(targets=targets, figure=figure),
        replies=dict(replies),
        assessments=country_assessments(country=country, replies=replies),
        today=today,
        funding=funding_for_country(country=country),
        reports=report_public_list(country=country),
    )


# --- annual reports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportArea:
    """The entries of one priority area of one plan, in the roadmap's order."""

    plan: Plan
    name: str
    entries: list[AnnualReportEntry]


@dataclass(frozen=True)
class ReportDetail:
    report: AnnualReport
    areas: list[ReportArea]

    @property
    def country(self) -> Geography:
        return self.report.country

    @property
    def entries(self) -> list[AnnualReportEntry]:
        return [e for area in self.areas for e in area.entries]


def report_areas(*, report: AnnualReport) -> list[ReportArea]:
    """The report's entries grouped like the roadmap: by plan, then priority area."""
    entries = (
        AnnualReportEntry.objects.filter(report=report)
        .select_related("action", "action__plan")
        .order_by("action__plan__title", "action__priority_area", "action_id")
    )
    areas: dict[tuple[int, str], ReportArea] = {}
    for entry in entries:
        key = (entry.action.plan_id, entry.action.priority_area)
        if key not in areas:
            areas[key] = ReportArea(plan=entry.action.plan, name=key[1], entries=[])
        areas[key].entries.append(entry)
    return list(areas.values())


def report_public_detail(*, iso3: str, year: int) -> ReportDetail | None:
    """A published annual report with its entries; None when there is none (drafts, reports
    under review and withdrawn ones included)."""
    report = visibility.public_reports().filter(country__iso3=iso3.upper(), year=year).first()
    if report is None:
        return None
    return ReportDetail(report=report, areas=report_areas(report=report))


def report_public_list(*, country: Geography) -> list[AnnualReport]:
    """The country's published annual reports, newest year first."""
    return list(visibility.public_reports().filter(country=country).order_by("-year"))
