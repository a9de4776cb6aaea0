"""Read a source's whole listing over HTTP (no ORM): every page, within the limits.

The listing is read completely before anything is written, so an answer that is garbage (or
a source that stops answering) fails the run with nothing written. `complete` is False when
the listing could not be trusted to name every record (page limit reached, or the source
changed while it was read): then no record is marked removed on that run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from sdg87.harvest import fetch, parsers
from sdg87.harvest.models import SourceKind

CKAN_ROWS = 100
RDF_ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8"
SDMX_ACCEPT = "application/vnd.sdmx.structure+xml;version=2.1, application/xml;q=0.5"


class ListingFailed(Exception):
    """The run fails as a whole with this reason."""


@dataclass
class Listing:
    items: parsers.Parsed = field(default_factory=list)
    echoes: list[parsers.RecordProblem] = field(default_factory=list)
    complete: bool = True
    notes: list[str] = field(default_factory=list)


def listing_read(*, kind: str, url: str, remote_filter: str = "") -> Listing:
    try:
        if kind == SourceKind.CKAN:
            listing = _ckan(url, remote_filter)
        elif kind == SourceKind.DCAT:
            listing = _dcat(url)
        elif kind == SourceKind.SDMX:
            answer = fetch.get(url, accept=SDMX_ACCEPT)
            listing = Listing(parsers.sdmx_dataflows(answer.body, base=parsers.sdmx_base(url)))
        else:
            raise ListingFailed(_("Unknown kind of source."))
    except fetch.FetchError as exc:
        raise ListingFailed(str(exc)) from None
    except parsers.Garbage as exc:
        raise ListingFailed(_("The source answered garbage: %(error)s") % {"error": exc}) from None
    items, listing.echoes = parsers.echo_filter(listing.items)
    limit = settings.SDG87_HARVEST_MAX_RECORDS
    if len(items) > limit:
        listing.notes.append(
            _("Only the first %(limit)s of %(count)s records were harvested.")
            % {"limit": limit, "count": len(items)}
        )
        listing.complete = False
        items = items[:limit]
    listing.items = items
    return listing


def _unique(items: parsers.Parsed) -> parsers.Parsed:
    seen: set[str] = set()
    out: parsers.Parsed = []
    for item in items:
        if isinstance(item, parsers.RemoteRecord):
            if item.remote_id in seen:
                continue
            seen.add(item.remote_id)
        out.append(item)
    return out


def _ckan(url: str, remote_filter: str) -> Listing:
    api, site = parsers.ckan_api_base(url)
    listing = Listing()
    count = 0
    for page in range(settings.SDG87_HARVEST_MAX_PAGES):
        params = {"rows": CKAN_ROWS, "start": page * CKAN_ROWS, "sort": "name asc"}
        if remote_filter:
            params["fq"] = remote_filter
        answer = fetch.get(f"{api}package_search?{urlencode(params)}", accept="application/json")
        page_count, items = parsers.ckan_search_page(answer.body, site=site)
        count = page_count if page == 0 else count
        if page_count != count:
            listing.complete = False
        listing.items += items
        if not items or (page + 1) * CKAN_ROWS >= page_count:
            break
    else:
        listing.complete = False
        listing.notes.append(
            _("The page limit (%(pages)s) was reached.")
            % {"pages": settings.SDG87_HARVEST_MAX_PAGES}
        )
    before = len(listing.items)
    listing.items = _unique(listing.items)
    if len(listing.items) != count or before != count:
        listing.complete = False
    if not listing.complete and not listing.notes:
        listing.notes.append(
            _(
                "The source said it had %(count)s records but %(read)s were read: it changed "
                "during the harvest. Nothing was marked removed on this run."
            )
            % {"count": count, "read": len(listing.items)}
        )
    return listing


def _dcat(url: str) -> Listing:
    listing = Listing()
    seen_pages = set()
    for _page in range(settings.SDG87_HARVEST_MAX_PAGES):
        seen_pages.add(url)
        answer = fetch.get(url, accept=RDF_ACCEPT)
        fmt = parsers.rdf_format(answer.content_type, answer.url)
        items, next_page = parsers.dcat_records(parsers.dcat_graph(answer.body, fmt=fmt))
        listing.items += items
        if not next_page or next_page in seen_pages:
            break
        url = next_page
    else:
        listing.complete = False
        listing.notes.append(
            _("The page limit (%(pages)s) was reached.")
            % {"pages": settings.SDG87_HARVEST_MAX_PAGES}
        )
    listing.items = _unique(listing.items)
    return listing
