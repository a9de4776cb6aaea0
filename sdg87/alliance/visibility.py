"""What of the Alliance tables the public may see: the one owner of that rule.

Every public reader (pages, API, feeds, search) starts from these querysets; the
contributors' own views add their drafts through sdg87.alliance.permissions.

- bundled facts: only `SHOWN` verification statuses (verified, verified_secondary,
  verified_approx); `verified_conflicting` and `unverified` rows never;
- roadmap actions: `live` ones (bundled: SHOWN; contributed: published through review);
- status changes: accepted ones, of public actions;
- indicator links of actions: accepted ones (bundled links are), of public actions;
- ratings: all ratings of public actions (reviewers publish their own; see services);
- replies: `live` ones;
- funding commitments: `live` ones (published through review);
- annual reports: `live` ones (published through review).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sdg87.alliance.models import (
    SHOWN,
    ActionGroupEvent,
    ActionIndicator,
    AnnualReport,
    ChangeReview,
    FundingCommitment,
    GCGMeeting,
    Milestone,
    NationalTarget,
    PathfinderCountry,
    Rating,
    Reply,
    RoadmapAction,
    StatusChange,
    Verification,
)

_FACT = Q(verification__in=SHOWN)


def public_pathfinders() -> QuerySet[PathfinderCountry]:
    return PathfinderCountry.objects.filter(_FACT).select_related("country")


def public_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.filter(_FACT).select_related("country")


def public_actions() -> QuerySet[RoadmapAction]:
    return RoadmapAction.objects.filter(
        Q(live=True) & (_FACT | Q(verification=Verification.CONTRIBUTED))
    ).select_related("plan", "plan__country")


def public_status_changes() -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(
        review=ChangeReview.ACCEPTED, action__in=public_actions().values("pk")
    )


def public_action_indicators() -> QuerySet[ActionIndicator]:
    return ActionIndicator.objects.filter(
        review=ChangeReview.ACCEPTED, action__in=public_actions().values("pk")
    )


def public_ratings() -> QuerySet[Rating]:
    return Rating.objects.filter(action__in=public_actions().values("pk"))


def public_targets() -> QuerySet[NationalTarget]:
    return NationalTarget.objects.filter(_FACT).select_related("country")


def public_meetings() -> QuerySet[GCGMeeting]:
    return GCGMeeting.objects.filter(_FACT)


def public_group_events() -> QuerySet[ActionGroupEvent]:
    return ActionGroupEvent.objects.filter(_FACT)


def public_replies() -> QuerySet[Reply]:
    return Reply.objects.filter(live=True).select_related("country")


def public_funding() -> QuerySet[FundingCommitment]:
    return FundingCommitment.objects.filter(live=True).select_related("donor", "recipient")


def public_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(live=True).select_related("country")
