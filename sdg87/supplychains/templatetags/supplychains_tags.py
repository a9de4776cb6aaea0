"""Labels of the goods x country explorer for templates."""

from __future__ import annotations

from django import template

from sdg87.supplychains import labels

register = template.Library()


@register.filter
def exploitation_type(code: str) -> str:
    return labels.type_label(code)


@register.filter
def exploitation_abbr(code: str) -> str:
    return labels.type_abbreviation(code)


@register.filter
def sector_label(value: str) -> str:
    return labels.sector_label(value)


@register.filter
def change_label(code: str) -> str:
    return labels.change_label(code)
