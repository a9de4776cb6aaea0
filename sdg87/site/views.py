"""Public pages. Views parse the query, call selectors and shape the context; no logic here
beyond choosing defaults. Whole pages are cached per URL (the language is in the path) and per
data version, so no page outlives a change of what the public may see."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sdg87.core.cache import cache_public_page
from sdg87.geo.models import Geography, GeographyKind
from sdg87.geo.selectors import country_get, country_list, geography_resolve
from sdg87.indicators.selectors import (
    indicator_list,
    series_get,
    series_summary,
    series_without_indicator,
)
from sdg87.site import charts as site_charts
from sdg87.site import labels, pages, summaries
from sdg87.site import selectors as sel
from sdg87.site.gaps import data_gaps
from sdg87.site.pathfinder import pathfinder_countries, pathfinder_get
from sdg87.site.publications import publication_list

PAGE_CACHE_SECONDS = 300
MAX_CHART_GEOS = 8
SORTS = {"name", "-name", "value", "-value", "year", "-year"}


def _api_url(params: list[tuple[str, str]]) -> str:
    """An API query for exactly the data a page shows, with names in the page language."""
    lang = (get_language() or "en")[:2]
    if lang != "en":
        params = [*params, ("lang", lang)]
    return "/api/v1/observations?" + urlencode(params)


@cache_public_page(PAGE_CACHE_SECONDS)
def home(request: HttpRequest) -> HttpResponse:
    headlines = pages.home_headlines()
    progress = pages.world_progress()
    return render(request, "site/home.html", {"headlines": headlines, "progress": progress})


@cache_public_page(PAGE_CACHE_SECONDS)
def global_estimates(request: HttpRequest) -> HttpResponse:
    context = pages.global_estimates_context()
    context["progress"] = pages.world_progress()
    trend_params = [
        *[("series", code) for code in (pages.CL_NUM, pages.CL_PCT, pages.HAZ_NUM, pages.HAZ_PCT)],
        ("geo", sel.WORLD_CODE),
        ("sex", "_T"),
        ("age", pages.CHILD_AGE),
    ]
    ms_params = [
        ("series", pages.MS_NUM),
        ("series", pages.MS_PREV),
        ("geo", sel.WORLD_CODE),
        ("sex", "_T"),
        ("age", "_T"),
    ]
    sector_params = [
        ("series", pages.CL_SHARE),
        ("geo", sel.WORLD_CODE),
    ]
    context["downloads"] = {
        "sector_csv": _api_url([*sector_params, ("format", "csv")]),
        "sector_json": _api_url(sector_params),
        "trend_csv": _api_url([*trend_params, ("format", "csv")]),
        "trend_json": _api_url(trend_params),
        "ms_csv": _api_url([*ms_params, ("format", "csv")]),
        "ms_json": _api_url(ms_params),
    }
    context.update(
        site_charts.estimates_charts(
            trend=context["trend"], by_sector=context["by_sector"], ms_rows=context["ms_rows"]
        )
    )
    return render(request, "site/global_estimates.html", context)


@cache_public_page(PAGE_CACHE_SECONDS)
def methods_progress(request: HttpRequest) -> HttpResponse:
    return render(request, "site/methods_progress.html", pages.methods_context())


@cache_public_page(PAGE_CACHE_SECONDS)
def indicator_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/indicator_index.html",
        {
            "indicators": indicator_list(),
            "other_series": series_without_indicator(),
        },
    )


def _choice(value: str | None, allowed: list[str], default: str) -> str:
    return value if value in allowed else default


@cache_public_page(PAGE_CACHE_SECONDS)
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    series = series_get(code=code)
    if series is None:
        raise Http404(_("No such series."))
    default = sel.series_default_slice(series=series)
    options = sel.series_filter_options(series=series)
    sex = _choice(request.GET.get("sex"), options.sexes, default.sex)
    age = _choice(request.GET.get("age"), options.ages, default.age)
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and int(year_raw) in options.years else None
    sort = _choice(request.GET.get("sort"), sorted(SORTS), "name")
    dims = default.dimensions_key if (sex, age) == (default.sex, default.age) else None

    # Projections (e.g. population to 2100) are not "latest values": stop at this year.
    this_year = timezone.localdate().year
    year_to = year if year is not None else this_year
    latest = sel.latest_by_geography(
        series=series, sex=sex, age=age, dimensions_key=dims, year_to=year_to
    )
    table = pages.sort_latest(latest, sort)

    requested = request.GET.getlist("geo")[:MAX_CHART_GEOS]
    found, unknown = geography_resolve(codes=requested) if requested else ({}, [])
    chosen: list[Geography] = list(dict.fromkeys(found.values()))
    slice_ = sel.Slice(sex=sex, age=age, dimensions_key=dims or "")
    if not requested:
        # A line needs two points: default to places with at least two years.
        chosen = sel.series_geographies_with_data(series=series, slice_=slice_, min_points=2)[:4]
        if not chosen:
            chosen = sel.series_top_countries(series=series, slice_=slice_, min_points=2)
    timelines = sel.series_timelines(
        series=series, geographies=chosen, sex=sex, age=age, dimensions_key=dims
    )

    summary = series_summary(series=series)
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
    geo_params = [pages.geo_param(g) for g in chosen]
    chart_params = [("series", series.code), ("sex", sex), ("age", age), *geo_params]
    downloads = {
        "table_csv": _api_url([*shown, ("format", "csv")]),
        "table_json": _api_url(shown),
        "chart_csv": _api_url([*chart_params, ("format", "csv")]),
        "chart_json": _api_url(chart_params),
    }
    context: dict[str, Any] = {
        "series": series,
        "indicator": series.indicator,
        "options": options,
        "sex": sex,
        "age": age,
        "year": year,
        "sort": sort,
        "sort_links": pages.sort_links(request, sort),
        "table": table,
        "chosen": chosen,
        "chosen_codes": {pages.geo_code(g) for g in chosen},
        "unknown_geos": unknown,
        "geo_choices": pages.geo_choices(series=series),
        "timelines": [(g, timelines.get(g.pk, [])) for g in chosen],
        "chart_has_data": any(timelines.get(g.pk) for g in chosen),
        "chosen_by_user": bool(requested),
        "downloads": downloads,
        "summary": summary,
        "natures": sorted({o.nature for o in latest}),
        "releases": pages.releases_of(latest, *timelines.values()),
        "unit_label": labels.unit_label(series),
    }
    context.update(
        site_charts.indicator_charts(
            series=series, table=table, timelines=context["timelines"], downloads=downloads
        )
    )
    return render(request, "site/indicator_detail.html", context)


@cache_public_page(PAGE_CACHE_SECONDS)
def country_index(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    region_code = (request.GET.get("region") or "").strip()
    regions = list(Geography.objects.filter(kind=GeographyKind.SDG_REGION))
    regions.sort(key=lambda g: g.name)
    region = next((r for r in regions if r.code == region_code), None)
    # Matched here rather than in SQL so that "cote" finds "Côte d'Ivoire".
    countries = [c for c in country_list(region=region) if pages.country_matches(c, q)]
    countries.sort(key=lambda g: pages.sort_key(g.name))
    pathfinders = pathfinder_countries()
    return render(
        request,
        "site/country_index.html",
        {
            "countries": [(c, c.iso3 in pathfinders) for c in countries],
            "regions": regions,
            "region": region,
            "q": q,
        },
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    country = country_get(iso3=iso3)
    if country is None:
        raise Http404(_("No such country."))
    region = sel.geography_sdg_region(geography=country)
    world_geo = sel.world()
    current_year = timezone.localdate().year
    rows = sel.country_series_rows(
        country=country, region=region, world_geo=world_geo, max_year=current_year
    )
    latest_years = pages.key_series_latest_years(rows)
    gap_report = data_gaps(
        key_codes=[code for code, _label in pages.KEY_SERIES],
        latest_years=latest_years,
        current_year=current_year,
    )
    assessments = pages.country_assessments(country=country)
    context: dict[str, Any] = {
        "country": country,
        "region": region,
        "world": world_geo,
        "rows": rows,
        "rows_by_code": {row.series.code: row for row in rows},
        "pathfinder": pathfinder_get(iso3=country.iso3 or ""),
        "gaps": gap_report,
        "gap_labels": dict(pages.key_series_labels()),
        "current_year": current_year,
        "assessments": assessments,
        "releases": pages.releases_of(*[r.trend for r in rows]),
        "api_csv": _api_url([("country", country.iso3 or ""), ("format", "csv")]),
        "api_json": _api_url([("country", country.iso3 or "")]),
    }
    context["summary"] = summaries.country_summary(
        country=country,
        region=region,
        rows_by_code=context["rows_by_code"],
        gaps=gap_report,
        assessments=assessments,
        references=pages.child_labour_references(region=region, world_geo=world_geo),
    )
    context["progress"] = pages.country_progress(country=country, rows=rows)
    context.update(site_charts.country_charts(rows=rows))
    return render(request, "site/country_detail.html", context)


@cache_public_page(PAGE_CACHE_SECONDS)
def publication_index(request: HttpRequest) -> HttpResponse:
    themes = pages.publication_theme_labels()
    theme = request.GET.get("theme", "")
    language = request.GET.get("language", "")
    items = [
        p
        for p in publication_list()
        if (not theme or theme in p.themes) and (not language or p.language == language)
    ]
    return render(
        request,
        "site/publication_index.html",
        {
            "publications": items,
            "themes": themes,
            "theme": theme if theme in themes else "",
            "language": language,
            "kinds": pages.publication_kind_labels(),
        },
    )
