"""The "Resources committed" block of a country's profile (templates/site/country_detail.html),
drawn from the published funding commitments (sdg87.alliance.funding_selectors). The Pathfinder
page gets the same block from its own selector (sdg87.alliance.selectors.pathfinder_detail)."""

from __future__ import annotations

from typing import Any

from django import template

from sdg87.alliance.funding_selectors import funding_for_country
from sdg87.geo.models import Geography

register = template.Library()


@register.inclusion_tag("alliance/funding_block.html")
def funding_block(country: Geography) -> dict[str, Any]:
    return {"funding": funding_for_country(country=country)}
