"""API v1: progress to target (GET /api/v1/progress). Methods: docs/methods-progress.md."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.schemas import Lang, dimension_filters, split_codes
from sdg87.geo.selectors import geography_resolve
from sdg87.indicators.analysis_selectors import (
    GeographyProgress,
    progress_list,
    series_aims_at_zero,
    series_target_year,
)
from sdg87.indicators.models import Age, dimensions_key_for
from sdg87.indicators.selectors import series_get

router = Router(tags=["progress"])

# The custodians' (ILO-UNICEF) global and regional estimates behind SDG 8.7.1: the share of
# children aged 5-17 in child labour, 2000-2024. Country progress comes from SL_TLF_CHLDEA and
# SL_TLF_CHLDEC, whose earlier UN SDG extracts give 34 and 25 countries two or more years.
DEFAULT_SERIES = "ILO_CL_PCT"
# Series whose observations all carry a breakdown: the total used when none is asked for.
DEFAULT_DIMENSIONS = {"GEMS_NUM": "form=MODERN_SLAVERY", "GEMS_PREV": "form=MODERN_SLAVERY"}
MAX_GEOS = 300


class YearValue(Schema):
    year: int
    value: float


class ProgressGeographyOut(Schema):
    code: str
    iso3: str | None
    m49: str | None
    name: str
    kind: str


class ReleaseRef(Schema):
    code: str
    title: str
    year: int
    citation: str
    source: str
    licence: str


class ProgressOut(Schema):
    series: str
    geography: ProgressGeographyOut
    age: str = Field(description="SDMX age code of the comparable observations.")
    dimensions: str = Field(description="Breakdown used, `key=value|...`; empty for none.")
    unit: str
    first: YearValue
    last: YearValue
    observations: int = Field(description="Number of comparable observations used.")
    natures: list[str] = Field(description="Nature flag of each comparable observation, by year.")
    observed_annual_change: float = Field(
        description="(last - first) / (last year - first year), in the unit per year "
        "(percentage points per year for percentages)."
    )
    least_squares_annual_change: float | None = Field(
        description="Least-squares slope over all comparable observations (3 or more)."
    )
    required_annual_change: float | None = Field(
        description="Change per year needed from the last observation to reach zero by the "
        "target year; null when the last observation is in or after the target year."
    )
    times_faster: float | None = Field(
        description="required / observed; null when the value is not falling "
        "('not at the current pace') or no time is left."
    )
    year_reached: int | None = Field(
        description="Year zero is reached at the observed pace; null if never at this pace."
    )
    status: str = Field(
        description="on_track, off_track, reversing, target_reached or target_year_passed."
    )
    target_year: int
    target_value: float
    source: str
    releases: list[ReleaseRef]


class ProgressList(Schema):
    count: int
    series: str
    target_year: int
    results: list[ProgressOut]


class ProgressFilters(Schema):
    series: str = Field(
        DEFAULT_SERIES,
        description="Series code. Default ILO_CL_PCT (ILO-UNICEF global estimates, % of "
        "children 5-17 in child labour); e.g. SL_TLF_CHLDEC, SP_DYN_MRBF18, GEMS_NUM.",
    )
    geo: list[str] | None = Field(
        None,
        description="Geography: ISO3, M49 or aggregate code. Repeatable or comma-separated. "
        "Default: every geography with at least two comparable observations.",
    )
    target_year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="Default: the series' target year (2025 child labour, 2030 the others).",
    )
    dimension: list[str] | None = Field(
        None,
        description="Breakdown `key=value`, repeatable, e.g. `form=FORCED_LABOUR`. Default: no "
        "breakdown (for GEMS_NUM/GEMS_PREV: form=MODERN_SLAVERY).",
    )
    age: Age | None = Field(
        None,
        description="SDMX age band. Default: 5-17, else all ages, else the band with "
        "most observations, per geography.",
    )
    lang: Lang = "en"


def _out(item: GeographyProgress) -> dict[str, Any]:
    geo, progress, comparable = item.geography, item.progress, item.comparable
    return {
        "series": item.series.code,
        "geography": {
            "code": geo.code,
            "iso3": geo.iso3,
            "m49": geo.m49,
            "name": geo.name,
            "kind": geo.kind,
        },
        "age": comparable.age,
        "dimensions": comparable.dimensions_key,
        "unit": comparable.unit,
        "first": {"year": progress.first.year, "value": progress.first.value},
        "last": {"year": progress.last.year, "value": progress.last.value},
        "observations": progress.n_points,
        "natures": comparable.natures,
        "observed_annual_change": progress.observed_annual_change,
        "least_squares_annual_change": progress.slope_annual_change,
        "required_annual_change": progress.required_annual_change,
        "times_faster": progress.times_faster,
        "year_reached": progress.year_reached,
        "status": str(progress.status),
        "target_year": progress.target_year,
        "target_value": progress.target_value,
        "source": comparable.source,
        "releases": [
            {
                "code": r.code,
                "title": r.title,
                "year": r.year,
                "citation": r.citation,
                "source": r.source.code,
                "licence": r.licence,
            }
            for r in item.releases
        ],
    }


def _dimensions_key(values: list[str] | None, *, series_code: str) -> str:
    dims = dimension_filters(values)
    if not dims:
        return DEFAULT_DIMENSIONS.get(series_code, "")
    return dimensions_key_for(dims)


@router.get(
    "/progress",
    operation_id="sdg87_api_progress_progress",
    response={200: ProgressList, **ERROR_RESPONSES},
    summary="Progress toward the target: observed and required annual change",
    url_name="progress",
)
def progress(request: HttpRequest, filters: Query[ProgressFilters]) -> dict[str, Any]:
    """For each geography with at least two comparable observations of the series: the first
    and last observation, the observed average annual change, the change per year needed to
    reach zero by the target year, how many times faster that is, the year zero is reached at
    the current pace and a status. See docs/methods-progress.md."""
    found = series_get(code=filters.series)
    if found is None:
        raise ApiError(
            status=400,
            code="unknown_series",
            message=_("Unknown series: %(value)s.") % {"value": filters.series},
            parameter="series",
        )
    if not series_aims_at_zero(series=found):
        raise ApiError(
            status=400,
            code="no_target_of_zero",
            message=_(
                "Series %(value)s does not aim at zero (a count of detected cases, a share or "
                "a broader measure than the target's), so no progress toward zero is computed."
            )
            % {"value": filters.series},
            parameter="series",
        )
    geography_ids = None
    codes = split_codes(filters.geo)
    if codes:
        if len(codes) > MAX_GEOS:
            raise ApiError(
                status=400,
                code="too_many_values",
                message=_("At most %(max)d geographies.") % {"max": MAX_GEOS},
                parameter="geo",
            )
        resolved, missing = geography_resolve(codes=codes)
        if missing:
            raise ApiError(
                status=400,
                code="unknown_geography",
                message=_("Unknown geography: %(value)s.") % {"value": ", ".join(missing)},
                parameter="geo",
            )
        geography_ids = {geo.pk for geo in resolved.values()}
    items = progress_list(
        series=found,
        geography_ids=geography_ids,
        target_year=filters.target_year,
        age=filters.age,
        dimensions_key=_dimensions_key(filters.dimension, series_code=found.code),
    )
    with translation.override(filters.lang):
        results = [_out(item) for item in items]
    return {
        "count": len(results),
        "series": found.code,
        "target_year": filters.target_year or series_target_year(series=found),
        "results": results,
    }
