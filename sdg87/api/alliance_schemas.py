"""API v1 Alliance 8.7: the response and filter schemas of Pathfinder Countries, roadmap
actions, Global Coordinating Group goals and meetings and partners, and the functions that shape
the rows of sdg87.alliance.api_selectors into them.

Every sourced fact carries its `source_url`, the verbatim `quote`, its `verification` status
and two flags readers must honour: `approximate` (a `verified_approx` row: show its date as
approximate) and `reported_by_third_party` (`verified_secondary`: a third party's account).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation
from ninja import Field, Schema

from sdg87.alliance.api_selectors import (
    Partner,
    action_latest_rating,
    action_latest_status,
    partial_date,
)
from sdg87.alliance.gcg_selectors import GoalRow
from sdg87.alliance.goals import GoalStatus, goal_status_label
from sdg87.alliance.models import (
    Completion,
    GCGEventType,
    GCGMeeting,
    GoalMetric,
    Milestone,
    MilestoneType,
    PathfinderCountry,
    PathfinderStatus,
    Potential,
    RoadmapAction,
    Verification,
)
from sdg87.api.schemas import Lang
from sdg87.orgs.models import OrganisationType

DEFAULT_LIMIT = 50
MAX_LIMIT = 100

DATE_DESCRIPTION = 'As precise as known: "2019", "2019-06" or "2019-06-12"; null when unknown.'


class AllianceSourced(Schema):
    source_url: str
    quote: str = Field(description="Verbatim from the source.")
    verification: str = Field(
        description="verified, verified_secondary (a third party's account) or verified_approx "
        "(the date is approximate); other statuses are never published."
    )
    approximate: bool = Field(description="The date is approximate: show it as such.")
    reported_by_third_party: bool


class MilestoneOut(AllianceSourced):
    date: str | None = Field(description=DATE_DESCRIPTION)
    date_precision: str = Field(description="day, month or year")
    kind: str
    kind_label: str
    title: str
    description: str


class PathfinderOut(AllianceSourced):
    iso3: str
    name: str
    stage: str
    stage_label: str
    listed_2025: bool = Field(description="In the Alliance's 2025 list of Pathfinder Countries.")
    milestones: list[MilestoneOut]


class PathfinderList(Schema):
    count: int
    results: list[PathfinderOut]


class PlanRef(Schema):
    title: str
    period: str


class PartnerRef(Schema):
    slug: str
    name: str


class BudgetOut(Schema):
    amount: str | None = Field(description="A decimal number as text, or null when not stated.")
    currency: str
    funding: str = Field(description="funded, partly_funded, unfunded, or empty (not stated)")


class ActionIndicatorOut(Schema):
    label: str
    series: str | None = Field(description="The platform's series code, when linked.")
    baseline_year: int | None
    baseline_value: float | None
    target_year: int | None
    target_value: float | None
    target_text: str = Field(description="The target as the plan states it.")


class SelfReportedStatus(Schema):
    completion: str = Field(description="OGP scale: " + ", ".join(Completion.values))
    completion_label: str
    as_of: dt.date
    evidence: str
    evidence_url: str
    evidence_publication: str | None = Field(description="Slug of a public publication.")
    accepted_at: dt.datetime | None


class IndependentRating(Schema):
    completion: str = Field(description="OGP scale: " + ", ".join(Completion.values))
    completion_label: str
    potential: str = Field(description="Potential for results: " + ", ".join(Potential.values))
    potential_label: str
    reason: str
    rated_at: dt.datetime


class RoadmapActionOut(AllianceSourced):
    id: int
    key: str
    country: str = Field(description="ISO3")
    plan: PlanRef
    priority_area: str
    text: str
    responsible_body: str
    responsible_organisations: list[PartnerRef]
    timeline: str = Field(description="The timeline as the plan states it.")
    start_date: dt.date | None
    end_date: dt.date | None
    budget: BudgetOut | None
    indicators: list[ActionIndicatorOut]
    self_reported_status: SelfReportedStatus | None = Field(
        description="The latest status accepted by the secretariat, with its evidence."
    )
    independent_rating: IndependentRating | None = Field(
        description="The latest independent reviewer's rating: shown beside the self-reported "
        "status, never merged with it."
    )


class RoadmapActionPage(Schema):
    next: str | None = Field(description="Absolute URL of the next page, or null on the last page.")
    results: list[RoadmapActionOut]


class RoadmapActionFilters(Schema):
    country: list[str] | None = Field(
        None, description="Country ISO3 code. Repeatable or comma-separated."
    )
    priority_area: str | None = Field(
        None, max_length=200, description="Priority area, exact (case-insensitive)."
    )
    lang: Lang = "en"
    cursor: str | None = Field(None, description="From the `next` URL of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class MeetingRef(Schema):
    id: int
    number: int | None
    date: str | None = Field(description=DATE_DESCRIPTION)


class GoalProgress(Schema):
    value: float
    date: dt.date = Field(description="The date the value refers to.")
    release: str = Field(description="For an indicator goal: the release of the value.")


class GoalOut(Schema):
    key: str
    title: str
    description: str
    metric: str = Field(description=", ".join(GoalMetric.values))
    metric_label: str
    series: str | None
    geography: str | None = Field(description="ISO3 or geography code.")
    baseline_value: float | None
    baseline_date: dt.date | None
    target_value: float
    target_date: dt.date
    meeting: MeetingRef | None = Field(description="The meeting that set the goal.")
    source_url: str
    as_of: dt.date = Field(description="The date the status is computed at.")
    current: GoalProgress | None = Field(description="The metric at `as_of`, from live data.")
    status: str = Field(description=", ".join(s.value for s in GoalStatus))
    status_label: str
    ratio: float | None = Field(
        description="Observed pace over the pace the target needs (Open SDG's ratio)."
    )


class GoalFilters(Schema):
    as_of: dt.date | None = Field(None, description="Compute the status at this date (today).")
    lang: Lang = "en"


class GoalList(Schema):
    count: int
    results: list[GoalOut]


class GCGMeetingOut(AllianceSourced):
    id: int
    number: int | None
    date: str | None = Field(description=DATE_DESCRIPTION)
    date_precision: str
    place: str
    event_type: str
    event_type_label: str
    decisions: str


class GCGMeetingList(Schema):
    count: int
    results: list[GCGMeetingOut]


class ActionGroupRef(Schema):
    slug: str
    name: str


class PartnerOut(Schema):
    slug: str
    name: str
    acronym: str
    type: str
    type_label: str
    country: str | None = Field(description="Headquarters country (ISO3), where verified.")
    alliance87_role: str
    alliance87_role_label: str
    website: str
    source_url: str
    action_groups: list[ActionGroupRef]
    pathfinder_countries: list[str] = Field(
        description="ISO3 of the Pathfinder Countries whose public roadmap actions name the "
        "organisation as a responsible body."
    )


class PartnerList(Schema):
    count: int
    results: list[PartnerOut]


class LangFilter(Schema):
    lang: Lang = "en"


# --- shaping -----------------------------------------------------------------------------------


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def sourced_out(row: Any) -> dict[str, Any]:
    return {
        "source_url": row.source_url,
        "quote": row.quote,
        "verification": row.verification,
        "approximate": row.verification == Verification.APPROX,
        "reported_by_third_party": row.verification == Verification.SECONDARY,
    }


def milestone_out(m: Milestone) -> dict[str, Any]:
    return {
        **sourced_out(m),
        "date": partial_date(on=m.date, precision=m.date_precision),
        "date_precision": m.date_precision,
        "kind": m.kind,
        "kind_label": _label(MilestoneType, m.kind),
        "title": m.title,
        "description": m.description,
    }


def pathfinder_out(p: PathfinderCountry, *, lang: str) -> dict[str, Any]:
    with translation.override(lang):
        return {
            **sourced_out(p),
            "iso3": p.country.iso3,
            "name": p.country.name,
            "stage": p.status,
            "stage_label": _label(PathfinderStatus, p.status),
            "listed_2025": p.listed_2025,
            "milestones": [milestone_out(m) for m in getattr(p.country, "public_milestones", [])],
        }


def roadmap_action_out(
    a: RoadmapAction, *, lang: str, public_publications: set[int]
) -> dict[str, Any]:
    status = action_latest_status(action=a)
    rating = action_latest_rating(action=a)
    has_budget = a.budget_amount is not None or a.budget_currency or a.funding
    with translation.override(lang):
        return {
            **sourced_out(a),
            "id": a.pk,
            "key": a.key,
            "country": a.plan.country.iso3,
            "plan": {"title": a.plan.title, "period": a.plan.period},
            "priority_area": a.priority_area,
            "text": a.text,
            "responsible_body": a.responsible_body,
            "responsible_organisations": [
                {"slug": o.slug, "name": o.name} for o in a.responsible_organisations.all()
            ],
            "timeline": a.timeline,
            "start_date": a.start_date,
            "end_date": a.end_date,
            "budget": {
                "amount": None if a.budget_amount is None else str(a.budget_amount),
                "currency": a.budget_currency,
                "funding": a.funding,
            }
            if has_budget
            else None,
            "indicators": [
                {
                    "label": i.label,
                    "series": i.series.code if i.series else None,
                    "baseline_year": i.baseline_year,
                    "baseline_value": i.baseline_value,
                    "target_year": i.target_year,
                    "target_value": i.target_value,
                    "target_text": i.target_text,
                }
                for i in a.indicators.all()
            ],
            "self_reported_status": {
                "completion": status.completion,
                "completion_label": _label(Completion, status.completion),
                "as_of": status.as_of,
                "evidence": status.evidence,
                "evidence_url": status.evidence_url,
                "evidence_publication": status.evidence_publication.slug
                if status.evidence_publication_id in public_publications
                and status.evidence_publication is not None
                else None,
                "accepted_at": status.decided_at,
            }
            if status is not None
            else None,
            "independent_rating": {
                "completion": rating.completion,
                "completion_label": _label(Completion, rating.completion),
                "potential": rating.potential,
                "potential_label": _label(Potential, rating.potential),
                "reason": rating.reason,
                "rated_at": rating.rated_at,
            }
            if rating is not None
            else None,
        }


def _meeting_date(m: GCGMeeting) -> str | None:
    return partial_date(on=m.date, precision=m.date_precision)


def goal_out(row: GoalRow, *, lang: str) -> dict[str, Any]:
    g = row.goal
    current = row.current
    with translation.override(lang):
        return {
            "key": g.key,
            "title": g.title,
            "description": g.description,
            "metric": g.metric,
            "metric_label": _label(GoalMetric, g.metric),
            "series": g.series.code if g.series else None,
            "geography": (g.geography.iso3 or g.geography.code) if g.geography else None,
            "baseline_value": g.baseline_value,
            "baseline_date": g.baseline_date,
            "target_value": g.target_value,
            "target_date": g.target_date,
            "meeting": {
                "id": g.meeting.pk,
                "number": g.meeting.number,
                "date": _meeting_date(g.meeting),
            }
            if g.meeting is not None
            else None,
            "source_url": g.source_url,
            "as_of": row.as_of,
            "current": {
                "value": current.value,
                "date": current.on,
                "release": current.release.code if current.release else "",
            }
            if current is not None
            else None,
            "status": str(row.result.status),
            "status_label": goal_status_label(row.result.status),
            "ratio": row.result.ratio,
        }


def gcg_meeting_out(m: GCGMeeting, *, lang: str) -> dict[str, Any]:
    with translation.override(lang):
        return {
            **sourced_out(m),
            "id": m.pk,
            "number": m.number,
            "date": _meeting_date(m),
            "date_precision": m.date_precision,
            "place": m.place,
            "event_type": m.event_type,
            "event_type_label": _label(GCGEventType, m.event_type),
            "decisions": m.decisions,
        }


def partner_out(p: Partner, *, lang: str) -> dict[str, Any]:
    org = p.organisation
    with translation.override(lang):
        return {
            "slug": org.slug,
            "name": org.name,
            "acronym": org.acronym,
            "type": org.type,
            "type_label": _label(OrganisationType, org.type),
            "country": (org.country.iso3 or org.country.code) if org.country else None,
            "alliance87_role": org.alliance87_role,
            "alliance87_role_label": org.alliance87_role_label,
            "website": org.website,
            "source_url": org.source_url,
            "action_groups": [{"slug": g.slug, "name": g.name} for g in p.action_groups],
            "pathfinder_countries": p.pathfinder_countries,
        }
