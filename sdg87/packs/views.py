"""Pages and downloads of a due-diligence pack: /<lang>/supply-chains/packs/<good>/<iso3>/ and
its PDF, data package (zip) and JSON-LD. `?version=N` shows an older version.

The newest version is recorded on read when the content changed (sdg87.packs.services); a good
never listed for the country is a 404 (docs/howto/packs.md says why).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from sdg87.packs.document import EU_REGULATION_URL, PackDocument, pack_document_build
from sdg87.packs.exports import pack_datapackage_zip, pack_jsonld
from sdg87.packs.models import PackVersion
from sdg87.packs.pdf import pack_pdf_render
from sdg87.packs.selectors import (
    pack_country_get,
    pack_good_resolve,
    pack_version_get,
    pack_version_numbers,
    pack_version_previous,
)
from sdg87.packs.services import pack_version_record

MAX_VERSION = 1_000_000


def pack_version_for(*, good_slug: str, iso3: str, version: str | None) -> PackVersion:
    """The version asked for (the newest, recorded if the content changed, without
    `version`); Http404 for an unknown good, country, pair or version number."""
    good = pack_good_resolve(slug=good_slug)
    country = pack_country_get(iso3=iso3)
    if good is None or country is None:
        raise Http404("Unknown good or country")
    if version is not None:
        text = version.strip()
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_VERSION:
            raise Http404("Unknown version")
        found = pack_version_get(good_slug=good_slug, country=country, number=int(text))
        if found is None:
            raise Http404("Unknown version")
        return found
    recorded = pack_version_record(good=good, good_slug=good_slug, country=country)
    if recorded is None:
        raise Http404("Never listed")
    return recorded


def _urls(request: HttpRequest, version: PackVersion) -> dict[str, str]:
    kwargs = {"good": version.good_slug, "iso3": version.content["country"]["iso3"]}
    query = f"?version={version.number}"
    return {
        name: request.build_absolute_uri(reverse(f"packs:{name}", kwargs=kwargs) + query)
        for name in ("detail", "pdf", "datapackage", "jsonld")
    }


def _document(request: HttpRequest, version: PackVersion) -> tuple[PackDocument, dict[str, str]]:
    urls = _urls(request, version)
    country = version.country
    document = pack_document_build(
        version=version,
        previous=pack_version_previous(version=version),
        country_name=country.name,
        page_url=urls["detail"],
        lang=get_language() or "en",
        evidence_cell_url=request.build_absolute_uri(reverse("evidence:cell")),
    )
    return document, urls


def pack_detail(request: HttpRequest, good: str, iso3: str) -> HttpResponse:
    version = pack_version_for(good_slug=good, iso3=iso3, version=request.GET.get("version"))
    document, urls = _document(request, version)
    return render(
        request,
        "packs/pack_detail.html",
        {
            "doc": document,
            "urls": urls,
            "versions": pack_version_numbers(good_slug=good, country=version.country),
            "eu_regulation_url": EU_REGULATION_URL,
        },
    )


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(version: PackVersion, ext: str) -> str:
    iso3 = version.content["country"]["iso3"].lower()
    return f"pack-{version.good_slug}-{iso3}-v{version.number}.{ext}"


def pack_pdf(request: HttpRequest, good: str, iso3: str) -> HttpResponse:
    version = pack_version_for(good_slug=good, iso3=iso3, version=request.GET.get("version"))
    document = _document(request, version)[0]
    response = HttpResponse(pack_pdf_render(document=document), content_type="application/pdf")
    return _attachment(response, _filename(version, "pdf"))


def pack_datapackage(request: HttpRequest, good: str, iso3: str) -> HttpResponse:
    version = pack_version_for(good_slug=good, iso3=iso3, version=request.GET.get("version"))
    document, urls = _document(request, version)
    body = pack_datapackage_zip(
        version=version,
        previous=pack_version_previous(version=version),
        citation=document.citation,
        page_url=urls["detail"],
    )
    return _attachment(
        HttpResponse(body, content_type="application/zip"), _filename(version, "zip")
    )


def pack_jsonld_view(request: HttpRequest, good: str, iso3: str) -> HttpResponse:
    version = pack_version_for(good_slug=good, iso3=iso3, version=request.GET.get("version"))
    document, urls = _document(request, version)
    data = pack_jsonld(
        version=version,
        citation=document.citation,
        page_url=urls["detail"],
        title=document.title,
        lang=document.lang,
        downloads={"application/pdf": urls["pdf"], "application/zip": urls["datapackage"]},
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
