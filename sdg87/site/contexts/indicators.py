"""The indicator pages: the list of indicators and series, and one series' explorer built
around one full-width view: a chart of chosen places over time, a map of each country's latest
value, or the sortable table of those values (`?view=chart|map|table`, plain links), with the
downloads of exactly what is shown and embed code for the chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.geo.models import Geography, GeographyKind
from sdg87.geo.selectors import geography_resolve
from sdg87.indicators import labels
from sdg87.indicators.models import Indicator, Observation, Release, Series
from sdg87.indicators.selectors import (
    SeriesSummary,
    indicator_list,
    series_get,
    series_list,
    series_summary,
    series_without_indicator,
)
from sdg87.site import charts as site_charts
from sdg87.site import selectors as sel
from sdg87.site.contexts.base import PageContext, api_url, releases_of
from sdg87.site.contexts.text import geo_code, geo_param, sort_key

MAX_CHART_GEOS = 8
VIEWS = ("chart", "map", "table")
SORTS = {"name", "-name", "value", "-value", "year", "-year"}
AGGREGATE_ORDER: list[str] = [
    GeographyKind.WORLD,
    GeographyKind.SDG_REGION,
    GeographyKind.ILO_REGION,
]


@dataclass(frozen=True)
class IndicatorIndexContext(PageContext):
    indicators: QuerySet[Indicator]
    other_series: QuerySet[Series]


def indicator_index_context() -> IndicatorIndexContext:
    return IndicatorIndexContext(
        indicators=indicator_list(), other_series=series_without_indicator()
    )


@dataclass(frozen=True)
class ViewLink:
    key: str
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class IndicatorDetailContext(PageContext):
    series: Series
    indicator: Indicator | None
    options: sel.FilterOptions
    sex: str
    age: str
    year: int | None
    sort: str
    sort_links: dict[str, dict[str, str]]
    table: list[Observation]
    chosen: list[Geography]
    chosen_codes: set[str]
    unknown_geos: list[str]
    geo_choices: list[tuple[str, list[Geography]]]
    timelines: list[tuple[Geography, list[Observation]]]
    chart_has_data: bool
    chosen_by_user: bool
    downloads: dict[str, str]
    summary: SeriesSummary
    natures: list[str]
    releases: list[Release]
    unit_label: str
    view: str
    view_links: list[ViewLink]
    too_many_geos: bool
    rate_series: list[Series]
    chart_url: str
    embed_url: str
    charts: dict[str, Any]


def _choice(value: str | None, allowed: Sequence[str], default: str) -> str:
    return value if value is not None and value in allowed else default


def indicator_detail_context(
    *,
    code: str,
    sex: str | None,
    age: str | None,
    year: str | None,
    sort: str | None,
    geos: Sequence[str],
    params: Sequence[tuple[str, str]],
    view: str | None = None,
) -> IndicatorDetailContext | None:
    """One series' page for the requested breakdown (`params`: the whole query string, for
    the sort and view links); None when no public series has the code. Requests outside the
    data fall back to the series' defaults.

    `view` (else the `view` of `params`) picks chart, map or table. Without one, a `sort`
    means the table (the links that sorted the table before the views existed), otherwise the
    chart when some place has a trend to draw, else the map."""
    series = series_get(code=code)
    if series is None:
        return None
    default, options = sel.series_breakdowns(series=series)
    sex = _choice(sex, options.sexes, default.sex)
    age = _choice(age, options.ages, default.age)
    year_raw = year or ""
    chosen_year = int(year_raw) if year_raw.isdigit() and int(year_raw) in options.years else None
    sort = _choice(sort, sorted(SORTS), "name")
    dims = default.dimensions_key if (sex, age) == (default.sex, default.age) else None

    # Projections (e.g. population to 2100) are not "latest values": stop at this year.
    this_year = timezone.localdate().year
    year_to = chosen_year if chosen_year is not None else this_year
    latest = sel.latest_by_geography(
        series=series, sex=sex, age=age, dimensions_key=dims, year_to=year_to
    )
    table = sort_latest(latest, sort)

    requested = list(dict.fromkeys(geos))
    too_many_geos = len(requested) > MAX_CHART_GEOS
    requested = requested[:MAX_CHART_GEOS]
    found, unknown = geography_resolve(codes=requested) if requested else ({}, [])
    chosen: list[Geography] = list(dict.fromkeys(found.values()))
    slice_ = sel.Slice(sex=sex, age=age, dimensions_key=dims or "")
    if not requested:
        # A line needs two points: default to places with at least two years.
        chosen = sel.series_geographies_with_data(series=series, slice_=slice_, min_points=2)[:4]
        if not chosen:
            chosen = sel.series_top_countries(series=series, slice_=slice_, min_points=2)
    by_geo = sel.series_timelines(
        series=series, geographies=chosen, sex=sex, age=age, dimensions_key=dims
    )
    timelines = [(g, by_geo.get(g.pk, [])) for g in chosen]

    # Exactly the table: each country's newest year up to year_to, countries only.
    shown = [
        ("series", series.code),
        ("sex", sex),
        ("age", age),
        ("year_to", str(year_to)),
        ("region", sel.WORLD_CODE),
        ("latest", "true"),
        *[("dimension", part) for part in (dims or "").split("|") if part],
    ]
    geo_params = [geo_param(g) for g in chosen]
    chart_params = [("series", series.code), ("sex", sex), ("age", age), *geo_params]
    downloads = {
        "table_csv": api_url([*shown, ("format", "csv")]),
        "table_json": api_url(shown),
        "chart_csv": api_url([*chart_params, ("format", "csv")]),
        "chart_json": api_url(chart_params),
    }
    chart_has_data = any(by_geo.get(g.pk) for g in chosen)
    view = choose_view(view, params, chart_has_data=chart_has_data)
    dims_label = " · ".join(
        part
        for part in (labels.sex_label(sex), labels.age_label(age), labels.unit_label(series))
        if part
    )
    state = {
        "chart": [("view", "chart"), ("sex", sex), ("age", age), *geo_params],
        "map": [
            ("view", "map"),
            ("sex", sex),
            ("age", age),
            *([("year", str(chosen_year))] if chosen_year is not None else []),
        ],
    }
    page = reverse("site:indicator-detail", kwargs={"code": series.code})
    embed = reverse("site:indicator-embed", kwargs={"code": series.code})
    shown_state = state.get(view, state["map"])
    chart_url = site_charts.absolute(page + "?" + urlencode(shown_state))
    line_releases = releases_of(*by_geo.values())
    map_releases = releases_of(latest)
    return IndicatorDetailContext(
        series=series,
        indicator=series.indicator,
        options=options,
        sex=sex,
        age=age,
        year=chosen_year,
        sort=sort,
        sort_links=sort_links(params, sort),
        table=table,
        chosen=chosen,
        chosen_codes={geo_code(g) for g in chosen},
        unknown_geos=unknown,
        geo_choices=geo_choices(series=series),
        timelines=timelines,
        chart_has_data=chart_has_data,
        chosen_by_user=bool(requested),
        downloads=downloads,
        summary=series_summary(series=series),
        natures=sorted({o.nature for o in latest}),
        releases=releases_of(latest, *by_geo.values()),
        unit_label=labels.unit_label(series),
        view=view,
        view_links=view_links(params, view),
        too_many_geos=too_many_geos,
        rate_series=rate_series(series) if site_charts.is_count(series) else [],
        chart_url=chart_url,
        embed_url=site_charts.absolute(embed + "?" + urlencode(shown_state)),
        charts=site_charts.indicator_charts(
            series=series,
            table=table,
            timelines=timelines,
            downloads=downloads,
            subtitle=dims_label,
            year=chosen_year,
            line_credits=site_charts.chart_credits(
                releases=line_releases,
                url=site_charts.absolute(page + "?" + urlencode(state["chart"])),
            ),
            map_credits=site_charts.chart_credits(
                releases=map_releases,
                url=site_charts.absolute(page + "?" + urlencode(state["map"])),
            ),
        ),
    )


def choose_view(
    view: str | None, params: Sequence[tuple[str, str]], *, chart_has_data: bool
) -> str:
    asked = view if view is not None else dict(params).get("view")
    if asked in VIEWS:
        return str(asked)
    if any(key == "sort" for key, _value in params):
        return "table"
    return "chart" if chart_has_data else "map"


def view_links(params: Sequence[tuple[str, str]], current: str) -> list[ViewLink]:
    """Plain links to the chart, map and table of the same selection (no JavaScript)."""
    kept = [(key, value) for key, value in params if key != "view"]
    names = {"chart": _("Chart"), "map": _("Map"), "table": _("Table")}
    return [
        ViewLink(
            key=key,
            label=names[key],
            url="?" + urlencode([*kept, ("view", key)]),
            current=key == current,
        )
        for key in VIEWS
    ]


def rate_series(series: Series) -> list[Series]:
    """The same indicator's series expressed as a rate, for a page that maps a count: the
    series with the code plus R (the UN convention: VC_HTF_DETV, VC_HTF_DETVR) when there is
    one, else every rate series of the indicator."""
    if series.indicator is None:
        return []
    rates = [
        s
        for s in series_list(indicator=series.indicator)
        if s.pk != series.pk and s.unit.upper().startswith("PER_")
    ]
    same = [s for s in rates if s.code == f"{series.code}R"]
    return same or rates


def sort_latest(observations: list[Observation], sort: str) -> list[Observation]:
    field_name = sort.lstrip("-")
    reverse = sort.startswith("-")

    def key(obs: Observation) -> Any:
        if field_name == "value":
            return (obs.value, sort_key(obs.geography.name))
        if field_name == "year":
            return (obs.year, sort_key(obs.geography.name))
        return sort_key(obs.geography.name)

    return sorted(observations, key=key, reverse=reverse)


def sort_links(params: Sequence[tuple[str, str]], current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the URL sorting by it (toggling direction) and aria-sort."""
    out = {}
    for column in ("name", "value", "year"):
        if current == column:
            target, aria = f"-{column}", "ascending"
        elif current == f"-{column}":
            target, aria = column, "descending"
        else:
            target, aria = (column if column == "name" else f"-{column}"), "none"
        kept = [(key, item) for key, item in params if key != "sort"]
        kept.append(("sort", target))
        out[column] = {"url": "?" + urlencode(kept), "aria": aria}
    return out


def geo_choices(*, series: Series) -> list[tuple[str, list[Geography]]]:
    """Places for the chart picker: only those with data for the series, the world and
    regions first, then countries."""
    places = sel.series_places(series=series)
    aggregates = [g for g in places if g.kind != GeographyKind.COUNTRY]
    aggregates.sort(
        key=lambda g: (
            AGGREGATE_ORDER.index(g.kind) if g.kind in AGGREGATE_ORDER else 9,
            sort_key(g.name),
        )
    )
    countries = [g for g in places if g.kind == GeographyKind.COUNTRY]
    countries.sort(key=lambda g: sort_key(g.name))
    groups = [(_("World and regions"), aggregates), (_("Countries"), countries)]
    return [(label, geos) for label, geos in groups if geos]
