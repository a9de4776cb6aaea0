"""Rendering user-supplied rich text: `{{ value|sanitised }}`, never `|safe`."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from sdg87.core.html import sanitise_html

register = template.Library()


@register.filter
def sanitised(value: object) -> SafeString:
    """The value as HTML with only the tags and attributes of core.html.sanitise_html."""
    return mark_safe(sanitise_html(str(value or "")))
