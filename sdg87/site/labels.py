"""Localised labels and value formatting shared by views, summaries and templates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from sdg87.indicators.models import Age, Nature, Sex

NO_VALUE = "\u2013"  # en dash: no value
PERCENT_UNITS = {"PERCENT", "PER_MARW_20T24Y", "PCT", "%"}


def is_percent(unit: str) -> bool:
    unit = (unit or "").upper()
    return unit in PERCENT_UNITS or unit.startswith("PERCENT")


def number(value: float | int | None, decimals: int = 1) -> str:
    """A number in the active language's format, with thousands grouping."""
    if value is None:
        return NO_VALUE
    # number_format truncates extra decimals: round first (half away from zero).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_value(value: float | None, series: Any, unit: str | None = None) -> str:
    """`value` formatted with the series' decimals and a short unit mark (%, per 100,000)."""
    if value is None:
        return NO_VALUE
    unit = (unit or getattr(series, "unit", "") or "").upper()
    decimals = getattr(series, "decimals", 1)
    if is_percent(unit):
        return _("%(value)s%%") % {"value": number(value, decimals)}
    if unit == "NUMBER":
        return number(value, 0 if float(value).is_integer() else decimals)
    if unit == "PER_100000_POP":
        return _("%(value)s per 100,000") % {"value": number(value, decimals)}
    if unit in {"PER_1000_POP", "PER_1000_POPULATION", "PER_1000"}:
        return _("%(value)s per 1,000") % {"value": number(value, decimals)}
    if unit == "THOUSANDS":
        return _("%(value)s thousand") % {"value": number(value, 0)}
    if "MILLION" in unit:
        places = 0 if float(value).is_integer() else decimals
        return _("%(value)s million") % {"value": number(value, places)}
    return number(value, decimals)


def unit_label(series: Any) -> str:
    unit = (getattr(series, "unit", "") or "").upper()
    if is_percent(unit):
        return _("Per cent")
    if unit == "NUMBER":
        return _("Number")
    if unit == "PER_100000_POP":
        return _("Per 100,000 population")
    if unit in {"PER_1000_POP", "PER_1000_POPULATION", "PER_1000"}:
        return _("Per 1,000 population")
    if "MILLION" in unit:
        return _("Millions")
    if unit == "THOUSANDS":
        return _("Thousands")
    return str(getattr(series, "unit_label", "") or unit)


def nature_label(code: str) -> str:
    try:
        return str(Nature(code or "").label)
    except ValueError:
        return code


def nature_phrase(code: str) -> str:
    """Nature as it reads inside a sentence ("according to country-adjusted data")."""
    phrases = {
        "C": _("country data"),
        "CA": _("country-adjusted data"),
        "E": _("estimated data"),
        "M": _("modelled data"),
        "N": _("a global or regional estimate"),
        "G": _("global monitoring data"),
    }
    return phrases.get(code or "", _("data whose nature the source does not state"))


def sex_label(code: str) -> str:
    try:
        return str(Sex(code).label)
    except ValueError:
        return code


def age_label(code: str) -> str:
    try:
        return str(Age(code).label)
    except ValueError:
        return code


def series_name(series: Any) -> str:
    if series is None:
        return ""
    return str(series.translated("name"))


def format_change(value: float, series: Any, unit: str | None = None) -> str:
    """A yearly change, without sign: percentage points for percentages, else the unit."""
    unit = (unit or getattr(series, "unit", "") or "").upper()
    decimals = max(getattr(series, "decimals", 1), 1)
    if is_percent(unit):
        return _("%(value)s percentage points") % {"value": number(abs(value), decimals)}
    return format_value(abs(value), series, unit)
