"""The search pages under /<lang>/search/: the results page (works without JavaScript), the
autocomplete answer for the header box, and the OpenSearch description that lets browsers add
the site's search.

Views are thin: SearchForm turns the query string into SearchParams (saying what it had to
drop), sdg87.search.selectors answers, and the helpers below only build links and group
facet values for the template. No page is cached on the server: the index changes on every
commit that changes content. Signed-in visitors may see organisation-only results, so their
answers are never stored by any cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import unescape
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import strip_tags
from django.utils.translation import get_language, gettext

from sdg87.search import selectors
from sdg87.search.forms import MULTI_FACETS, SearchForm, without_controls
from sdg87.search.registry import sources
from sdg87.search.types import (
    PER_PAGE_DEFAULT,
    SORTS,
    Facet,
    FacetValue,
    Hit,
    SearchOutcome,
    SearchParams,
)

SUGGEST_LIMIT = 8
SUGGEST_MAX_CHARS = 100
SUGGEST_CACHE_SECONDS = 60
OPENSEARCH_CACHE_SECONDS = 24 * 60 * 60
FACET_SHOWN = 8  # values listed before "more"


def _lang() -> str:
    return (get_language() or "en")[:2]


def _actor(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


def _cache_headers(request: HttpRequest, response: HttpResponse, public_seconds: int) -> None:
    if request.user.is_authenticated:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    elif public_seconds:
        patch_cache_control(response, public=True, max_age=public_seconds)


# --- links ---------------------------------------------------------------------------------------


def query_pairs(params: SearchParams, *, filters: bool = True) -> list[tuple[str, str]]:
    """The query string of a search, leaving out what is the default."""
    pairs: list[tuple[str, str]] = []
    if params.q:
        pairs.append(("q", params.q))
    if filters:
        for facet in MULTI_FACETS:
            pairs.extend((facet, v) for v in params.selected(facet))
        if params.year_from is not None:
            pairs.append(("year_from", str(params.year_from)))
        if params.year_to is not None:
            pairs.append(("year_to", str(params.year_to)))
    if params.sort != SORTS[0]:
        pairs.append(("sort", params.sort))
    if params.per_page != PER_PAGE_DEFAULT:
        pairs.append(("per_page", str(params.per_page)))
    if params.page > 1:
        pairs.append(("page", str(params.page)))
    return pairs


def search_url(params: SearchParams, **changes: Any) -> str:
    """`?…` for the search with `changes` (a new page only when given: any other change
    starts again at page 1)."""
    if "page" not in changes:
        changes["page"] = 1
    return "?" + urlencode(query_pairs(replace(params, **changes)))


def _toggled(params: SearchParams, facet: str, value: str) -> str:
    chosen = params.selected(facet)
    values = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
    return search_url(params, **{facet: values})


# --- facets for the template ---------------------------------------------------------------------


@dataclass
class FacetEntry:
    value: str
    label: str
    count: int | None  # None: not counted (the facet was cut short)
    selected: bool
    input_id: str
    remove_url: str = ""
    children: list[FacetEntry] = field(default_factory=list)
    open: bool = False  # a child is selected: the nested list starts open


@dataclass
class FacetView:
    name: str
    label: str
    cut_short: bool
    shown: list[FacetEntry]
    more: list[FacetEntry]


def _selected_first(values: list[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda v: not v.selected)  # stable: the service's order otherwise


def _entries(
    facet: Facet, values: list[FacetValue], params: SearchParams, ids: dict[str, int]
) -> list[FacetEntry]:
    out = []
    for value in _selected_first(values):
        ids[facet.name] = ids.get(facet.name, 0) + 1
        input_id = f"f-{facet.name}-{ids[facet.name]}"
        children = _entries(facet, value.children, params, ids)
        out.append(
            FacetEntry(
                value=value.value,
                label=value.label,
                count=None if facet.cut_short else value.count,
                selected=value.selected,
                input_id=input_id,
                remove_url=_toggled(params, facet.name, value.value) if value.selected else "",
                children=children,
                open=any(c.selected or c.open for c in children),
            )
        )
    return out


def facet_views(facets: list[Facet], params: SearchParams) -> list[FacetView]:
    """The checkbox facets as the page lists them: selected values first, the first few shown,
    the others behind "more"; a facet cut short keeps its selected values (to unselect)."""
    out = []
    ids: dict[str, int] = {}
    for facet in facets:
        if facet.name == "year":  # two number inputs and the counts: the page lays it out
            out.append(FacetView(facet.name, facet.label, facet.cut_short, [], []))
            continue
        values = facet.values
        if facet.cut_short:
            values = [
                FacetValue(value=v, label=v, count=0, selected=True)
                for v in params.selected(facet.name)
            ]
        entries = _entries(facet, values, params, ids)
        if not entries and not facet.cut_short:
            continue
        shown = [e for i, e in enumerate(entries) if i < FACET_SHOWN or e.selected]
        more = [e for i, e in enumerate(entries) if i >= FACET_SHOWN and not e.selected]
        out.append(FacetView(facet.name, facet.label, facet.cut_short, shown, more))
    return out


def _year_facet(facets: list[Facet]) -> Facet | None:
    return next((f for f in facets if f.name == "year"), None)


# --- pages ---------------------------------------------------------------------------------------


def _pager(params: SearchParams, pages: int) -> dict[str, Any]:
    if pages <= 1 and params.page <= 1:
        return {}
    current = min(params.page, pages) if pages else 0
    numbers = (
        Paginator(range(pages), 1).get_elided_page_range(current, on_each_side=2, on_ends=1)
        if pages
        else []
    )
    return {
        "prev_url": search_url(params, page=min(params.page - 1, pages))
        if params.page > 1 and pages
        else "",
        "next_url": search_url(params, page=params.page + 1) if params.page < pages else "",
        "pages": [
            {
                "number": n,
                "url": search_url(params, page=n) if isinstance(n, int) else "",
                "current": n == params.page,
            }
            for n in numbers
        ],
    }


def _rows(hits: list[Hit], kind_labels: dict[str, str]) -> list[dict[str, Any]]:
    return [{"hit": h, "kind_label": kind_labels.get(h.kind, h.kind)} for h in hits]


def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if request.GET else None)
    params = form.params()
    outcome = selectors.search(params=params, user=_actor(request), lang=_lang())
    context = results_context(params, outcome, form.messages())
    response = render(request, "search/results.html", context)
    _cache_headers(request, response, 0)
    return response


def results_context(
    params: SearchParams, outcome: SearchOutcome, form_messages: list[str]
) -> dict[str, Any]:
    """What templates/search/results.html shows for one search."""
    kind_labels = {kind: str(source.label) for kind, source in sources().items()}
    facets = facet_views(outcome.facets, params)
    active = [
        {"facet": f.label, "label": e.label, "url": e.remove_url}
        for f in facets
        for e in [*f.shown, *f.more, *(c for p in f.shown + f.more for c in p.children)]
        if e.selected
    ]
    has_filters = bool(active) or params.year_from is not None or params.year_to is not None
    year = _year_facet(outcome.facets)
    # one group would only repeat the list
    groups = outcome.groups if len(outcome.groups) > 1 else []
    show_list = not groups or outcome.total > sum(len(g.hits) for g in groups)
    return {
        "params": params,
        "outcome": outcome,
        "messages_list": [*form_messages, *outcome.notices],
        "suggestion_url": search_url(params, q=outcome.suggestion) if outcome.suggestion else "",
        "groups": [
            {
                "group": g,
                "rows": _rows(g.hits, kind_labels),
                "all_url": search_url(params, kind=(g.kind,)),
            }
            for g in groups
        ],
        # under the groups, the list of every result (unless the groups already hold them all)
        "rows": _rows(outcome.hits, kind_labels) if show_list else [],
        "facets": facets,
        "year": year,
        "year_links": [
            {
                "value": v.value,
                "count": v.count,
                "url": search_url(params, year_from=int(v.value), year_to=int(v.value)),
            }
            for v in (year.values if year else [])
            if v.value.isdigit()
        ],
        "active": active,
        "has_filters": has_filters,
        "clear_url": search_url(
            SearchParams(q=params.q, sort=params.sort, per_page=params.per_page)
        ),
        "sorts": [
            {
                "value": s,
                "label": label,
                "url": search_url(params, sort=s),
                "current": s == params.sort,
            }
            for s, label in (("relevance", gettext("Relevance")), ("date", gettext("Newest first")))
        ],
        # the query form keeps the filters; the filter form keeps the query
        "hidden_filters": [
            (k, v) for k, v in query_pairs(replace(params, page=1)) if k not in ("q", "sort")
        ],
        "hidden_query": [(k, v) for k, v in query_pairs(replace(params, page=1), filters=False)],
        "top_kind_label": kind_labels.get(outcome.top.kind, "") if outcome.top else "",
        "first_number": (params.page - 1) * params.per_page + 1,
        "year_clear_url": search_url(params, year_from=None, year_to=None),
        **_pager(params, outcome.pages),
    }


# --- autocomplete --------------------------------------------------------------------------------


def plain(title: str) -> str:
    """A highlighted, escaped title as plain text."""
    return unescape(strip_tags(title))


def suggest(request: HttpRequest) -> HttpResponse:
    """At most eight headings beginning with what was typed, as JSON:
    [{"title", "url", "kind", "kind_label"}]; with ?format=opensearch, the OpenSearch
    suggestions format ["q", [titles], [], [urls]]."""
    q = " ".join(without_controls(request.GET.get("q", "")).split())[:SUGGEST_MAX_CHARS]
    hits = selectors.autocomplete(prefix=q, user=_actor(request), lang=_lang(), limit=SUGGEST_LIMIT)
    hits = hits[:SUGGEST_LIMIT]
    response: HttpResponse
    if request.GET.get("format") == "opensearch":
        site = settings.SITE_URL.rstrip("/")
        response = JsonResponse(
            [q, [plain(h.title) for h in hits], [], [site + h.url for h in hits]],
            safe=False,
            content_type="application/x-suggestions+json",
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        labels = {kind: str(source.label) for kind, source in sources().items()}
        response = JsonResponse(
            [
                {
                    "title": plain(h.title),
                    "url": h.url,
                    "kind": h.kind,
                    "kind_label": labels.get(h.kind, h.kind),
                }
                for h in hits
            ],
            safe=False,
            json_dumps_params={"ensure_ascii": False},
        )
    _cache_headers(request, response, SUGGEST_CACHE_SECONDS)
    return response


# --- OpenSearch ----------------------------------------------------------------------------------


def opensearch(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "search/opensearch.xml",
        {"lang": _lang()},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
    patch_cache_control(response, public=True, max_age=OPENSEARCH_CACHE_SECONDS)
    return response
