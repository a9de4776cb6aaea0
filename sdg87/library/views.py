"""Public library pages under /<lang>/library/: the listing with facets (and its bulk export as
RIS, BibTeX or CSV), a publication's page and its history. Everything works without
JavaScript. Anonymous visitors see only `publication_public_queryset`; the publisher's writers
(sdg87.library.permissions) also see their drafts' pages, never in the listing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.catalog import selectors as catalog_selectors
from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.core.cache import cache_public_page
from sdg87.indicators.models import Series
from sdg87.library import permissions
from sdg87.library.citations.records import record_for_publication
from sdg87.library.diff import FieldChange, snapshot_diff
from sdg87.library.exports import EXPORT_MAX, datasets_export, publications_export
from sdg87.library.listing import (
    FACETS,
    LibraryFilters,
    publication_search,
    theme_label,
    type_label,
)
from sdg87.library.models import Publication, PublicationFile, PublicationVersion
from sdg87.library.selectors import (
    publication_files_open,
    publication_is_public,
    publication_public_queryset,
)
from sdg87.library.services.files import publication_files_published

PAGE_SIZE = 25
PAGE_CACHE_SECONDS = 300
SORT_CHOICES = (("newest", gettext_lazy("Newest first")), ("title", gettext_lazy("Title")))
FACET_SHOWN = 8  # values listed before "more"


FACET_LABELS = {
    "type": gettext_lazy("Type"),
    "theme": gettext_lazy("Theme"),
    "country": gettext_lazy("Country or region"),
    "language": gettext_lazy("Language"),
    "year": gettext_lazy("Year"),
    "organisation": gettext_lazy("Organisation"),
}


# --- listing ----------------------------------------------------------------------------------


@cache_public_page(PAGE_CACHE_SECONDS)
def library_list(request: HttpRequest) -> HttpResponse:
    filters = LibraryFilters.from_query(dict(request.GET.lists()))
    fmt = request.GET.get("format", "")
    if fmt:
        return _export(request, filters, fmt)
    result = publication_search(filters=filters)
    paginator = Paginator(result.publications, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    base = [(k, v) for k in FACETS for v in filters.selected(k)]
    if filters.q:
        base.append(("q", filters.q))
    if filters.sort != "newest":
        base.append(("sort", filters.sort))

    def url_with(
        toggle: tuple[str, str] | None = None, page_number: int | None = None, **extra: str
    ) -> str:
        pairs = list(base)
        if toggle is not None:
            pairs = [p for p in pairs if p != toggle] if toggle in pairs else [*pairs, toggle]
        if page_number and page_number > 1:
            pairs.append(("page", str(page_number)))
        pairs.extend(extra.items())
        return "?" + urlencode(pairs) if pairs else "?"

    facets: list[dict[str, Any]] = [
        {
            "name": name,
            "label": str(FACET_LABELS[name]),
            "items": [
                {"item": item, "url": url_with((name, item.value))}
                for item in result.facets.get(name, [])
            ],
        }
        for name in FACETS
    ]
    pages = [
        {"number": n, "url": url_with(page_number=n) if isinstance(n, int) else ""}
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return render(
        request,
        "library/publication_list.html",
        {
            "filters": filters,
            "result": result,
            "page": page,
            "pages": pages,
            "facets": facets,
            "selected": [
                {"label": entry["item"].label, "facet": f["label"], "url": entry["url"]}
                for f in facets
                for entry in f["items"]
                if entry["item"].selected
            ],
            "hidden": [(k, v) for k, v in base if k not in ("q", "sort")],
            "sort_choices": [(value, str(label)) for value, label in SORT_CHOICES],
            "prev_url": url_with(page_number=page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": url_with(page_number=page.next_page_number()) if page.has_next() else "",
            "exports": [
                {"url": url_with(format=code), "label": label}
                for code, label in (("ris", "RIS"), ("bib", "BibTeX"), ("csv", "CSV"))
            ],
            "export_max": EXPORT_MAX,
            "feed_url": reverse("library:publication_feed")
            + ("?" + urlencode(_feed_params(filters)) if _feed_params(filters) else ""),
        },
    )


def _feed_params(filters: LibraryFilters) -> list[tuple[str, str]]:
    return [
        (k, v) for k in ("type", "theme", "country", "organisation") for v in filters.selected(k)
    ]


def _export(request: HttpRequest, filters: LibraryFilters, fmt: str) -> HttpResponse:
    pubs = publication_search(filters=filters, facets=False).publications.select_related(
        "publisher"
    )[:EXPORT_MAX]
    return publications_export(request, pubs, fmt, name="library")


# --- one publication --------------------------------------------------------------------------


def _visible_publication(request: HttpRequest, slug: str) -> Publication:
    pub = (
        Publication.objects.select_related("publisher")
        .prefetch_related("creators", "themes", "geographies", "files")
        .filter(slug=slug)
        .first()
    )
    if pub is None or not permissions.can_view_publication(request.user, pub):
        raise Http404(_("Publication not found"))
    return pub


def _files(request: HttpRequest, pub: Publication, now: datetime) -> list[PublicationFile]:
    """The files this visitor may download: the working copy's to its writers, otherwise
    those of the published version once any embargo has passed."""
    if permissions.is_writer(request.user, pub):
        return list(pub.files.all())
    if not publication_files_open(pub, now):
        return []
    return publication_files_published(pub)


def file_url(file: PublicationFile) -> str:
    """The download view of the review pages (sdg87.library.contribute_urls); "" while that
    URLconf is not installed."""
    try:
        return reverse("library_contribute:publication_file_download", kwargs={"pk": file.pk})
    except NoReverseMatch:
        return ""


def copy_host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pub = _visible_publication(request, slug)
    now = timezone.now()
    files = _files(request, pub, now)
    embargoed = not publication_files_open(pub, now)
    hidden_files = embargoed and not permissions.is_writer(request.user, pub)
    rows = [{"file": f, "download_url": file_url(f)} for f in files]
    pdf_url = next((file_url(f) for f in files if f.extension == "pdf"), "")
    record = record_for_publication(pub, request=request, pdf_url=pdf_url, files_open=not embargoed)
    public = publication_public_queryset(now=now)
    editions = (
        list(public.filter(work=pub.work).exclude(pk=pub.pk).order_by("language", "title"))
        if pub.work
        else []
    )
    datasets = list(
        dataset_public_queryset(now=now)
        .filter(pk__in=pub.related_datasets.values("pk"))
        .select_related("publisher")
        .order_by("title")
    )
    indicators = [
        {"indicator": ind, "series": list(Series.objects.public().filter(indicator=ind))}
        for ind in pub.related_indicators.all()
    ]
    series = list(pub.related_series.public())
    countries = sorted(pub.geographies.all(), key=lambda g: g.name)
    context: dict[str, Any] = {
        "pub": pub,
        "public": publication_is_public(pub, now),
        "type_label": type_label(pub.resource_type),
        "themes": [theme_label(t.code) for t in pub.themes.all()],
        "countries": countries,
        "creators": list(pub.creators.all()),
        "files": rows,
        "hidden_files": hidden_files,
        "embargo_until": pub.embargo_until if hidden_files else None,
        "copy_host": copy_host(pub.copy_url),
        "editions": editions,
        "datasets": datasets,
        "indicators": indicators,
        "series": series,
        "evidence": list(pub.evidence.all()),
        "record": record,
        "versions_count": pub.versions.count(),
        "language_label": _language_label(pub.language),
    }
    return render(request, "library/publication_detail.html", context)


def _language_label(code: str) -> str:
    from sdg87.catalog.validators import language_name

    return language_name(code) or code


# --- history ----------------------------------------------------------------------------------

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "abstract": gettext_lazy("Abstract"),
    "resource_type": gettext_lazy("Type"),
    "publisher_name": gettext_lazy("Publisher as printed"),
    "publisher": gettext_lazy("Publisher"),
    "container_title": gettext_lazy("Journal or series"),
    "year": gettext_lazy("Year"),
    "issued": gettext_lazy("Date of publication"),
    "language": gettext_lazy("Language"),
    "work": gettext_lazy("Work"),
    "doi": "DOI",
    "isbns": "ISBN",
    "handle": gettext_lazy("Handle"),
    "url": gettext_lazy("Publisher's page"),
    "licence": gettext_lazy("Licence"),
    "sdg_targets": gettext_lazy("SDG targets"),
    "creators": gettext_lazy("Authors"),
    "themes": gettext_lazy("Themes"),
    "countries": gettext_lazy("Countries and regions"),
    "files": gettext_lazy("Files"),
}


def publication_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Published versions, newest first, each with what changed since the one before."""
    pub = _visible_publication(request, slug)
    versions: list[PublicationVersion] = list(pub.versions.order_by("-number"))
    rows = []
    for i, version in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        changes: list[FieldChange] = (
            snapshot_diff(previous.metadata, version.metadata) if previous else []
        )
        rows.append(
            {
                "version": version,
                "previous": previous,
                "changes": [
                    {"label": str(FIELD_LABELS.get(c.field, c.field)), "change": c} for c in changes
                ],
            }
        )
    return render(request, "library/publication_history.html", {"pub": pub, "rows": rows})


# --- the data directory's listing, exported ---------------------------------------------------


def dataset_list_export(request: HttpRequest) -> HttpResponse:
    """The datasets listing (/<lang>/datasets/, same filters, what the visitor may see) as
    RIS, BibTeX or CSV references (`export=ris|bib|csv`: `format` is one of the listing's
    filters, the distributions' file format). Here, not in the catalog, because the citation
    formats are the library's and the catalog does not import the library."""
    params: dict[str, Any] = {
        name: request.GET.getlist(name) for name in catalog_selectors.FILTER_PARAMS
    }
    sort = request.GET.get("sort", catalog_selectors.DEFAULT_SORT)
    if sort not in catalog_selectors.SORTS:
        sort = catalog_selectors.DEFAULT_SORT
    try:
        result = catalog_selectors.dataset_search(
            user=request.user,
            q=request.GET.get("q", "").strip(),
            sort=sort,
            facets=False,
            **params,
        )
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    datasets = result.datasets.select_related("publisher", "release")[:EXPORT_MAX]
    return datasets_export(request, datasets, request.GET.get("export", ""), name="datasets")
