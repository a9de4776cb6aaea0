"""REST API v1: vintages (issue 14): two releases of a series compared, as JSON or CSV.

The statistics as published on a date and every vintage of a value are parameters of
/observations (`as_of`, `include_history`, `updated_after`; sdg87.vintages.selectors)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.indicator_schemas import ReleaseOut, release_out
from sdg87.vintages.export import comparison_csv, comparison_rows
from sdg87.vintages.selectors import CompareError, comparison_get, release_published_on

router = Router(tags=["vintages"])


class CompareFilters(Schema):
    from_release: str = Field(..., alias="from", description="Code of the older release.")
    to: str = Field(..., description="Code of the newer release.")
    format: Literal["json", "csv"] = "json"


class ComparedRelease(ReleaseOut):
    published_on: datetime.date


class ChangeOut(Schema):
    change: Literal["revised", "added", "dropped"]
    geography_code: str
    geography_name: str
    year: int
    sex: str
    age: str
    dimensions: str = Field(description="Canonical `k=v|k=v` of the extra dimensions.")
    from_value: float | None
    to_value: float | None
    absolute_change: float | None = Field(description="to_value - from_value (revised only).")
    relative_change: float | None = Field(
        description="absolute_change / |from_value| (revised, from_value not zero)."
    )


class ChangeCounts(Schema):
    revised: int
    added: int
    dropped: int
    unchanged: int


class ComparisonOut(Schema):
    series: str
    from_release: ComparedRelease = Field(alias="from")
    to: ComparedRelease
    counts: ChangeCounts
    changes: list[ChangeOut]


@router.get(
    "/series/{code}/compare",
    operation_id="sdg87_vintages_api_series_compare",
    response={200: ComparisonOut, **ERROR_RESPONSES},
    summary="Two releases of a series compared: values revised, added and dropped",
    url_name="series_compare",
    by_alias=True,
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def series_compare(
    request: HttpRequest, code: str, filters: Query[CompareFilters]
) -> JsonResponse | HttpResponse:
    """Each data point (geography, year, sex, age, dimensions) of the series in both public
    releases: `revised` (with the size of the revision, absolute and relative to the older
    value), `added` (only in `to`), `dropped` (only in `from`: for reports that publish only
    their own reference years this means "not republished"); unchanged points are counted.
    `format=csv` downloads the changes."""
    try:
        comparison = comparison_get(
            series_code=code, from_code=filters.from_release, to_code=filters.to
        )
    except CompareError as exc:
        raise ApiError(
            status=exc.status, code=exc.code, message=exc.message, parameter=exc.parameter
        ) from exc
    if filters.format == "csv":
        return comparison_csv(comparison)
    diff = comparison.differences
    return JsonResponse(
        {
            "series": comparison.series.code,
            "from": {
                **release_out(comparison.from_release),
                "published_on": release_published_on(comparison.from_release),
            },
            "to": {
                **release_out(comparison.to_release),
                "published_on": release_published_on(comparison.to_release),
            },
            "counts": {
                "revised": len(diff.revised),
                "added": len(diff.added),
                "dropped": len(diff.dropped),
                "unchanged": len(diff.unchanged),
            },
            "changes": comparison_rows(comparison),
        }
    )
