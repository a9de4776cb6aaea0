"""The global estimates page: the ILO-UNICEF child labour trend and breakdowns and the
modern slavery estimates, with their releases, downloads and charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdg87.indicators.models import Observation, Release
from sdg87.indicators.selectors import observations_of_series
from sdg87.site import charts as site_charts
from sdg87.site.contexts.base import PageContext, api_url, releases_of
from sdg87.site.contexts.estimates import (
    CHILD_AGE,
    CL_NUM,
    CL_PCT,
    CL_SHARE,
    HAZ_NUM,
    HAZ_PCT,
    MS_FORMS,
    MS_NUM,
    MS_PREV,
    dimension_label,
    world_history,
)
from sdg87.site.contexts.progress import ProgressItem, world_progress
from sdg87.site.selectors import WORLD_CODE


@dataclass(frozen=True)
class TrendRow:
    year: int
    cl_num: Observation | None
    cl_pct: Observation | None
    haz_num: Observation | None
    haz_pct: Observation | None


@dataclass(frozen=True)
class GlobalEstimatesContext(PageContext):
    trend: list[TrendRow]
    by_sex: list[Observation]
    by_age: list[Observation]
    by_sector: list[tuple[Observation, str]]
    by_region: list[Observation]
    ms_years: list[int]
    ms_rows: list[dict[str, Any]]
    releases: list[Release]
    estimates: list[Observation]
    progress: list[ProgressItem]
    downloads: dict[str, str]
    charts: dict[str, Any]


def global_estimates_context() -> GlobalEstimatesContext:
    tables = _estimates_tables()
    trend_params = [
        *[("series", code) for code in (CL_NUM, CL_PCT, HAZ_NUM, HAZ_PCT)],
        ("geo", WORLD_CODE),
        ("sex", "_T"),
        ("age", CHILD_AGE),
    ]
    ms_params = [
        ("series", MS_NUM),
        ("series", MS_PREV),
        ("geo", WORLD_CODE),
        ("sex", "_T"),
        ("age", "_T"),
    ]
    sector_params = [("series", CL_SHARE), ("geo", WORLD_CODE)]
    downloads = {
        "sector_csv": api_url([*sector_params, ("format", "csv")]),
        "sector_json": api_url(sector_params),
        "trend_csv": api_url([*trend_params, ("format", "csv")]),
        "trend_json": api_url(trend_params),
        "ms_csv": api_url([*ms_params, ("format", "csv")]),
        "ms_json": api_url(ms_params),
    }
    charts = site_charts.estimates_charts(
        trend=tables["trend"], by_sector=tables["by_sector"], ms_rows=tables["ms_rows"]
    )
    return GlobalEstimatesContext(
        **tables, progress=world_progress(), downloads=downloads, charts=charts
    )


def _estimates_tables() -> dict[str, Any]:
    cl_num = world_history(CL_NUM, age=CHILD_AGE)
    cl_pct = world_history(CL_PCT, age=CHILD_AGE)
    haz_num = world_history(HAZ_NUM, age=CHILD_AGE)
    haz_pct = world_history(HAZ_PCT, age=CHILD_AGE)
    years = sorted(set(cl_num) | set(cl_pct) | set(haz_num) | set(haz_pct))
    trend = [
        TrendRow(y, cl_num.get(y), cl_pct.get(y), haz_num.get(y), haz_pct.get(y)) for y in years
    ]
    estimates = observations_of_series(
        series_codes=[CL_NUM, CL_PCT, CL_SHARE, HAZ_NUM, HAZ_PCT, MS_NUM, MS_PREV]
    )
    world = [o for o in estimates if o.geography.code == WORLD_CODE]
    by_sex = [o for o in world if o.series.code in {CL_NUM, CL_PCT} and o.sex in {"F", "M"}]
    by_age = [
        o
        for o in world
        if o.series.code in {CL_NUM, HAZ_NUM}
        and o.sex == "_T"
        and o.age != CHILD_AGE
        and not o.dimensions_key
    ]
    by_sector = [
        o
        for o in world
        if o.series.code in {CL_NUM, CL_SHARE} and o.dimensions_key.startswith("sector=")
    ]
    by_region = [
        o
        for o in estimates
        if o.series.code in {CL_NUM, CL_PCT, HAZ_PCT}
        and o.geography.code != WORLD_CODE
        and o.sex == "_T"
        and not o.dimensions_key
    ]
    ms_world = [
        o
        for o in world
        if o.series.code in {MS_NUM, MS_PREV}
        and o.sex == "_T"
        and o.age == "_T"
        and o.dimensions_key.startswith("form=")
        and "|" not in o.dimensions_key
    ]
    ms_years = sorted({o.year for o in ms_world})
    ms_rows = []
    for key in sorted({o.dimensions_key for o in ms_world}, key=_form_order):
        cells = {(o.series.code, o.year): o for o in ms_world if o.dimensions_key == key}
        ms_rows.append(
            {
                "label": dimension_label(key),
                # Home headlines link here (#forced-labour); #modern-slavery is the section.
                "anchor": _form_anchor(key),
                "cells": [(cells.get((MS_NUM, y)), cells.get((MS_PREV, y))) for y in ms_years],
            }
        )
    by_sector.sort(key=lambda o: (o.year, o.series.code, -o.value))
    by_region.sort(key=lambda o: (o.year, o.series.code, o.geography.name))
    by_sex.sort(key=lambda o: (o.year, o.series.code, o.sex))
    by_age.sort(key=lambda o: (o.year, o.series.code, o.age))
    return {
        "trend": trend,
        "by_sex": by_sex,
        "by_age": by_age,
        "by_sector": [(o, dimension_label(o.dimensions_key)) for o in by_sector],
        "by_region": by_region,
        "ms_years": ms_years,
        "ms_rows": ms_rows,
        "releases": releases_of(estimates),
        "estimates": estimates,
    }


def _form_anchor(key: str) -> str:
    anchor = key.removeprefix("form=").lower().replace("_", "-")
    return "" if anchor == "modern-slavery" else anchor


def _form_order(key: str) -> tuple[int, str]:
    form = key.removeprefix("form=")
    return (MS_FORMS.index(form) if form in MS_FORMS else 9, form)
