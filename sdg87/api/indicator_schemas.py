"""API v1 statistics: the response and filter schemas of indicators, series and observations,
and the functions that shape domain objects into them."""

from __future__ import annotations

import datetime
from typing import Literal, TypedDict

from ninja import Field, Schema

from sdg87.api.schemas import Lang
from sdg87.indicators.models import Age, Indicator, Release, Series, Sex, Source

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
# latest=true filters each row by a correlated subquery (its place's newest year): its pages
# hold at most this many rows (0.2 s on the bundled data, against 2.3 s for 10,000)
LATEST_MAX_LIMIT = 1000


class SeriesBrief(Schema):
    code: str
    name: str
    unit: str


class IndicatorOut(Schema):
    code: str
    goal: int | None
    target: str
    name: str
    definition: str
    unit: str
    custodians: str
    is_sdg: bool
    series: list[SeriesBrief]


class IndicatorList(Schema):
    count: int
    results: list[IndicatorOut]


class SeriesOut(Schema):
    code: str
    name: str
    description: str
    indicator: str | None
    unit: str
    unit_label: str
    dimensions: list[str]
    decimals: int
    target_year: int | None


class SeriesList(Schema):
    count: int
    results: list[SeriesOut]


class SourceOut(Schema):
    code: str
    title: str
    publisher: str
    licence: str
    licence_url: str = ""
    url: str = ""


class ReleaseOut(Schema):
    code: str
    title: str
    year: int
    citation: str
    url: str


class ReleaseCoverageOut(ReleaseOut):
    released_on: datetime.date | None
    source: SourceOut
    is_latest: bool
    observations: int
    geographies: int
    year_min: int
    year_max: int


class SeriesDetail(SeriesOut):
    latest_release: str | None
    releases: list[ReleaseCoverageOut]
    geographies: int
    year_min: int | None
    year_max: int | None


class GeographyRef(Schema):
    code: str
    iso3: str | None
    m49: str | None
    name: str


class ObservationOut(Schema):
    id: int
    series: str
    indicator: str | None
    geography: GeographyRef
    year: int
    sex: str
    age: str
    dimensions: dict[str, str]
    value: float
    unit: str
    nature: str
    note: str
    source: SourceOut
    release: ReleaseOut
    valid_from: datetime.date | None = Field(
        None,
        description="With include_history=true: the day this value was published (its "
        "release's date).",
    )
    valid_to: datetime.date | None = Field(
        None,
        description="With include_history=true: the day a newer release replaced this value; "
        "null while it is the current value.",
    )


class ObservationPage(Schema):
    next: str | None = Field(description="Absolute URL of the next page, or null on the last page.")
    results: list[ObservationOut]


class ObservationFilters(Schema):
    series: list[str] | None = Field(
        None, description="Series code, e.g. SL_TLF_CHLDEA. Repeatable or comma-separated."
    )
    indicator: str | None = Field(None, description="Indicator code, e.g. 8.7.1.")
    geo: list[str] | None = Field(
        None,
        description="Geography: ISO3, M49 or aggregate code (e.g. BGD, 50, 001, ILO_AFRICA). "
        "Repeatable or comma-separated.",
    )
    country: list[str] | None = Field(
        None, description="Country ISO3 code. Repeatable or comma-separated."
    )
    region: str | None = Field(
        None,
        description="Aggregate code: keeps observations of its member countries "
        "(the aggregate's own figures are asked for with `geo`).",
    )
    year_from: int | None = Field(None, ge=1000, le=9999)
    year_to: int | None = Field(None, ge=1000, le=9999)
    sex: list[Sex] | None = Field(None, description="SDMX sex code. Repeatable.")
    age: list[Age] | None = Field(None, description="SDMX age code. Repeatable.")
    dimension: list[str] | None = Field(
        None, description="Extra dimension filter `key=value`, e.g. `type_of_exploitation=...`."
    )
    release: str | None = Field(
        None,
        description="Release code. Default: the value of each data point from the newest "
        "release holding it (ADR 0005). `all` returns every release.",
    )
    latest: bool = Field(
        False,
        description="Only the most recent year of each place (per series, sex, age and "
        "dimensions), within year_from/year_to: what a map of latest values shows.",
    )
    as_of: datetime.date | None = Field(
        None,
        description="YYYY-MM-DD: the data as published on that day (per data point, the value "
        "of the newest release published on or before it). Not with `release`, "
        "`include_history` or `latest`.",
    )
    include_history: bool = Field(
        False,
        description="Every published vintage of each data point, each with `valid_from` and "
        "`valid_to` (the day a newer release replaced it). Not with `release`.",
    )
    updated_after: str | None = Field(
        None,
        description="YYYY-MM-DD or an ISO 8601 date-time: only values whose release was "
        "published after it (new and revised values, and values republished unchanged).",
    )
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description="Rows per page (JSON). With `latest=true`, pages hold at most "
        f"{LATEST_MAX_LIMIT} rows whatever the limit: follow `next`.",
    )
    cursor: str | None = Field(None, description="Opaque; use the `next` URL.")
    format: Literal["json", "csv"] = "json"
    lang: Lang = "en"


# --- shaping ---------------------------------------------------------------------------------
# Endpoints return plain dicts in the schemas' shapes (validating thousands of nested schema
# objects costs more than the query); these TypedDicts let mypy hold the dicts to those shapes.


class SourceDict(TypedDict):
    code: str
    title: str
    publisher: str
    licence: str
    licence_url: str
    url: str


class ReleaseDict(TypedDict):
    code: str
    title: str
    year: int
    citation: str
    url: str


class ReleaseCoverageDict(ReleaseDict):
    released_on: datetime.date | None
    source: SourceDict
    is_latest: bool
    observations: int
    geographies: int
    year_min: int
    year_max: int


class SeriesBriefDict(TypedDict):
    code: str
    name: str
    unit: str


class SeriesDict(TypedDict):
    code: str
    name: str
    description: str
    indicator: str | None
    unit: str
    unit_label: str
    dimensions: list[str]
    decimals: int
    target_year: int | None


class SeriesDetailDict(SeriesDict):
    latest_release: str | None
    releases: list[ReleaseCoverageDict]
    geographies: int
    year_min: int | None
    year_max: int | None


class IndicatorDict(TypedDict):
    code: str
    goal: int | None
    target: str
    name: str
    definition: str
    unit: str
    custodians: str
    is_sdg: bool
    series: list[SeriesBriefDict]


class IndicatorListDict(TypedDict):
    count: int
    results: list[IndicatorDict]


class SeriesListDict(TypedDict):
    count: int
    results: list[SeriesDict]


def source_out(source: Source, *, release: Release | None = None) -> SourceDict:
    """The source; `licence` is the release's own where it differs from the source's."""
    return {
        "code": source.code,
        "title": source.title,
        "publisher": source.publisher,
        "licence": release.licence if release is not None else source.licence,
        "licence_url": source.licence_url,
        "url": source.url,
    }


def release_out(release: Release) -> ReleaseDict:
    return {
        "code": release.code,
        "title": release.title,
        "year": release.year,
        "citation": release.citation,
        "url": release.url,
    }


def series_out(series: Series) -> SeriesDict:
    return {
        "code": series.code,
        "name": series.translated("name"),
        "description": series.translated("description"),
        "indicator": series.indicator.code if series.indicator else None,
        "unit": series.unit,
        "unit_label": series.unit_label,
        "dimensions": list(series.dimensions or []),
        "decimals": series.decimals,
        "target_year": series.target_year,
    }


def indicator_out(indicator: Indicator) -> IndicatorDict:
    return {
        "code": indicator.code,
        "goal": indicator.goal,
        "target": indicator.target,
        "name": indicator.translated("name"),
        "definition": indicator.translated("definition"),
        "unit": indicator.unit,
        "custodians": indicator.custodians,
        "is_sdg": indicator.is_sdg,
        "series": [
            {"code": s.code, "name": s.translated("name"), "unit": s.unit}
            for s in sorted(indicator.series.all(), key=lambda s: (s.sort_order, s.code))
        ],
    }
