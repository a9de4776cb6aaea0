"""API v1 router: countries and aggregate geographies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.schemas import Lang, Names
from sdg87.geo.models import Geography, GeographyKind
from sdg87.geo.selectors import country_get, country_list, geography_get, geography_list
from sdg87.indicators.selectors import geography_series_coverage

router = Router(tags=["geographies"])


class CountryOut(Schema):
    code: str
    iso3: str | None
    iso2: str
    m49: str | None
    name: str
    names: Names
    groups: list[str]


class CountryList(Schema):
    count: int
    results: list[CountryOut]


class GroupOut(Schema):
    code: str
    kind: str
    m49: str | None
    name: str


class CountrySeriesOut(Schema):
    code: str
    name: str
    indicator: str | None
    unit: str
    observations: int
    year_min: int
    latest_year: int


class CountryDetail(Schema):
    code: str
    iso3: str | None
    iso2: str
    m49: str | None
    name: str
    names: Names
    official_name: str
    is_independent: bool
    latitude: float | None
    longitude: float | None
    groups: list[GroupOut]
    series: list[CountrySeriesOut]


class GeographyOut(Schema):
    code: str
    kind: str
    m49: str | None
    iso3: str | None
    name: str
    names: Names
    members: list[str]


class GeographyList(Schema):
    count: int
    results: list[GeographyOut]


def _names(geo: Geography) -> dict[str, str]:
    return {
        "en": geo.name_en,
        "fr": geo.name_fr or geo.name_en,
        "es": geo.name_es or geo.name_en,
    }


def _country(geo: Geography) -> dict[str, Any]:
    return {
        "code": geo.code,
        "iso3": geo.iso3,
        "iso2": geo.iso2,
        "m49": geo.m49,
        "name": geo.name,
        "names": _names(geo),
        "groups": sorted(group.code for group in geo.groups.all()),
    }


@router.get(
    "/countries",
    operation_id="sdg87_geo_api_countries",
    response={200: CountryList, **ERROR_RESPONSES},
    summary="List countries",
    url_name="country_list",
)
def countries(
    request: HttpRequest,
    region: str | None = None,
    q: str | None = None,
    lang: Lang = "en",
) -> dict[str, Any]:
    """Countries and areas by English name. `region` keeps the members of an aggregate
    (its code, e.g. `202`, `ILO_AFRICA`, `WB_LIC`); `q` searches the names in English, French
    and Spanish; `name` is given in `lang`."""
    group = None
    if region:
        group = geography_get(code=region)
        if group is None:
            raise ApiError(
                status=400,
                code="unknown_geography",
                message=_("Unknown geography '%(code)s'.") % {"code": region},
                parameter="region",
            )
        if group.kind == GeographyKind.COUNTRY:
            raise ApiError(
                status=400,
                code="invalid_parameter",
                message=_("'%(code)s' is a country, not a region or group.") % {"code": region},
                parameter="region",
            )
    rows = country_list(region=group, q=q).prefetch_related("groups")
    with translation.override(lang):
        results = [_country(geo) for geo in rows]
    return {"count": len(results), "results": results}


@router.get(
    "/countries/{iso3}",
    operation_id="sdg87_geo_api_country_detail",
    response={200: CountryDetail, **ERROR_RESPONSES},
    summary="One country, its groups and the series with data for it",
    url_name="country_detail",
)
def country_detail(request: HttpRequest, iso3: str, lang: Lang = "en") -> dict[str, Any]:
    """A country by ISO3 code with the aggregates it belongs to and, for each series with
    data for it, the number of observations (the newest value of each data point, ADR 0005),
    the first year and the latest year."""
    geo = country_get(iso3=iso3)
    if geo is None:
        raise ApiError(
            status=404,
            code="unknown_country",
            message=_("No country with ISO3 code '%(code)s'.") % {"code": iso3},
            parameter="iso3",
        )
    coverage = geography_series_coverage(geography=geo)
    with translation.override(lang):
        return {
            **_country(geo),
            "official_name": geo.official_name_en,
            "is_independent": geo.is_independent,
            "latitude": geo.latitude,
            "longitude": geo.longitude,
            "groups": [
                {"code": g.code, "kind": g.kind, "m49": g.m49, "name": g.name}
                for g in geo.groups.all()
            ],
            "series": [
                {
                    "code": c.series.code,
                    "name": c.series.translated("name"),
                    "indicator": c.series.indicator.code if c.series.indicator else None,
                    "unit": c.series.unit,
                    "observations": c.observations,
                    "year_min": c.year_min,
                    "latest_year": c.year_max,
                }
                for c in coverage
            ],
        }


class GeographyFilters(Schema):
    kind: GeographyKind | None = None
    lang: Lang = "en"


@router.get(
    "/geographies",
    operation_id="sdg87_geo_api_geographies",
    response={200: GeographyList, **ERROR_RESPONSES},
    summary="List aggregates (World, regions, income groups) and their member countries",
    url_name="geography_list",
)
def geographies(request: HttpRequest, filters: Query[GeographyFilters]) -> dict[str, Any]:
    """Aggregates that data are published for, with their codes and the ISO3 codes of their
    member countries. Filter by `kind`."""
    if filters.kind == GeographyKind.COUNTRY:
        raise ApiError(
            status=400,
            code="invalid_parameter",
            message=_("Countries are listed by /countries; choose an aggregate kind."),
            parameter="kind",
        )
    with translation.override(filters.lang):
        results = [
            {
                "code": geo.code,
                "kind": geo.kind,
                "m49": geo.m49,
                "iso3": geo.iso3,
                "name": geo.name,
                "names": _names(geo),
                "members": [member.iso3 or member.code for member in geo.members.all()],
            }
            for geo in geography_list(kind=filters.kind.value if filters.kind else None)
        ]
    return {"count": len(results), "results": results}
