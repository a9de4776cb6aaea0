"""How old a value is, in words: the one rule for "latest" figures that are no longer new.

A page read in 2026 that says "Latest tier: Tier 2 (2015)" presents an old fact as current.
Every "latest" on the site shows its year and, when the year is old, how old it is
("2015 — 11 years old"), styled as old with a CSS class *and* words, never colour alone.

`age_label(year, today)` is the words ("11 years old") or "" when the value is not old;
`is_old` and `age_years` are the parts. The template side is `sdg87/core/templatetags/ages.py`:
`{% load ages %}{{ year|age_label }}` and `{% year_with_age year %}`.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import ngettext

#: A value is "old" from this many years before the current year (a 2021 figure is old in 2026).
#: Statistics usually appear one or two years after their reference year, so younger values are
#: as recent as the sources allow and are not flagged.
OLD_AFTER_YEARS = 5


def age_years(year: int, today: dt.date) -> int:
    """Whole calendar years between `year` and today's year (never negative)."""
    return max(0, today.year - int(year))


def is_old(year: int, today: dt.date) -> bool:
    """Whether a value for `year` is old enough that a page must say how old it is."""
    return age_years(year, today) >= OLD_AFTER_YEARS


def age_label(year: int, today: dt.date) -> str:
    """`"11 years old"` for an old year, `""` for a recent one (translated)."""
    if not is_old(year, today):
        return ""
    n = age_years(year, today)
    return ngettext("%(n)d year old", "%(n)d years old", n) % {"n": n}
