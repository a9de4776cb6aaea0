"""REST API v1: the Alliance 8.7 — `pathfinders`, `pathfinders/{iso3}`, `roadmap-actions`
(keyset pagination, `next`), `gcg-goals`, `gcg-meetings`, `partners` and `funding`.

Only what the public may see (sdg87.alliance.visibility, through sdg87.alliance.api_selectors):
never an unverified or conflicting row, a draft action, an unaccepted status change. A roadmap
action's self-reported status and its independent rating are two separate fields.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from sdg87.alliance import api_selectors as sel
from sdg87.alliance.funding_selectors import funding_list_public
from sdg87.api.alliance_schemas import (
    GCGMeetingList,
    GoalFilters,
    GoalList,
    LangFilter,
    PartnerList,
    PathfinderList,
    PathfinderOut,
    RoadmapActionFilters,
    RoadmapActionPage,
    gcg_meeting_out,
    goal_out,
    partner_out,
    pathfinder_out,
    roadmap_action_out,
)
from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.funding_schemas import FundingFilters, FundingList, funding_list_out
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.api.schemas import split_codes

router = Router(tags=["Alliance 8.7"])


@router.get(
    "/pathfinders",
    operation_id="sdg87_alliance_api_pathfinders",
    response={200: PathfinderList, **ERROR_RESPONSES},
    summary="Pathfinder Countries with their verified milestones",
    url_name="pathfinder_list",
)
def pathfinders(request: HttpRequest, filters: Query[LangFilter]) -> dict[str, Any]:
    """The Alliance 8.7 Pathfinder Countries by English name: stage, whether in the 2025 list,
    the source, and each one's public milestones (oldest first), each with its date as precise
    as known, `approximate` where the date is approximate, the source and a verbatim quote.
    Labels and country names in `lang`."""
    results = [pathfinder_out(p, lang=filters.lang) for p in sel.pathfinder_list_public()]
    return {"count": len(results), "results": results}


@router.get(
    "/pathfinders/{iso3}",
    operation_id="sdg87_alliance_api_pathfinder_detail",
    response={200: PathfinderOut, **ERROR_RESPONSES},
    summary="One Pathfinder Country with its verified milestones",
    url_name="pathfinder_detail",
)
def pathfinder_detail(
    request: HttpRequest, iso3: str, filters: Query[LangFilter]
) -> dict[str, Any]:
    """A Pathfinder Country by ISO3 code (case-insensitive), shaped as in `/pathfinders`."""
    found = sel.pathfinder_get_public(iso3=iso3.upper()) if len(iso3) == 3 else None
    if found is None:
        raise ApiError(
            status=404,
            code="unknown_pathfinder",
            message=_("No Pathfinder Country with ISO3 code '%(code)s'.") % {"code": iso3[:10]},
            parameter="iso3",
        )
    return pathfinder_out(found, lang=filters.lang)


@router.get(
    "/roadmap-actions",
    operation_id="sdg87_alliance_api_roadmap_actions",
    response={200: RoadmapActionPage, **ERROR_RESPONSES},
    summary="Pathfinder roadmap actions with their latest status and rating; keyset-paginated",
    url_name="roadmap_action_list",
)
def roadmap_actions(request: HttpRequest, filters: Query[RoadmapActionFilters]) -> dict[str, Any]:
    """Public actions of the Pathfinder Countries' plans, filtered by `country` (ISO3,
    repeatable or comma-separated) and `priority_area` (exact, case-insensitive). Each carries
    its plan, responsible bodies, timeline, dates, budget, indicators with baselines and
    targets, its latest self-reported status accepted by the secretariat (with evidence) and,
    separately, its latest independent rating. Ordered by id; follow `next` until it is null."""
    qs = sel.roadmap_action_list_public(
        countries=split_codes(filters.country),
        priority_area=(filters.priority_area or "").strip(),
    )
    if filters.cursor:
        qs = qs.filter(id__gt=cursor_decode(filters.cursor))
    rows = list(qs[: filters.limit + 1])
    has_more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    latest = [sel.action_latest_status(action=a) for a in rows]
    evidence = sel.public_publication_ids(
        ids=[c.evidence_publication_id or 0 for c in latest if c is not None]
    )
    return {
        "next": next_url(request, last_id=rows[-1].pk) if has_more else None,
        "results": [
            roadmap_action_out(a, lang=filters.lang, public_publications=evidence) for a in rows
        ],
    }


@router.get(
    "/gcg-goals",
    operation_id="sdg87_alliance_api_gcg_goals",
    response={200: GoalList, **ERROR_RESPONSES},
    summary="Goals set by the Global Coordinating Group, with their targets",
    url_name="gcg_goal_list",
)
def gcg_goals(request: HttpRequest, filters: Query[GoalFilters]) -> dict[str, Any]:
    """Each goal with its metric (what its progress is computed from), baseline, target value
    and date, the meeting that set it, and its status at `as_of` (default today) computed from
    live data: the metric's current value and Open SDG's category and pace ratio. Ordered by
    target date."""
    as_of = filters.as_of or timezone.localdate()
    results = [goal_out(g, lang=filters.lang) for g in sel.gcg_goal_list_public(as_of=as_of)]
    return {"count": len(results), "results": results}


@router.get(
    "/gcg-meetings",
    operation_id="sdg87_alliance_api_gcg_meetings",
    response={200: GCGMeetingList, **ERROR_RESPONSES},
    summary="Meetings and decisions of the Global Coordinating Group",
    url_name="gcg_meeting_list",
)
def gcg_meetings(request: HttpRequest, filters: Query[LangFilter]) -> dict[str, Any]:
    """Verified meetings, sessions and decisions of the Global Coordinating Group, oldest
    first, each with its date as precise as known, its source and a verbatim quote."""
    results = [gcg_meeting_out(m, lang=filters.lang) for m in sel.gcg_meeting_list_public()]
    return {"count": len(results), "results": results}


@router.get(
    "/partners",
    operation_id="sdg87_alliance_api_partners",
    response={200: PartnerList, **ERROR_RESPONSES},
    summary="Alliance 8.7 partners with their Action Groups and Pathfinder involvement",
    url_name="partner_list",
)
def partners(request: HttpRequest, filters: Query[LangFilter]) -> dict[str, Any]:
    """Organisations with a stated Alliance 8.7 role (Global Coordinating Group member, Action
    Group member, partner), by name: type, headquarters country, Action Groups they belong to
    and Pathfinder Countries whose roadmap actions name them."""
    results = [partner_out(p, lang=filters.lang) for p in sel.partner_list_public()]
    return {"count": len(results), "results": results}


@router.get(
    "/funding",
    operation_id="sdg87_alliance_api_funding",
    response={200: FundingList, **ERROR_RESPONSES},
    summary="Published funding commitments with totals per currency, by country and theme",
    url_name="funding_list",
)
def funding_commitments(request: HttpRequest, filters: Query[FundingFilters]) -> dict[str, Any]:
    """Funding commitments against child labour, forced labour and trafficking reported by
    partners and published by the Alliance 8.7 secretariat, filtered by recipient `country`
    (ISO3, repeatable or comma-separated), `theme`, `stage`, `currency`, `donor` (slug) and
    `year` (covered). Each in its own currency with its source document; totals per currency
    (never added across currencies), overall, by country and by theme; a US-dollar total only
    over amounts in dollars or with the donor's stated rate and its source, with the number
    left out. Labels in `lang`."""
    commitments = funding_list_public(
        countries=split_codes(filters.country),
        theme=filters.theme or "",
        stage=filters.stage or "",
        currency=filters.currency or "",
        donor=filters.donor or "",
        year=filters.year,
    )
    return funding_list_out(list(commitments), lang=filters.lang)
