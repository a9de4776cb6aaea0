"""The goods x country explorer under /<lang>/supply-chains/ (issue 13 item 1).

- `explorer`: every good x country x exploitation type of the bundled DOL List editions with
  GET filters (no JavaScript needed), paged, and the same rows as CSV (`?format=csv`);
- `matrix`: goods x countries with the types listed on one edition, bounded;
- `world_map`: goods listed per country on one edition, drawn by the chart pipeline, with its
  table;
- `good_detail` / `country_detail`: one good's countries, one country's goods, each with
  their history; the country page adds TIP tiers and DOL advancement levels;
- `changes`: what was added and removed between two editions, as a table and as CSV.

Views parse input, call selectors and shape output; every page cites each edition it shows.
"""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.assessments import selectors as assessments
from sdg87.core.cache import cache_public_page
from sdg87.core.charts import symbol_map
from sdg87.core.csvsafe import csv_row
from sdg87.supplychains import selectors as sel
from sdg87.supplychains.forms import ChangesForm, ExplorerFilterForm

PAGE_CACHE_SECONDS = 300
ROWS_PER_PAGE = 100
MAX_PAGE = 1_000
MATRIX_GOODS = 30
MATRIX_COUNTRIES = 25


def _explorer() -> sel.Explorer:
    explorer = sel.explorer_load()
    if not explorer.editions:
        raise Http404(_("The List of Goods is not loaded."))
    return explorer


def _filter_form(request: HttpRequest, explorer: sel.Explorer) -> ExplorerFilterForm:
    form = ExplorerFilterForm(request.GET or None, explorer=explorer)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid fields still filter
    return form


def _query(request: HttpRequest, **changes: str) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


def _edition_choice(request: HttpRequest, explorer: sel.Explorer) -> sel.Edition:
    newest = explorer.editions[0]
    raw = request.GET.get("edition", "")
    if raw.isdigit() and len(raw) == 4:
        return explorer.edition(int(raw)) or newest
    return newest


def _csv_response(header: list[str], rows: list[list[Any]], name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="sdg87-{name}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_row(row))
    return response


def _grid(
    listings: list[sel.Listing], years: list[int]
) -> list[tuple[sel.Listing, list[list[str]]]]:
    """Per listing, the types listed on each edition year (oldest first)."""
    return [
        (item, [[h.type for h in item.types.values() if year in h.editions] for year in years])
        for item in listings
    ]


def _years(values: list[int]) -> str:
    return " ".join(str(v) for v in values)


@cache_public_page(PAGE_CACHE_SECONDS)
def explorer(request: HttpRequest) -> HttpResponse:
    data = _explorer()
    form = _filter_form(request, data)
    filters = form.filters()
    rows = sel.listing_rows(data, filters=filters)
    if request.GET.get("format") == "csv":
        return _csv_response(
            [
                "good",
                "sector",
                "country_iso3",
                "country",
                "region",
                "exploitation_type",
                "editions_listed",
                "first_edition",
                "last_edition",
                "removed_in",
                "on_newest_edition",
                "derived_from_input",
                "source_url",
            ],
            [
                [
                    r.good.name,
                    r.good.sector,
                    r.country.iso3,
                    r.country.name,
                    r.listing.region,
                    r.type,
                    _years(r.history.editions),
                    r.history.first,
                    r.history.last,
                    r.history.removed_in,
                    "true" if r.history.current else "false",
                    "true" if r.listing.derived else "false",
                    data.editions[0].release.url,
                ]
                for r in rows
            ],
            "supply-chains",
        )
    page_number = request.GET.get("page", "1")
    number = int(page_number) if page_number.isdigit() else 1
    paginator = Paginator(rows, ROWS_PER_PAGE)
    page = paginator.get_page(min(number, MAX_PAGE))
    return render(
        request,
        "supplychains/explorer.html",
        {
            "data": data,
            "form": form,
            "max_values": sel.MAX_FILTER_VALUES,
            "filters": filters,
            "page": page,
            "total": len(rows),
            "csv_url": "?" + _query(request, format="csv", page=""),
            "prev_url": "?" + _query(request, page=str(page.previous_page_number()))
            if page.has_previous()
            else "",
            "next_url": "?" + _query(request, page=str(page.next_page_number()))
            if page.has_next()
            else "",
            "matrix_url": reverse("supplychains:matrix") + "?" + _query(request, page=""),
            "map_url": reverse("supplychains:map") + "?" + _query(request, page=""),
        },
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def matrix(request: HttpRequest) -> HttpResponse:
    data = _explorer()
    form = _filter_form(request, data)
    filters = form.filters()
    edition = explorer_edition = _edition_choice(request, data)
    m = sel.matrix(
        data,
        filters=filters,
        edition=edition.year,
        max_goods=MATRIX_GOODS,
        max_countries=MATRIX_COUNTRIES,
    )
    rows = [(good, [m.cell(good.slug, c.pk) for c in m.countries]) for good in m.goods]
    return render(
        request,
        "supplychains/matrix.html",
        {
            "data": data,
            "form": form,
            "max_values": sel.MAX_FILTER_VALUES,
            "edition": explorer_edition,
            "matrix": m,
            "rows": rows,
            "cut": m.goods_total > len(m.goods) or m.countries_total > len(m.countries),
            "explorer_url": reverse("supplychains:explorer") + "?" + _query(request),
        },
    )


def _map(counts: list[sel.CountryCount], edition: sel.Edition) -> dict[str, Any]:
    rows = [
        {"m49": c.country.m49, "name": c.country.name, "iso3": c.country.iso3, "value": c.goods}
        for c in counts
    ]
    spec = symbol_map(
        [r for r in rows if r["m49"]],
        title=_("Goods on the US DOL List of Goods by country, %(year)d edition")
        % {"year": edition.year},
        description=_(
            "Number of goods listed as produced with child labour or forced labour, per country."
        ),
        legend_title=_("Goods"),
        labels={"name": _("Country"), "value": _("Goods")},
    )
    return {
        "spec": spec,
        "table": [{"name": r["name"], "iso3": r["iso3"], "value": r["value"]} for r in rows],
        "columns": [("name", _("Country")), ("iso3", _("ISO code")), ("value", _("Goods"))],
        "caption": _(
            "Each circle's area is proportional to the number of goods listed for the country "
            "in the edition shown. Equal Earth projection; no map tiles."
        ),
    }


@cache_public_page(PAGE_CACHE_SECONDS)
def world_map(request: HttpRequest) -> HttpResponse:
    data = _explorer()
    form = _filter_form(request, data)
    edition = _edition_choice(request, data)
    counts = sel.goods_per_country(data, filters=form.filters(), edition=edition.year)
    return render(
        request,
        "supplychains/map.html",
        {
            "data": data,
            "form": form,
            "max_values": sel.MAX_FILTER_VALUES,
            "edition": edition,
            "counts": counts,
            "map": _map(counts, edition),
            "csv_url": reverse("supplychains:explorer")
            + "?"
            + urlencode({"edition": edition.year, "status": "", "format": "csv"}),
            "explorer_url": reverse("supplychains:explorer") + "?" + _query(request),
        },
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def good_detail(request: HttpRequest, slug: str) -> HttpResponse:
    data = _explorer()
    good = data.goods.get(slug)
    if good is None:
        raise Http404(_("No good of that name is on the bundled List of Goods editions."))
    listings = sel.good_listings(data, slug=slug)
    years = sorted(e.year for e in data.editions)
    return render(
        request,
        "supplychains/good_detail.html",
        {
            "data": data,
            "good": good,
            "listings": listings,
            "grid": _grid(listings, years),
            "years": years,
            "current": sum(1 for item in listings if item.current),
        },
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    data = _explorer()
    code = iso3.upper()
    if code != iso3:
        raise Http404(_("Country codes are written in capitals."))
    listings = sel.country_listings(data, iso3=code)
    if not listings:
        raise Http404(_("No good from this country is on the bundled List of Goods editions."))
    country = listings[0].country
    years = sorted(e.year for e in data.editions)
    return render(
        request,
        "supplychains/country_detail.html",
        {
            "data": data,
            "country": country,
            "listings": listings,
            "grid": _grid(listings, years),
            "years": years,
            "current": sum(1 for item in listings if item.current),
            "advancement": list(assessments.assessment_history(country=code)),
            "tiers": list(assessments.tier_history(country=code)),
        },
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def changes(request: HttpRequest) -> HttpResponse:
    data = _explorer()
    years = [e.year for e in data.editions]
    default = {"old": str(years[1] if len(years) > 1 else years[0]), "new": str(years[0])}
    form = ChangesForm(request.GET if "old" in request.GET else default, explorer=data)
    found: list[sel.Change] = []
    old = new = None
    if form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        found = sel.editions_diff(data, old=old, new=new)
        if request.GET.get("format") == "csv":
            return _csv_response(
                [
                    "change",
                    "good",
                    "sector",
                    "country_iso3",
                    "country",
                    "exploitation_type",
                    "from_edition",
                    "to_edition",
                    "source_url",
                ],
                [
                    [
                        c.change,
                        c.listing.good.name,
                        c.listing.good.sector,
                        c.listing.country.iso3,
                        c.listing.country.name,
                        c.type,
                        old,
                        new,
                        data.editions[0].release.url,
                    ]
                    for c in found
                ],
                f"supply-chains-changes-{old}-{new}",
            )
    return render(
        request,
        "supplychains/changes.html",
        {
            "data": data,
            "form": form,
            "max_values": sel.MAX_FILTER_VALUES,
            "changes": found,
            "old": data.edition(old) if old else None,
            "new": data.edition(new) if new else None,
            "added": sum(1 for c in found if c.change == sel.ADDED),
            "removed": sum(1 for c in found if c.change == sel.REMOVED),
            "csv_url": "?" + urlencode({"old": old or "", "new": new or "", "format": "csv"}),
        },
    )
