"""Reads for the machine interfaces of the Alliance tables: the REST API (sdg87.api.routers.
alliance), the Atom feeds (sdg87.alliance.feeds) and the search index (sdg87.search.sources.
alliance).

Every reader starts from sdg87.alliance.visibility: nothing here decides a second time what
the public may see. A roadmap action's self-reported status is its latest ACCEPTED status
change; its independent rating is its latest rating, kept apart (never merged with the
self-report). Partners are organisations with a stated Alliance 8.7 role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from django.db.models import Prefetch, Q, QuerySet

from sdg87.alliance import visibility
from sdg87.alliance.gcg_selectors import GoalRow, goal_rows
from sdg87.alliance.models import (
    ActionGroup,
    DatePrecision,
    GCGMeeting,
    PathfinderCountry,
    Rating,
    Reply,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.alliance.partner_selectors import ROLE, partner_list
from sdg87.alliance.partner_selectors import Partner as Partner
from sdg87.library.selectors import publication_public_queryset

FEED_SIZE = 50


def partial_date(*, on: date | None, precision: str) -> str | None:
    """A date as precise as known: "2019", "2019-06" or "2019-06-12" (None when unknown)."""
    if on is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{on.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{on.year:04d}-{on.month:02d}"
    return on.isoformat()


# --- Pathfinder Countries ----------------------------------------------------------------------


def _with_milestones(qs: QuerySet[PathfinderCountry]) -> QuerySet[PathfinderCountry]:
    milestones = visibility.public_milestones().order_by("date", "id")
    return qs.prefetch_related(
        Prefetch("country__pathfinder_milestones", queryset=milestones, to_attr="public_milestones")
    )


def pathfinder_list_public() -> QuerySet[PathfinderCountry]:
    """The public Pathfinder Countries by English name, each with `country.public_milestones`
    (its public milestones, oldest first)."""
    return _with_milestones(visibility.public_pathfinders()).order_by("country__name_en")


def pathfinder_get_public(*, iso3: str) -> PathfinderCountry | None:
    return _with_milestones(visibility.public_pathfinders()).filter(country__iso3=iso3).first()


# --- roadmap actions ---------------------------------------------------------------------------


def _accepted_changes() -> QuerySet[StatusChange]:
    return visibility.public_status_changes().order_by("-as_of", "-decided_at", "-id")


def roadmap_action_list_public(
    *, countries: Sequence[str] = (), priority_area: str = ""
) -> QuerySet[RoadmapAction]:
    """Public roadmap actions (ordered by id), filtered by ISO3 codes (any of them) and a
    priority area (exact, case-insensitive). Each carries `accepted_changes` (newest first)
    and `rating_list` (newest first); indicators and responsible organisations prefetched."""
    qs = visibility.public_actions()
    if countries:
        qs = qs.filter(plan__country__iso3__in=[c.upper() for c in countries])
    if priority_area:
        qs = qs.filter(priority_area__iexact=priority_area)
    ratings = visibility.public_ratings().order_by("-rated_at", "-id")
    return qs.order_by("id").prefetch_related(
        Prefetch(
            "indicators",
            queryset=visibility.public_action_indicators().select_related("series"),
        ),
        "responsible_organisations",
        Prefetch(
            "status_changes",
            queryset=_accepted_changes().select_related("evidence_publication"),
            to_attr="accepted_changes",
        ),
        Prefetch("ratings", queryset=ratings, to_attr="rating_list"),
    )


def action_latest_status(*, action: RoadmapAction) -> StatusChange | None:
    """The latest accepted self-reported status of an action from `roadmap_action_list_public`."""
    changes: list[StatusChange] = getattr(action, "accepted_changes", [])
    return changes[0] if changes else None


def action_latest_rating(*, action: RoadmapAction) -> Rating | None:
    """The latest independent rating of an action from `roadmap_action_list_public`."""
    ratings: list[Rating] = getattr(action, "rating_list", [])
    return ratings[0] if ratings else None


def public_publication_ids(*, ids: Sequence[int]) -> set[int]:
    """Which of these publications the public may see (evidence links to nothing else)."""
    wanted = [i for i in ids if i]
    if not wanted:
        return set()
    return set(publication_public_queryset().filter(pk__in=wanted).values_list("pk", flat=True))


# --- Global Coordinating Group -----------------------------------------------------------------


def gcg_meeting_list_public() -> QuerySet[GCGMeeting]:
    return visibility.public_meetings().order_by("date", "number", "id")


def gcg_goal_list_public(*, as_of: date) -> list[GoalRow]:
    """Every goal (goals are set by the GCG and carry their own source), by target date, with
    its status at `as_of` computed from live data by sdg87.alliance.gcg_selectors; a goal's
    `meeting` is kept only when that meeting is public (else None)."""
    public_meetings = set(visibility.public_meetings().values_list("pk", flat=True))
    rows = goal_rows(as_of=as_of)
    for row in rows:
        if row.goal.meeting_id not in public_meetings:
            row.goal.meeting = None
    return rows


# --- partners ----------------------------------------------------------------------------------


def partner_list_public() -> list[Partner]:
    """Organisations with an Alliance 8.7 role, by name, each with its Action Groups (public
    ones: a group is a sourced row) and the Pathfinder Countries whose public roadmap actions
    name it as a responsible body. The query is the partner directory's
    (sdg87.alliance.partner_selectors), narrowed to role holders."""
    return partner_list(criteria=(ROLE,))


# --- feeds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapFeedEntry:
    """An accepted status change of a public action, or a published government reply."""

    kind: Literal["status_change", "reply"]
    iso3: str
    country_name: str
    when: datetime
    status_change: StatusChange | None = None
    reply: Reply | None = None


def roadmap_feed_entries(
    *, iso3: str | None = None, limit: int = FEED_SIZE
) -> list[RoadmapFeedEntry]:
    """The newest accepted status changes and published replies (of one country, or of all
    Pathfinder Countries), newest first: a change dated by its acceptance, a reply by its
    publication."""
    changes = visibility.public_status_changes().select_related(
        "action", "action__plan", "action__plan__country"
    )
    replies = visibility.public_replies().filter(published_at__isnull=False)
    if iso3:
        changes = changes.filter(action__plan__country__iso3=iso3)
        replies = replies.filter(country__iso3=iso3)
    changes = changes.order_by("-decided_at", "-created_at", "-id")
    replies = replies.order_by("-published_at", "-id")
    entries = [
        RoadmapFeedEntry(
            kind="status_change",
            iso3=change.action.plan.country.iso3 or "",
            country_name=change.action.plan.country.name,
            when=change.decided_at or change.created_at,
            status_change=change,
        )
        for change in changes[:limit]
    ] + [
        RoadmapFeedEntry(
            kind="reply",
            iso3=reply.country.iso3 or "",
            country_name=reply.country.name,
            when=reply.published_at or reply.created_at,
            reply=reply,
        )
        for reply in replies[:limit]
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def is_third_party(*, verification: str) -> bool:
    return verification == Verification.SECONDARY


def action_group_list_public() -> QuerySet[ActionGroup]:
    """Action Groups whose row is a fact (the hub pages' rule), with their workstreams."""
    return (
        ActionGroup.objects.filter(Q(verification__in=visibility.SHOWN))
        .prefetch_related("workstreams")
        .order_by("name")
    )
