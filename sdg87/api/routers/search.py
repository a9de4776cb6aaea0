"""REST API v1: `search`, one query over every kind of content with the parameters of the
results page (sdg87.search.selectors.search): the same hits, groups, top result, facets,
"did you mean" and notices, as JSON. Visibility is the search service's (a signed-in session
also finds what its organisations may see)."""

from __future__ import annotations

import datetime as dt
from html import unescape
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.schemas import Lang, split_codes
from sdg87.catalog.freshness import Freshness
from sdg87.search.selectors import search
from sdg87.search.types import (
    KINDS,
    MAX_PAGE,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    Facet,
    FacetValue,
    Hit,
    SearchParams,
)

router = Router(tags=["search"])
LANGS: tuple[str, ...] = ("en", "fr", "es")
# A year the database's integer holds and a calendar shows; beyond it a filter is a mistake.
MIN_YEAR, MAX_YEAR = 1, 9999


class SearchHitOut(Schema):
    kind: str
    id: str = Field(description="The object's id within its kind (a code, a slug or a number)")
    title: str = Field(description="Plain text")
    title_html: str = Field(description="Escaped HTML; the words that matched are in <mark>")
    url: str = Field(description="The page, in the language of the response")
    snippet_html: str = Field(description="Escaped HTML with <mark>; may be empty")
    date: dt.date | None
    language: str
    meta: list[str]


class SearchGroupOut(Schema):
    kind: str
    label: str
    total: int
    results: list[SearchHitOut]


class SearchTopOut(Schema):
    kind: str
    title: str
    url: str
    summary: str
    facts: list[str]


class SearchFacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool
    children: list[SearchFacetValueOut] = Field(
        default_factory=list, description="Places: the countries of a region"
    )


class SearchFacetOut(Schema):
    name: str
    label: str
    cut_short: bool = Field(description="Counting ran out of time: values are missing")
    values: list[SearchFacetValueOut]


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    results: list[SearchHitOut]
    groups: list[SearchGroupOut] = Field(
        description="First page of a relevance search without a kind: the best of each kind"
    )
    top: SearchTopOut | None = Field(description="An exact country or indicator match")
    facets: list[SearchFacetOut]
    suggestion: str | None = Field(description='"Did you mean": a query that finds more')
    notices: list[str]


SearchFacetValueOut.model_rebuild()


class SearchFilters(Schema):
    q: str = ""
    kind: list[str] = Field(default_factory=list, description=", ".join(KINDS))
    theme: list[str] = Field(default_factory=list, description="Theme codes")
    place: list[str] = Field(
        default_factory=list, description="ISO3 or region codes; a region selects its countries"
    )
    organisation: list[str] = Field(default_factory=list, description="Organisation slugs")
    language: list[str] = Field(default_factory=list, description="The content's language")
    resource_type: list[str] = Field(default_factory=list)
    format: list[str] = Field(default_factory=list, description="CSV, XLSX, PDF ...")
    licence: list[str] = Field(default_factory=list)
    freshness: list[str] = Field(default_factory=list, description=", ".join(Freshness))
    year_from: int | None = None
    year_to: int | None = None
    sort: Literal["relevance", "date"] = "relevance"
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT
    lang: Lang | None = Field(
        default=None, description="Language of labels and links; else Accept-Language, else en"
    )
    facets: bool = Field(default=True, description="false: skip the facet counts (faster)")


def _invalid(parameter: str, message: str) -> ApiError:
    return ApiError(status=422, code="invalid_parameter", message=message, parameter=parameter)


def _check_choices(parameter: str, values: list[str], allowed: tuple[str, ...]) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise _invalid(
            parameter,
            _("%(parameter)s must be among: %(values)s")
            % {"parameter": parameter, "values": ", ".join(allowed)},
        )


def _params(filters: SearchFilters) -> SearchParams:
    """The service's parameters, or ApiError(422) naming the parameter at fault."""
    kinds = split_codes(filters.kind)
    freshness = split_codes(filters.freshness)
    _check_choices("kind", kinds, KINDS)
    _check_choices("freshness", freshness, tuple(Freshness))
    if not 1 <= filters.page <= MAX_PAGE:
        raise _invalid("page", _("page must be from 1 to %(max)s") % {"max": MAX_PAGE})
    if not 1 <= filters.per_page <= PER_PAGE_MAX:
        raise _invalid("per_page", _("per_page must be from 1 to %(max)s") % {"max": PER_PAGE_MAX})
    for name in ("year_from", "year_to"):
        year = getattr(filters, name)
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise _invalid(
                name,
                _("%(parameter)s must be a year from %(low)s to %(high)s")
                % {"parameter": name, "low": MIN_YEAR, "high": MAX_YEAR},
            )
    return SearchParams(
        q=filters.q,
        kind=tuple(kinds),
        theme=tuple(split_codes(filters.theme)),
        place=tuple(split_codes(filters.place)),
        organisation=tuple(split_codes(filters.organisation)),
        language=tuple(split_codes(filters.language)),
        resource_type=tuple(split_codes(filters.resource_type)),
        format=tuple(split_codes(filters.format)),
        licence=tuple(split_codes(filters.licence)),
        freshness=tuple(freshness),
        year_from=filters.year_from,
        year_to=filters.year_to,
        sort=filters.sort,
        page=filters.page,
        per_page=filters.per_page,
    )


def response_language(request: HttpRequest, lang: str | None) -> str:
    """`lang`, else the first supported language of Accept-Language, else English."""
    if lang:
        return lang
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        base = str(code).split("-")[0].lower()
        if base in LANGS:
            return base
    return "en"


def _hit(request: HttpRequest, hit: Hit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.object_id,
        "title": unescape(strip_tags(hit.title)),
        "title_html": str(hit.title),
        "url": request.build_absolute_uri(hit.url),
        "snippet_html": str(hit.snippet),
        "date": hit.date,
        "language": hit.language,
        "meta": hit.meta,
    }


def _value(value: FacetValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "label": value.label,
        "count": value.count,
        "selected": value.selected,
        "children": [_value(child) for child in value.children],
    }


def _facet(facet: Facet) -> dict[str, Any]:
    return {
        "name": facet.name,
        "label": facet.label,
        "cut_short": facet.cut_short,
        "values": [_value(v) for v in facet.values],
    }


@router.get(
    "/search",
    operation_id="sdg87_search_api_search",
    response={200: SearchOut, **ERROR_RESPONSES},
    url_name="search",
    summary="Search everything",
)
def search_view(request: HttpRequest, filters: Query[SearchFilters]) -> Any:
    """Countries, regions, indicators, series, datasets, publications, organisations, news
    and events matching `q` (every word, in English, French or Spanish; "travail des enfants"
    finds "child labour"), with the filters of the results page: values of one facet combine
    with OR, facets with AND; each facet's counts apply the other facets' selections.
    Repeatable parameters also accept comma-separated values. `sort=date`: newest first."""
    params = _params(filters)
    lang = response_language(request, filters.lang)
    with translation.override(lang):
        outcome = search(params=params, user=request.user, lang=lang, facets=filters.facets)
        return {
            "query": params.q,
            "total": outcome.total,
            "page": params.page,
            "pages": outcome.pages,
            "results": [_hit(request, h) for h in outcome.hits],
            "groups": [
                {
                    "kind": g.kind,
                    "label": g.label,
                    "total": g.total,
                    "results": [_hit(request, h) for h in g.hits],
                }
                for g in outcome.groups
            ],
            "top": {
                "kind": outcome.top.kind,
                "title": outcome.top.title,
                "url": request.build_absolute_uri(outcome.top.url),
                "summary": outcome.top.summary,
                "facts": outcome.top.facts,
            }
            if outcome.top
            else None,
            "facets": [_facet(f) for f in outcome.facets],
            "suggestion": outcome.suggestion,
            "notices": [str(n) for n in outcome.notices],
        }
