"""What the Alliance 8.7 landing page counts: public rows only (sdg87.alliance.visibility)."""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.alliance import visibility
from sdg87.alliance.group_selectors import group_list


@dataclass(frozen=True)
class Overview:
    pathfinders: int
    milestones: int
    actions: int
    action_groups: int
    meetings: int


def alliance_overview() -> Overview:
    return Overview(
        pathfinders=visibility.public_pathfinders().count(),
        milestones=visibility.public_milestones().count(),
        actions=visibility.public_actions().count(),
        action_groups=len(group_list()),
        meetings=visibility.public_meetings().count(),
    )
