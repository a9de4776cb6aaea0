"""`{% load ages %}`: how old a "latest" value is (the rule lives in `sdg87/core/ages.py`).

    {{ year|age_label }}           "11 years old", or "" when the year is recent
    {{ year|is_old }}              True / False, e.g. to add the `age-old` class
    {% year_with_age year %}       2015 — 11 years old, in <span class="year-age age-old">
    {% with_age date text %}       the same for any text, aged by `date`'s year

`year` may be an int, a digit string, a date or a datetime; anything else gives "" / False.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sdg87.core import ages

register = template.Library()


def _year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.date):  # datetime is a date too
        return value.year
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _today() -> dt.date:
    return timezone.localdate()


@register.filter
def age_label(value: object) -> str:
    """The words for an old year ("11 years old"), or "" for a recent year or a non-year."""
    year = _year(value)
    return "" if year is None else ages.age_label(year, _today())


@register.filter
def is_old(value: object) -> bool:
    """Whether the year is old (see `sdg87.core.ages.OLD_AFTER_YEARS`)."""
    year = _year(value)
    return year is not None and ages.is_old(year, _today())


@register.simple_tag
def year_with_age(value: object) -> SafeString:
    """The year, followed by "— N years old" and the `age-old` class when it is old."""
    return with_age(value, _year(value))


@register.simple_tag
def with_age(value: object, text: object = None) -> SafeString:
    """`text` (default: the value) followed by "— N years old" and the `age-old` class when the
    value's year is old: `{% with_age d.data_updated_at d.data_updated_at|date:"j F Y" %}`."""
    shown = value if text is None else text
    year = _year(value)
    if year is None:
        return format_html("{}", "" if shown is None else shown)
    label = ages.age_label(year, _today())
    if not label:
        return format_html('<span class="year-age">{}</span>', shown)
    return format_html(
        '<span class="year-age age-old">{} <span class="age-label">— {}</span></span>', shown, label
    )
