"""Localised labels and value formatting shared by views, summaries and templates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sdg87.indicators.analysis import Progress, Status
from sdg87.indicators.models import Age, Nature, Series, Sex

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


def age_phrase(age: str) -> str:
    """'5-17' style age band for inside a sentence."""
    if age.startswith("Y") and "T" in age[1:]:
        low, high = age[1:].split("T", 1)
        return _("%(low)s-%(high)s") % {"low": low, "high": high}
    return age_label(age)


def progress_sentence(
    *, what: str, progress: Progress, series: Series, unit: str, current_year: int | None = None
) -> str:
    """One plain-words sentence on the pace toward the target, for any status. Once the
    target year is behind us (by the data or by the calendar) no required pace is given."""
    p = progress
    today = current_year if current_year is not None else timezone.localdate().year
    passed = p.status == Status.TARGET_YEAR_PASSED or today > p.target_year
    values = {
        "what": what,
        "first": format_value(p.first.value, series, unit),
        "first_year": p.first.year,
        "last": format_value(p.last.value, series, unit),
        "last_year": p.last.year,
        "target_year": p.target_year,
        "change": format_change(p.observed_annual_change, series, unit),
        "required": format_change(p.required_annual_change or 0.0, series, unit),
        "times": number(p.times_faster, 0 if (p.times_faster or 0) >= 10 else 1),
        "year_reached": p.year_reached,
    }
    if p.status == Status.TARGET_REACHED:
        return _("%(what)s: zero was reached by %(last_year)s.") % values
    if p.status == Status.REVERSING:
        return (
            _(
                "%(what)s rose from %(first)s in %(first_year)s to %(last)s in %(last_year)s: "
                "at this pace the target of zero by %(target_year)s will not be reached."
            )
            % values
        )
    if not p.at_current_pace:
        return (
            _(
                "%(what)s did not fall between %(first_year)s and %(last_year)s (%(last)s): "
                "at this pace the target of zero by %(target_year)s will not be reached."
            )
            % values
        )
    if p.status == Status.TARGET_YEAR_PASSED:
        return (
            _(
                "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s, "
                "after the target year %(target_year)s; at this pace zero would be reached in "
                "%(year_reached)s."
            )
            % values
        )
    if passed and p.status != Status.ON_TRACK:
        return (
            _(
                "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s. "
                "The %(target_year)s target date has passed; at the %(first_year)s-%(last_year)s "
                "pace, zero would be reached only in %(year_reached)s."
            )
            % values
        )
    if p.status == Status.ON_TRACK:
        return (
            _(
                "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s, "
                "by %(change)s a year on average: at this pace zero would be reached in "
                "%(year_reached)s, within the target of %(target_year)s."
            )
            % values
        )
    return (
        _(
            "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s, by "
            "%(change)s a year on average. Reaching zero by %(target_year)s would need a fall "
            "of %(required)s a year, %(times)s times faster. At the current pace, zero would "
            "be reached only in %(year_reached)s."
        )
        % values
    )
