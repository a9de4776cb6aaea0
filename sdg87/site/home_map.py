"""The home page's map of the headline series, SDG 8.7.1 child labour by country: the newest
value of each country, drawn with `sdg87.core.charts.world_map`, with its table, sources and
the span of years the values come from (countries survey in different years)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.core.charts import world_map
from sdg87.indicators import labels
from sdg87.indicators.models import Release, Series
from sdg87.indicators.selectors import series_get
from sdg87.site import selectors as sel
from sdg87.site.contexts.base import api_url, releases_of
from sdg87.site.contexts.text import sort_key

# The two 8.7.1 series; the map shows the first that has country values: economic activity,
# the measure the country pages lead with on a tie (sdg87.site.summaries).
HEADLINE_SERIES = ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC")


@dataclass(frozen=True)
class HeadlineMap:
    series: Series
    spec: dict[str, Any]
    table: list[dict[str, Any]]
    columns: list[tuple[str, str]]
    releases: list[Release]
    countries: int
    first_year: int
    last_year: int
    csv_url: str
    json_url: str


def headline_map() -> HeadlineMap | None:
    """The map of the first 8.7.1 series with country values, or None when none is loaded."""
    year_to = timezone.localdate().year
    for code in HEADLINE_SERIES:
        series = series_get(code=code)
        if series is None:
            continue
        slice_ = sel.series_default_slice(series=series)
        observations = sel.latest_by_geography(
            series=series,
            sex=slice_.sex,
            age=slice_.age,
            dimensions_key=slice_.dimensions_key,
            year_to=year_to,
        )
        if observations:
            return _map(series, slice_, observations, year_to)
    return None


def _map(series: Series, slice_: sel.Slice, observations: list[Any], year_to: int) -> HeadlineMap:
    observations = sorted(observations, key=lambda o: sort_key(o.geography.name))
    name = labels.series_name(series)
    unit = labels.unit_label(series)
    decimals = series.decimals if series.decimals is not None else 1
    years = [o.year for o in observations]
    rows = [
        {"m49": o.geography.m49, "name": o.geography.name, "value": o.value, "year": o.year}
        for o in observations
        if o.geography.m49
    ]
    spec = world_map(
        rows,
        title=_("%(series)s: the newest value of each country") % {"series": name},
        description=_(
            "World map of %(series)s in %(count)s countries, from surveys of %(first)s to "
            "%(last)s; countries without data are grey. The table gives each country's value "
            "and year."
        )
        % {"series": name, "count": len(rows), "first": min(years), "last": max(years)},
        legend_title=unit,
        labels={
            "name": _("Country or area"),
            "value": _("Value"),
            "year": _("Year"),
            "no_data": _("No data"),
        },
        value_format=f",.{decimals}f",
    )
    params = [
        ("series", series.code),
        ("sex", slice_.sex),
        ("age", slice_.age),
        ("year_to", str(year_to)),
        ("region", sel.WORLD_CODE),
        ("latest", "true"),
        *[("dimension", part) for part in slice_.dimensions_key.split("|") if part],
    ]
    return HeadlineMap(
        series=series,
        spec=spec,
        table=[
            {
                "name": o.geography.name,
                "value": labels.number(o.value, decimals),
                "year": o.year,
            }
            for o in observations
        ],
        columns=[("name", _("Country or area")), ("value", unit), ("year", _("Year"))],
        releases=releases_of(observations),
        countries=len(observations),
        first_year=min(years),
        last_year=max(years),
        csv_url=api_url([*params, ("format", "csv")]),
        json_url=api_url(params),
    )
