"""Public pages. Each view parses the query, calls one context builder of
`sdg87.site.contexts` and renders its typed context; no logic here. Whole pages are cached per
URL (the language is in the path) and per data version, so no page outlives a change of what
the public may see."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from sdg87.core.cache import cache_public_page
from sdg87.library.evidence_selectors import evidence_for_country, evidence_for_series
from sdg87.site.contexts.countries import country_detail_context, country_index_context
from sdg87.site.contexts.global_estimates import global_estimates_context
from sdg87.site.contexts.home import home_context
from sdg87.site.contexts.indicators import indicator_detail_context, indicator_index_context
from sdg87.site.contexts.methods import methods_progress_context

PAGE_CACHE_SECONDS = 300


@cache_public_page(PAGE_CACHE_SECONDS)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", home_context().as_context())


@cache_public_page(PAGE_CACHE_SECONDS)
def global_estimates(request: HttpRequest) -> HttpResponse:
    return render(request, "site/global_estimates.html", global_estimates_context().as_context())


@cache_public_page(PAGE_CACHE_SECONDS)
def methods_progress(request: HttpRequest) -> HttpResponse:
    return render(request, "site/methods_progress.html", methods_progress_context().as_context())


@cache_public_page(PAGE_CACHE_SECONDS)
def indicator_index(request: HttpRequest) -> HttpResponse:
    return render(request, "site/indicator_index.html", indicator_index_context().as_context())


@cache_public_page(PAGE_CACHE_SECONDS)
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = indicator_detail_context(
        code=code,
        sex=request.GET.get("sex"),
        age=request.GET.get("age"),
        year=request.GET.get("year"),
        sort=request.GET.get("sort"),
        geos=request.GET.getlist("geo"),
        params=[(key, item) for key, items in request.GET.lists() for item in items],
    )
    if context is None:
        raise Http404(_("No such series."))
    page = context.as_context()
    page["series_evidence"] = evidence_for_series(code=code)
    return render(request, "site/indicator_detail.html", page)


@cache_public_page(PAGE_CACHE_SECONDS)
def country_index(request: HttpRequest) -> HttpResponse:
    context = country_index_context(
        q=(request.GET.get("q") or "").strip()[:100],
        region_code=(request.GET.get("region") or "").strip(),
    )
    return render(request, "site/country_index.html", context.as_context())


@cache_public_page(PAGE_CACHE_SECONDS)
def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    context = country_detail_context(iso3=iso3)
    if context is None:
        raise Http404(_("No such country."))
    page = context.as_context()
    page["country_evidence"] = evidence_for_country(iso3=iso3)
    return render(request, "site/country_detail.html", page)


def publication_index(request: HttpRequest) -> HttpResponse:
    """The old publications page: the library listing has its filters (`theme`, `language`)
    under the same names."""
    url = reverse("library:publication_list")
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
