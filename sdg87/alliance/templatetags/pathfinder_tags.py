"""Template filters of the Pathfinder pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from sdg87.alliance.pathfinder_views import source_host as _source_host

register = template.Library()


@register.filter
def source_host(url: str) -> str:
    """The site a source is on ("ilo.org"), to say who reported a fact."""
    return _source_host(url)


@register.filter
def trends_of(blocks: Mapping[int, list[dict[str, Any]]], action_id: int) -> list[dict[str, Any]]:
    """The indicator trend blocks of one action (pathfinder_views.action_trend_blocks)."""
    return blocks.get(action_id, []) if blocks else []
