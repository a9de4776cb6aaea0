"""Chart specs for the public pages, built with sdg87.core.charts from already-read rows.

All chart text is translated here (the builders take translated strings)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sdg87.core.charts import annotated, bar_chart, line_chart, sparkline, symbol_map, world_map
from sdg87.geo.models import Geography
from sdg87.indicators import labels
from sdg87.indicators.models import Observation, Release, Series, release_rank
from sdg87.indicators.targets import CHILD_LABOUR_TARGET_YEAR, zero_is_target
from sdg87.site.selectors import CountrySeriesRow


def _labels() -> dict[str, str]:
    return {
        "geo": _("Geography"),
        "year": _("Year"),
        "value": _("Value"),
        "nature": _("Nature"),
        "name": _("Country or area"),
        "category": _("Category"),
        "no_data": _("No data"),
    }


def _with_field_titles(spec: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Give untitled encodings a translated title: Vega reads field titles into the marks'
    aria descriptions ("year: 2007; value: 114" otherwise, in English on every page)."""
    for layer in spec.get("layer", [spec]):
        for channel in layer.get("encoding", {}).values():
            if isinstance(channel, dict) and channel.get("field") in names:
                channel.setdefault("title", names[channel["field"]])
    return spec


def _value_format(series: Series) -> str:
    decimals = series.decimals if series.decimals is not None else 1
    return f",.{decimals}f"


# The ILO-UNICEF global estimates of child labour are made every four years (2000-2024).
ESTIMATES_INTERVAL = 4

COUNT_UNIT_PREFIXES = ("NUMBER", "THOUSAND", "MILLION", "ADDITIONAL_MILLION")


def is_count(series: Series) -> bool:
    """Whether the series counts people (a number, thousands, millions) rather than a rate: a
    map of it uses proportional circles, never colours (large countries are not worse for
    being large)."""
    return series.unit.upper().startswith(COUNT_UNIT_PREFIXES)


def shows_zero_target(series: Series) -> bool:
    indicator = series.indicator.code if series.indicator is not None else None
    return zero_is_target(indicator_code=indicator, target_year=series.target_year)


MAX_CREDITED_RELEASES = 3


def chart_credits(*, releases: Iterable[Release], url: str) -> list[str]:
    """Lines drawn under an exported chart: its sources, their licences, the date of the newest
    release shown and the address of the page that draws it (already translated)."""
    newest_first = sorted(
        {r.pk: r for r in releases}.values(),
        key=lambda r: release_rank(r.year, r.released_on, r.pk),
        reverse=True,
    )
    lines = []
    if newest_first:
        named = [
            _("%(publisher)s, %(title)s (%(year)s)")
            % {"publisher": r.source.publisher, "title": r.title, "year": r.year}
            for r in newest_first[:MAX_CREDITED_RELEASES]
        ]
        more = len(newest_first) - MAX_CREDITED_RELEASES
        sources = "; ".join(named)
        if more > 0:
            sources += " " + (
                ngettext("and %(count)s other release", "and %(count)s other releases", more)
                % {"count": more}
            )
        lines.append(_("Source: %(sources)s.") % {"sources": sources})
        licences = ", ".join(sorted({str(r.licence) for r in newest_first if r.licence}))
        newest = newest_first[0]
        released = (
            date_format(newest.released_on, "DATE_FORMAT")
            if newest.released_on
            else str(newest.year)
        )
        lines.append(
            _("Licence: %(licences)s. Data released %(date)s.")
            % {"licences": licences or _("see the source"), "date": released}
        )
    lines.append(url)
    return lines


def absolute(path: str) -> str:
    """The address on the public site (SITE_URL), for text drawn into images."""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + path


def indicator_charts(
    *,
    series: Series,
    table: Sequence[Observation],
    timelines: Sequence[tuple[Geography, list[Observation]]],
    downloads: dict[str, str],
    subtitle: str = "",
    year: int | None = None,
    line_credits: Sequence[str] = (),
    map_credits: Sequence[str] = (),
) -> dict[str, Any]:
    """The indicator page's line chart of chosen places and map of each country's latest value.

    No zero-target marker where zero is not the target (detected victims); counts are mapped
    as proportional circles; lines break at missing years; `subtitle` (the breakdown shown) and
    the credits are drawn into the charts, so an exported image says what, whence and where."""
    name = labels.series_name(series)
    unit = labels.unit_label(series)
    line_rows = [
        {"geo": geo.name, "year": o.year, "value": o.value, "nature": o.nature}
        for geo, observations in timelines
        for o in observations
    ]
    chosen = ", ".join(geo.name for geo, _obs in timelines)
    target_year = series.target_year if shows_zero_target(series) else None
    line = line_chart(
        line_rows,
        title=name,
        description=_("%(series)s over time for %(places)s.") % {"series": name, "places": chosen},
        x_title=_("Year"),
        y_title=unit,
        target_year=target_year,
        target_label=(_("Target: zero by %(year)s") % {"year": target_year} if target_year else ""),
        labels=_labels(),
        value_format=_value_format(series),
    )
    line = annotated(line, subtitle=subtitle, credits=line_credits)
    map_rows = [
        {"m49": o.geography.m49, "name": o.geography.name, "value": o.value, "year": o.year}
        for o in table
        if o.geography.m49
    ]
    if year is None:
        map_title = _("%(series)s: latest value per country") % {"series": name}
    else:
        map_title = _("%(series)s: latest value per country up to %(year)s") % {
            "series": name,
            "year": year,
        }
    if is_count(series):
        world = symbol_map(
            map_rows,
            title=map_title,
            description=_(
                "World map of the latest value of %(series)s for %(count)s countries, each a "
                "circle whose area is proportional to the number; countries without a circle "
                "have no data. The year of each value is in the table."
            )
            % {"series": name, "count": len(map_rows)},
            legend_title=unit,
            labels=_labels(),
            value_format=_value_format(series),
        )
    else:
        world = world_map(
            map_rows,
            title=map_title,
            description=_(
                "World map of the latest value of %(series)s for %(count)s countries; "
                "the year of each value is in the table."
            )
            % {"series": name, "count": len(map_rows)},
            legend_title=unit,
            labels=_labels(),
            value_format=_value_format(series),
        )
    world = annotated(world, subtitle=subtitle, credits=map_credits)
    line_columns = [
        ("geo", _("Geography")),
        ("year", _("Year")),
        ("value", unit),
        ("nature", _("Nature")),
    ]
    map_columns = [("name", _("Country or area")), ("value", unit), ("year", _("Year"))]
    return {
        "line_spec": line,
        "line_columns": line_columns,
        "line_table": _formatted(line_rows, series),
        "map_spec": world,
        "map_columns": map_columns,
        "map_table": _formatted(map_rows, series),
        "map_is_symbols": is_count(series),
    }


def _formatted(rows: Sequence[dict[str, Any]], series: Series) -> list[dict[str, Any]]:
    """Table rows with values in the page language and the series' decimals."""
    decimals = series.decimals if series.decimals is not None else 1
    return [{**row, "value": labels.number(row["value"], decimals)} for row in rows]


def country_charts(*, rows: Sequence[CountrySeriesRow]) -> dict[str, Any]:
    """A sparkline per series with at least two years of data, keyed by series code."""
    sparks: dict[str, dict[str, Any]] = {}
    for row in rows:
        if len(row.trend) < 2:
            continue
        name = labels.series_name(row.series)
        first, last = row.trend[0], row.trend[-1]
        # The sparkline builder takes no labels: title its year/value fields here.
        sparks[row.series.code] = _with_field_titles(
            spec=sparkline(
                [{"year": o.year, "value": o.value} for o in row.trend],
                title=name,
                description=_("Trend from %(first_year)s (%(first)s) to %(last_year)s (%(last)s).")
                % {
                    "first_year": first.year,
                    "first": labels.format_value(first.value, row.series, first.unit),
                    "last_year": last.year,
                    "last": labels.format_value(last.value, row.series, last.unit),
                },
            ),
            names={"year": _("Year"), "value": _("Value")},
        )
    return {"sparks": sparks}


def estimates_charts(
    *, trend: Sequence[Any], by_sector: Sequence[tuple[Observation, str]], ms_rows: Any
) -> dict[str, Any]:
    """Global estimates: child labour over time, sectors in the latest year, slavery forms.

    Each chart carries its sources, licence, release date and the page's address (drawn into
    the image). The estimates are made every four years, so the line joins editions four
    years apart: the years between are not missing data."""
    url = absolute(reverse("site:global-estimates"))
    trend_releases = [
        o.release for row in trend for o in (row.cl_num, row.haz_num) if o is not None
    ]
    line_rows = []
    for row in trend:
        if row.cl_num is not None:
            line_rows.append(
                {"geo": _("Child labour"), "year": row.year, "value": row.cl_num.value}
            )
        if row.haz_num is not None:
            line_rows.append(
                {"geo": _("Hazardous work"), "year": row.year, "value": row.haz_num.value}
            )
    out: dict[str, Any] = {}
    if line_rows:
        out["cl_spec"] = line_chart(
            line_rows,
            title=_("Children in child labour and hazardous work, world (millions)"),
            description=_(
                "Number of children aged 5-17 in child labour and in hazardous work, "
                "%(first)s to %(last)s, in millions."
            )
            % {"first": line_rows[0]["year"], "last": line_rows[-1]["year"]},
            x_title=_("Year"),
            y_title=_("Millions of children"),
            target_year=CHILD_LABOUR_TARGET_YEAR,
            target_label=_("Target: zero by %(year)s") % {"year": CHILD_LABOUR_TARGET_YEAR},
            labels={**_labels(), "geo": _("Measure")},
            value_format=",.1f",
            max_gap=ESTIMATES_INTERVAL,
        )
        out["cl_spec"] = annotated(
            out["cl_spec"], credits=chart_credits(releases=trend_releases, url=url)
        )
        out["cl_columns"] = [
            ("geo", _("Measure")),
            ("year", _("Year")),
            ("value", _("Millions of children")),
        ]
        out["cl_table"] = [{**row, "value": labels.number(row["value"], 1)} for row in line_rows]
    shares = [(o, label) for o, label in by_sector if o.unit.upper().startswith("PERCENT")]
    if shares:
        year = max(o.year for o, _label in shares)
        latest = [(o, label) for o, label in shares if o.year == year]
        bars: list[dict[str, Any]] = [{"category": label, "value": o.value} for o, label in latest]
        out["sector_spec"] = bar_chart(
            bars,
            title=_("Child labour by sector, %(year)s (%% of child labour)") % {"year": year},
            description=_("Share of children in child labour working in each sector, %(year)s.")
            % {"year": year},
            x_title=_("Per cent of children in child labour"),
            y_title=_("Sector"),
            labels={**_labels(), "category": _("Sector")},
            value_format=".0f",
        )
        out["sector_spec"] = annotated(
            out["sector_spec"],
            credits=chart_credits(releases=[o.release for o, _label in latest], url=url),
        )
        out["sector_columns"] = [("category", _("Sector")), ("value", _("Per cent"))]
    short = {
        "form=MODERN_SLAVERY": _("Modern slavery"),
        "form=FORCED_LABOUR": _("Forced labour"),
        "form=FORCED_MARRIAGE": _("Forced marriage"),
    }
    ms_bars: list[dict[str, Any]] = []
    ms_releases = []
    for row in ms_rows:
        for number, _prevalence in row["cells"]:
            if number is not None and number.dimensions_key in short:
                ms_releases.append(number.release)
                ms_bars.append(
                    {
                        "category": _("%(form)s, %(year)s")
                        % {"form": short[number.dimensions_key], "year": number.year},
                        "value": number.value,
                    }
                )
    if ms_bars:
        out["ms_spec"] = bar_chart(
            ms_bars,
            title=_("Modern slavery by form, world (millions of people)"),
            description=_(
                "People in modern slavery, forced labour and forced marriage in each estimate "
                "year, in millions."
            ),
            x_title=_("Millions of people"),
            y_title="",
            labels={**_labels(), "category": _("Form and year")},
            value_format=",.1f",
            sort=False,
        )
        out["ms_spec"] = annotated(
            out["ms_spec"], credits=chart_credits(releases=ms_releases, url=url)
        )
        out["ms_columns"] = [("category", _("Form and year")), ("value", _("Millions of people"))]
        out["ms_table"] = [{**b, "value": labels.number(b["value"], 1)} for b in ms_bars]
        out["sector_table"] = [
            {"category": label, "value": labels.number(o.value, 0)} for o, label in latest
        ]
    return out
