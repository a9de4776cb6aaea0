"""REST API v1: supply chains (issue 13 item 4) — `goods`, `goods/{good}/countries` and
`assessments`.

The US DOL List of Goods across its bundled editions (sdg87.supplychains.selectors): each good
with its sector, countries and exploitation types; one good's countries with their listing
history per exploitation type; DOL Findings advancement levels and US TIP report tiers by
country and year. Every result names its edition or release and the publisher's URL.
Paginated with an opaque `cursor` (`next`), `format=csv` gives every match at once.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.api.schemas import Lang, split_codes
from sdg87.assessments.models import Sector
from sdg87.core.csvsafe import csv_row
from sdg87.supplychains import selectors as sel

router = Router(tags=["supply chains"])
MAX_LIMIT = 500
MAX_COUNTRIES = 50
ISO3 = re.compile(r"^[A-Za-z]{3}$")
CSV_CONTENT = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}
TypeCode = Literal["cl", "fl", "fcl", "input"]


class GoodsEditionOut(Schema):
    year: int = Field(description="The app file's year (goods_2021.xml -> 2021)")
    source_file: str
    release: str
    source_url: str
    citation: str


class GoodSummaryOut(Schema):
    slug: str
    name: str = Field(description="DOL's spelling on the newest edition listing the good")
    sector: str
    exploitation_types: list[TypeCode] = Field(
        description="Ever listed: cl, fl, fcl; input: made with an input produced with either"
    )
    countries_listed: int = Field(description="Countries on the newest edition")
    countries_ever: int = Field(description="Countries on any bundled edition")
    first_edition: int
    last_edition: int
    on_newest_edition: bool
    url: str


class GoodSummaryPage(Schema):
    count: int
    next: str | None
    editions: list[GoodsEditionOut]
    results: list[GoodSummaryOut]


class GoodTypeHistoryOut(Schema):
    type: TypeCode
    editions: list[int]
    first_edition: int
    last_edition: int
    removed_in: int | None = Field(description="First bundled edition no longer listing it")
    on_newest_edition: bool


class GoodCountryListingOut(Schema):
    iso3: str
    name: str
    region: str = Field(description="DOL's region on the newest listing")
    editions: list[int]
    on_newest_edition: bool
    derived_from_input: bool
    input_country: str | None = Field(description="ISO3 of the country of the input")
    types: list[GoodTypeHistoryOut]
    url: str


class GoodCountryListingPage(Schema):
    good: GoodSummaryOut
    count: int
    next: str | None
    editions: list[GoodsEditionOut]
    results: list[GoodCountryListingOut]


class CountryAssessmentOut(Schema):
    iso3: str
    country: str
    year: int = Field(description="DOL reporting year or TIP report year")
    kind: Literal["dol_advancement", "tip_tier"]
    value: str = Field(description="Advancement level or tier code")
    label: str
    release: str
    source_url: str


class CountryAssessmentPage(Schema):
    count: int
    next: str | None
    results: list[CountryAssessmentOut]


class _SupplyChainPaged(Schema):
    lang: Lang = "en"
    cursor: str | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    format: Literal["json", "csv"] = "json"


class GoodSummaryFilters(_SupplyChainPaged):
    sector: list[str] | None = None
    type: list[str] | None = None
    edition: int | None = Field(None, ge=1900, le=2100, description="Listed on that edition")


class CountryAssessmentFilters(_SupplyChainPaged):
    country: list[str] | None = None
    kind: Literal["all", "dol_advancement", "tip_tier"] = "all"
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)


def _codes(values: list[str] | None, *, allowed: Iterable[str], parameter: str) -> list[str]:
    codes = split_codes(values)
    if len(codes) > sel.MAX_FILTER_VALUES:
        raise ApiError(
            status=400,
            code="too_many_values",
            message=_("At most %(max)d values.") % {"max": sel.MAX_FILTER_VALUES},
            parameter=parameter,
        )
    allowed = set(allowed)
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        raise ApiError(
            status=400,
            code="invalid_parameter",
            message=_("Unknown value: %(value)s.") % {"value": ", ".join(unknown)},
            parameter=parameter,
        )
    return codes


def _page(
    request: HttpRequest, items: list[Any], filters: _SupplyChainPaged
) -> tuple[list[Any], str | None]:
    start = cursor_decode(filters.cursor) if filters.cursor else 0
    chunk = items[start : start + filters.limit]
    more = start + filters.limit < len(items)
    return chunk, next_url(request, last_id=start + filters.limit) if more else None


def _csv(header: list[str], rows: Iterable[list[Any]], name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="sdg87-{name}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_row(row))
    return response


def _edition(e: sel.Edition) -> dict[str, Any]:
    return {
        "year": e.year,
        "source_file": e.source_file,
        "release": e.release.code,
        "source_url": e.release.url,
        "citation": e.release.citation,
    }


def _good(request: HttpRequest, s: sel.GoodSummary, newest: int, lang: str) -> dict[str, Any]:
    with translation.override(lang):
        url = reverse("supplychains:good", kwargs={"slug": s.good.slug})
    return {
        "slug": s.good.slug,
        "name": s.good.name,
        "sector": s.good.sector,
        "exploitation_types": s.types,
        "countries_listed": s.countries_current,
        "countries_ever": s.countries_ever,
        "first_edition": s.first_edition,
        "last_edition": s.last_edition,
        "on_newest_edition": s.last_edition == newest,
        "url": request.build_absolute_uri(url),
    }


def _explorer() -> sel.Explorer:
    return sel.explorer_load()


@router.get(
    "/goods",
    operation_id="sdg87_supplychains_api_goods",
    response={200: GoodSummaryPage, **ERROR_RESPONSES},
    url_name="goods_list",
    summary="Goods on the US DOL List of Goods, all bundled editions",
    openapi_extra=CSV_CONTENT,
)
def goods(request: HttpRequest, filters: Query[GoodSummaryFilters]) -> Any:
    """Every good on any bundled edition of the US DOL List of Goods Produced by Child Labor or
    Forced Labor, by name: sector, exploitation types ever listed (`cl` child labour, `fl`
    forced labour, `fcl` forced child labour), countries on the newest and on any edition, and
    the first and last edition listing it (`input`: listed because an input to it is produced
    with child or forced labour). Filters: `sector`, `type` (repeatable or
    comma-separated, at most 20 values), `edition` (listed on that edition)."""
    data = _explorer()
    years = [e.year for e in data.editions]
    if filters.edition is not None and filters.edition not in years:
        raise ApiError(
            status=400,
            code="invalid_parameter",
            message=_("Unknown edition: %(value)s.") % {"value": filters.edition},
            parameter="edition",
        )
    wanted = sel.Filters(
        sectors=tuple(_codes(filters.sector, allowed=Sector.values, parameter="sector")),
        types=tuple(_codes(filters.type, allowed=sel.EXPLOITATION_TYPES, parameter="type")),
        edition=filters.edition,
    )
    slugs = {item.good.slug for item in sel.listings_filter(data, filters=wanted)}
    summaries = sel.good_summaries(data, goods=[g for g in data.goods.values() if g.slug in slugs])
    newest = years[0] if years else 0
    if filters.format == "csv":
        return _csv(
            [
                "slug",
                "name",
                "sector",
                "exploitation_types",
                "countries_listed",
                "countries_ever",
                "first_edition",
                "last_edition",
            ],
            (
                [
                    s.good.slug,
                    s.good.name,
                    s.good.sector,
                    " ".join(s.types),
                    s.countries_current,
                    s.countries_ever,
                    s.first_edition,
                    s.last_edition,
                ]
                for s in summaries
            ),
            "goods",
        )
    chunk, more = _page(request, summaries, filters)
    return JsonResponse(
        {
            "count": len(summaries),
            "next": more,
            "editions": [_edition(e) for e in data.editions],
            "results": [_good(request, s, newest, filters.lang) for s in chunk],
        }
    )


def _history(h: sel.TypeHistory) -> dict[str, Any]:
    return {
        "type": h.type,
        "editions": h.editions,
        "first_edition": h.first,
        "last_edition": h.last,
        "removed_in": h.removed_in,
        "on_newest_edition": h.current,
    }


@router.get(
    "/goods/{good}/countries",
    operation_id="sdg87_supplychains_api_good_countries",
    response={200: GoodCountryListingPage, **ERROR_RESPONSES},
    url_name="good_countries",
    summary="One good's countries with their listing history",
    openapi_extra=CSV_CONTENT,
)
def good_countries(request: HttpRequest, good: str, filters: Query[_SupplyChainPaged]) -> Any:
    """The countries listed for one good (`good` is its slug, as in `/goods`) on any bundled
    edition, by country name: the editions listing it, and per exploitation type the first and
    last edition and the edition from which it is missing (`removed_in`)."""
    data = _explorer()
    found = data.goods.get(good)
    if found is None:
        raise ApiError(
            status=404,
            code="unknown_good",
            message=_("No good with this slug is on the List of Goods: %(value)s.")
            % {"value": good[:80]},
            parameter="good",
        )
    with translation.override(filters.lang):
        listings = sel.good_listings(data, slug=good)
        rows: list[dict[str, Any]] = [
            {
                "iso3": item.country.iso3,
                "name": item.country.name,
                "region": item.region,
                "editions": item.editions,
                "on_newest_edition": item.current,
                "derived_from_input": item.derived,
                "input_country": item.derived_country.iso3 if item.derived_country else None,
                "types": [_history(h) for h in item.types.values()],
                "url": request.build_absolute_uri(
                    reverse("supplychains:country", kwargs={"iso3": item.country.iso3})
                ),
            }
            for item in listings
        ]
    if filters.format == "csv":
        return _csv(
            [
                "good",
                "iso3",
                "country",
                "region",
                "exploitation_type",
                "editions_listed",
                "first_edition",
                "last_edition",
                "removed_in",
            ],
            (
                [
                    found.name,
                    item.country.iso3,
                    item.country.name,
                    item.region,
                    h.type,
                    " ".join(str(y) for y in h.editions),
                    h.first,
                    h.last,
                    h.removed_in,
                ]
                for item in listings
                for h in item.types.values()
            ),
            f"goods-{good}-countries",
        )
    summary = sel.good_summaries(data, goods=[found])[0]
    chunk, more = _page(request, rows, filters)
    newest = data.editions[0].year
    return JsonResponse(
        {
            "good": _good(request, summary, newest, filters.lang),
            "count": len(rows),
            "next": more,
            "editions": [_edition(e) for e in data.editions],
            "results": chunk,
        }
    )


@router.get(
    "/assessments",
    operation_id="sdg87_supplychains_api_assessments",
    response={200: CountryAssessmentPage, **ERROR_RESPONSES},
    url_name="assessments_list",
    summary="DOL advancement levels and US TIP tiers by country and year",
    openapi_extra=CSV_CONTENT,
)
def assessments(request: HttpRequest, filters: Query[CountryAssessmentFilters]) -> Any:
    """US DOL Findings on the Worst Forms of Child Labor advancement levels (by reporting year)
    and US Trafficking in Persons report tiers (by report year), by country ISO3, year and
    kind. Filters: `country` (ISO3, repeatable or comma-separated, at most 50), `kind`,
    `year_from`, `year_to`. Each row names its release and the publisher's URL."""
    countries = [c.upper() for c in split_codes(filters.country)]
    if len(countries) > MAX_COUNTRIES:
        raise ApiError(
            status=400,
            code="too_many_values",
            message=_("At most %(max)d countries.") % {"max": MAX_COUNTRIES},
            parameter="country",
        )
    bad = [c for c in countries if not ISO3.match(c)]
    if bad:
        raise ApiError(
            status=400,
            code="invalid_parameter",
            message=_("Not an ISO 3166-1 alpha-3 code: %(value)s.") % {"value": bad[0][:20]},
            parameter="country",
        )
    if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
        raise ApiError(
            status=400,
            code="invalid_range",
            message=_("year_from must not be after year_to."),
            parameter="year_from",
        )
    rows: list[dict[str, Any]] = []
    with translation.override(filters.lang):
        if filters.kind in ("all", "dol_advancement"):
            levels = sel.advancement_levels(countries=countries)
            if filters.year_from:
                levels = levels.filter(report_year__gte=filters.year_from)
            if filters.year_to:
                levels = levels.filter(report_year__lte=filters.year_to)
            rows.extend(
                {
                    "iso3": a.country.iso3,
                    "country": a.country.name,
                    "year": a.report_year,
                    "kind": "dol_advancement",
                    "value": a.advancement_level,
                    "label": str(a.get_advancement_level_display()),
                    "release": a.release.code,
                    "source_url": a.release.url or a.release.source.url,
                }
                for a in levels
            )
        if filters.kind in ("all", "tip_tier"):
            tiers = sel.tier_placements(countries=countries)
            if filters.year_from:
                tiers = tiers.filter(year__gte=filters.year_from)
            if filters.year_to:
                tiers = tiers.filter(year__lte=filters.year_to)
            rows.extend(
                {
                    "iso3": t.country.iso3,
                    "country": t.country.name,
                    "year": t.year,
                    "kind": "tip_tier",
                    "value": t.tier,
                    "label": str(t.get_tier_display()),
                    "release": t.release.code,
                    "source_url": t.release.url or t.release.source.url,
                }
                for t in tiers
            )
    rows.sort(key=lambda r: (r["iso3"] or "", r["year"], r["kind"]))
    if filters.format == "csv":
        header = list(CountryAssessmentOut.model_fields)
        return _csv(header, ([r[k] for k in header] for r in rows), "assessments")
    chunk, more = _page(request, rows, filters)
    return JsonResponse({"count": len(rows), "next": more, "results": chunk})
