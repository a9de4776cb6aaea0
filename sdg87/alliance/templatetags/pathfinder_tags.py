"""Template filters of the Pathfinder pages."""

from __future__ import annotations

from django import template

from sdg87.alliance.pathfinder_views import source_host as _source_host

register = template.Library()


@register.filter
def source_host(url: str) -> str:
    """The site a source is on ("ilo.org"), to say who reported a fact."""
    return _source_host(url)
