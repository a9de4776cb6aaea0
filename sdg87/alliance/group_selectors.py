"""Reads for the public Action Group hubs. Only facts verified against a source are shown
(sdg87.alliance.visibility); the members-only workspaces are not read here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from sdg87.alliance import visibility
from sdg87.alliance.models import SHOWN, ActionGroup, ActionGroupEvent, Workstream
from sdg87.library.models import Publication
from sdg87.orgs.models import Organisation

# Order of the groups on the index: those at work first.
STATUS_ORDER = {"active": 0, "listed": 1, "historical": 2, "unknown": 3}


def group_list() -> list[ActionGroup]:
    groups = ActionGroup.objects.filter(verification__in=SHOWN)
    return sorted(groups, key=lambda g: (STATUS_ORDER.get(g.current_status, 9), g.name))


def group_get(*, slug: str) -> ActionGroup | None:
    return ActionGroup.objects.filter(slug=slug, verification__in=SHOWN).first()


@dataclass(frozen=True)
class GroupHub:
    group: ActionGroup
    workstreams: list[Workstream]
    events: list[ActionGroupEvent]
    members: list[Organisation]
    publications: list[Publication]


def group_hub(*, group: ActionGroup) -> GroupHub:
    events = list(visibility.public_group_events().filter(group=group).order_by("-date", "id"))
    return GroupHub(
        group=group,
        workstreams=list(group.workstreams.filter(verification__in=SHOWN).order_by("order")),
        events=events,
        members=list(group.members.order_by("name")),
        publications=group_publications(group=group),
    )


def group_publications(*, group: ActionGroup) -> list[Publication]:
    """Library publications linked to the group. The library has no link to Action Groups
    yet (its publications carry themes, not groups), so nothing is linked: a theme match
    would present a topic's reading list as the group's outputs."""
    return []


def event_count_by_group() -> dict[int, int]:
    counts: dict[int, int] = {}
    events: QuerySet[ActionGroupEvent] = visibility.public_group_events()
    for group_id in events.values_list("group_id", flat=True):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts
