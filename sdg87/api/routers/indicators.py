"""API v1 router: indicators, series and observations (thin endpoints).

Schemas and shaping are in `sdg87.api.indicator_schemas`, observation rows and the CSV export
in `sdg87.api.observation_rows` and `sdg87.api.observation_csv`; the observation filters are
resolved by `sdg87.indicators.observation_filters`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.indicator_schemas import (
    LATEST_MAX_LIMIT,
    IndicatorDict,
    IndicatorList,
    IndicatorListDict,
    IndicatorOut,
    ObservationFilters,
    ObservationPage,
    SeriesDetail,
    SeriesDetailDict,
    SeriesList,
    SeriesListDict,
    indicator_out,
    release_out,
    series_out,
    source_out,
)
from sdg87.api.observation_csv import CSV_HEADER, csv_response
from sdg87.api.observation_query import observation_page_rows
from sdg87.api.observation_rows import OBSERVATION_COLUMNS, ObservationRows
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.api.schemas import Lang, dimension_filters, split_codes
from sdg87.indicators.models import dimensions_key_for
from sdg87.indicators.observation_filters import ObservationFilterError, observation_filter_resolve
from sdg87.indicators.selectors import (
    indicator_get,
    indicator_list,
    observation_list,
    series_get,
    series_list,
    series_summary,
)
from sdg87.vintages.selectors import (
    observation_history,
    observations_as_of,
    updated_after,
    validity_by_id,
)

router = Router(tags=["statistics"])


@router.get(
    "/indicators",
    operation_id="sdg87_indicators_api_indicators",
    response={200: IndicatorList, **ERROR_RESPONSES},
    summary="List indicators with their series",
    url_name="indicator_list",
)
def indicators(request: HttpRequest, lang: Lang = "en") -> IndicatorListDict:
    """SDG indicators (and documented non-SDG measures) with the series published for each."""
    with translation.override(lang):
        results = [indicator_out(indicator) for indicator in indicator_list()]
    return {"count": len(results), "results": results}


@router.get(
    "/indicators/{code}",
    operation_id="sdg87_indicators_api_indicator_detail",
    response={200: IndicatorOut, **ERROR_RESPONSES},
    summary="One indicator with its series",
    url_name="indicator_detail",
)
def indicator_detail(request: HttpRequest, code: str, lang: Lang = "en") -> IndicatorDict:
    indicator = indicator_get(code=code)
    if indicator is None:
        raise ApiError(
            status=404,
            code="unknown_indicator",
            message=_("Unknown indicator: %(value)s.") % {"value": code},
            parameter="code",
        )
    with translation.override(lang):
        return indicator_out(indicator)


@router.get(
    "/series",
    operation_id="sdg87_indicators_api_series",
    response={200: SeriesList, **ERROR_RESPONSES},
    summary="List series",
    url_name="series_list",
)
def series(request: HttpRequest, indicator: str | None = None, lang: Lang = "en") -> SeriesListDict:
    """Statistical series as coded by their publishers; `indicator` keeps one indicator's."""
    parent = None
    if indicator:
        parent = indicator_get(code=indicator)
        if parent is None:
            raise ApiError(
                status=400,
                code="unknown_indicator",
                message=_("Unknown %(kind)s: %(value)s.")
                % {"kind": _("indicator"), "value": indicator},
                parameter="indicator",
            )
    with translation.override(lang):
        results = [series_out(s) for s in series_list(indicator=parent)]
    return {"count": len(results), "results": results}


@router.get(
    "/series/{code}",
    operation_id="sdg87_indicators_api_series_detail",
    response={200: SeriesDetail, **ERROR_RESPONSES},
    summary="One series: metadata, releases and coverage",
    url_name="series_detail",
)
def series_detail(request: HttpRequest, code: str, lang: Lang = "en") -> SeriesDetailDict:
    """Metadata of a series, the releases holding it (newest first, with their coverage), the
    number of geographies with data and the range of years. `latest_release` is the newest of
    those releases; the default view of /observations is not that release alone but the value
    of each data point from the newest release holding it (ADR 0005)."""
    found = series_get(code=code)
    if found is None:
        raise ApiError(
            status=404,
            code="unknown_series",
            message=_("Unknown series: %(value)s.") % {"value": code},
            parameter="code",
        )
    summary = series_summary(series=found)
    with translation.override(lang):
        base = series_out(found)
    return {
        **base,
        "latest_release": summary.latest_release.code if summary.latest_release else None,
        "releases": [
            {
                **release_out(c.release),
                "released_on": c.release.released_on,
                "source": source_out(c.release.source, release=c.release),
                "is_latest": c.is_latest,
                "observations": c.observations,
                "geographies": c.geographies,
                "year_min": c.year_min,
                "year_max": c.year_max,
            }
            for c in summary.releases
        ],
        "geographies": summary.geographies,
        "year_min": summary.year_min,
        "year_max": summary.year_max,
    }


@router.get(
    "/observations",
    operation_id="sdg87_indicators_api_observations",
    response={200: ObservationPage, **ERROR_RESPONSES},
    summary="Observations, filtered; keyset-paginated JSON or streamed CSV",
    url_name="observation_list",
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    "text/csv": {
                        "schema": {"type": "string"},
                        "example": ",".join(CSV_HEADER),
                    }
                }
            }
        }
    },
)
def observations(
    request: HttpRequest, filters: Query[ObservationFilters]
) -> HttpResponse | StreamingHttpResponse:
    """Published values with their source and release. By default each data point (series,
    geography, year, sex, age and dimensions) has one value: the one from the newest release
    holding it (ADR 0005); superseded values stay available with `release=<code>` or
    `release=all`. Results are ordered by id; follow `next` until it is null. `format=csv`
    streams every matching row as CSV in one response (no pagination).

    Vintages: `as_of=YYYY-MM-DD` answers with the data as published on that day,
    `include_history=true` with every published vintage (with `valid_from`/`valid_to`),
    `updated_after=` keeps only values whose release was published after that moment."""
    if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
        raise ApiError(
            status=400,
            code="invalid_range",
            message=_("year_from must not be after year_to."),
            parameter="year_from",
        )
    since = _updated_after(filters.updated_after)
    _check_vintage_filters(filters)
    try:
        resolved = observation_filter_resolve(
            series=split_codes(filters.series),
            indicator=filters.indicator,
            geo=split_codes(filters.geo),
            country=split_codes(filters.country),
            region=filters.region,
            release=filters.release,
        )
    except ObservationFilterError as exc:
        raise ApiError(
            status=400, code=exc.code, message=exc.message, parameter=exc.parameter
        ) from exc
    dimensions = dimension_filters(filters.dimension)
    after_id = cursor_decode(filters.cursor) if filters.cursor else None

    list_filters: dict[str, Any] = {
        "series_ids": resolved.series_ids,
        "indicator": resolved.indicator,
        "geography_ids": resolved.geography_ids,
        "region": resolved.region,
        "year_from": filters.year_from,
        "year_to": filters.year_to,
        "sex": [str(s.value) for s in filters.sex or []],
        "age": [str(a.value) for a in filters.age or []],
        "release": resolved.release,
        "all_releases": resolved.all_releases or bool(filters.as_of or filters.include_history),
        "latest_year_only": filters.latest,
    }
    limit = min(filters.limit, LATEST_MAX_LIMIT) if filters.latest else filters.limit
    simple = not (filters.as_of or filters.include_history or since or dimensions)
    if simple and filters.format != "csv":
        # The same rows, with the SQL compiled once per filter shape (issue 15 item 2).
        rows = observation_page_rows(**list_filters, after_id=after_id, count=limit + 1)
    else:
        qs = observation_list(
            **list_filters,
            dimensions=dimensions,
            after_id=None if filters.format == "csv" else after_id,
        )
        if filters.as_of is not None:
            qs = observations_as_of(as_of=filters.as_of, queryset=qs)
        elif filters.include_history:
            qs = observation_history(queryset=qs)
        if since is not None:
            qs = updated_after(since=since, queryset=qs)
        if filters.format == "csv":
            return csv_response(qs, lang=filters.lang)
        rows = list(qs.values_list(*OBSERVATION_COLUMNS)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    related = ObservationRows()
    validity = None
    if filters.include_history:
        found = validity_by_id(
            [
                (row[0], (row[1], row[2], row[4], row[5], row[6], dimensions_key_for(row[7] or {})))
                for row in rows
            ]
        )
        validity = {obs_id: (v.valid_from, v.valid_to) for obs_id, v in found.items()}
    with translation.override(filters.lang):
        related.load(rows)
        # ObservationPage's shape (tests check it), written from pre-encoded pieces: building
        # and encoding a dict per row, or validating them again through pydantic, cost more
        # than the query (issue 15 item 2).
        body = related.json_page(
            rows,
            next_url=next_url(request, last_id=rows[-1][0]) if has_more else None,
            validity=validity,
        )
    return HttpResponse(body, content_type="application/json")


def _updated_after(text: str | None) -> datetime.date | datetime.datetime | None:
    """`updated_after` as a date or an aware date-time (naive ones are UTC)."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(
            status=400,
            code="invalid_date",
            message=_("updated_after must be a date (YYYY-MM-DD) or an ISO 8601 date-time."),
            parameter="updated_after",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _check_vintage_filters(filters: ObservationFilters) -> None:
    """as_of picks one vintage per point: it cannot be combined with a fixed release, every
    vintage or the newest-year filter (computed over the newest values)."""
    if filters.release and (filters.as_of or filters.include_history):
        raise ApiError(
            status=400,
            code="conflicting_parameters",
            message=_("release cannot be combined with as_of or include_history."),
            parameter="release",
        )
    if filters.as_of and (filters.include_history or filters.latest):
        raise ApiError(
            status=400,
            code="conflicting_parameters",
            message=_("as_of cannot be combined with include_history or latest."),
            parameter="as_of",
        )
    if filters.include_history and filters.latest:
        raise ApiError(
            status=400,
            code="conflicting_parameters",
            message=_("include_history cannot be combined with latest."),
            parameter="include_history",
        )
