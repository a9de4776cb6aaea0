"""REST API v1: due-diligence packs (issue 13).

`packs/{good}/{iso3}`: the newest version of the pack of a good (its slug: `slugify` of the good
as DOL writes it, "cocoa") and a country (ISO3), or `version=N`; the stored content with the
version number, the "as of" time, the content hash, the citation and links to the page, PDF,
data package and JSON-LD. Reading the newest version records a new one when the content changed
(sdg87.packs.services).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.schemas import Lang
from sdg87.packs.document import pack_citation
from sdg87.packs.selectors import pack_country_get, pack_good_resolve, pack_version_get
from sdg87.packs.services import pack_version_record
from sdg87.packs.views import MAX_VERSION

router = Router(tags=["packs"])


class PackFilters(Schema):
    version: int | None = Field(
        None, ge=1, le=MAX_VERSION, description="A version number; the newest without it."
    )
    lang: Lang = Field("en", description="Language of the citation and of the page links.")


class PackLinks(Schema):
    page: str
    pdf: str
    datapackage: str
    jsonld: str


class PackOut(Schema):
    good: str = Field(description="The good as DOL writes it.")
    good_slug: str
    iso3: str
    version: int
    as_of: datetime = Field(description="When this version's content was recorded.")
    content_hash: str = Field(description="SHA-256 of the content's canonical JSON.")
    citation: str
    links: PackLinks
    content: dict[str, Any] = Field(
        description="Listings, history and country context, each figure with its release code "
        "(described in content.sources)."
    )


@router.get(
    "/packs/{good}/{iso3}",
    operation_id="sdg87_packs_api_pack_detail",
    response={200: PackOut, **ERROR_RESPONSES},
    summary="The due-diligence pack of a good from a country, versioned",
    url_name="pack_detail",
)
def pack_detail(
    request: HttpRequest, good: str, iso3: str, filters: Query[PackFilters]
) -> dict[str, Any]:
    """One pack: DOL List of Goods listings of the good for the country across editions, and
    the country's context (8.7.1 child labour, Global Slavery Index, TIP tiers, DOL advancement
    level, ratifications, legal standards, enforcement, suggested actions, evidence-map cells).
    404 for an unknown good or country, a good never listed for the country, or an unknown
    version."""
    name = pack_good_resolve(slug=good[:140])
    if name is None:
        raise ApiError(
            status=404,
            code="unknown_good",
            message=_("No good with slug '%(slug)s'.") % {"slug": good[:60]},
            parameter="good",
        )
    country = pack_country_get(iso3=iso3)
    if country is None:
        raise ApiError(
            status=404,
            code="unknown_country",
            message=_("No country with ISO3 code '%(code)s'.") % {"code": iso3[:10]},
            parameter="iso3",
        )
    if filters.version is not None:
        version = pack_version_get(good_slug=good, country=country, number=filters.version)
        if version is None:
            raise ApiError(
                status=404,
                code="unknown_version",
                message=_("This pack has no version %(number)s.") % {"number": filters.version},
                parameter="version",
            )
    else:
        version = pack_version_record(good=name, good_slug=good, country=country)
        if version is None:
            raise ApiError(
                status=404,
                code="not_listed",
                message=_("%(good)s from %(country)s is on no edition of the List of Goods.")
                % {"good": name, "country": country.iso3},
                parameter="good",
            )
    kwargs = {"good": version.good_slug, "iso3": country.iso3}
    query = f"?version={version.number}"
    with translation.override(filters.lang):
        links = {
            key: request.build_absolute_uri(reverse(f"packs:{route}", kwargs=kwargs) + query)
            for key, route in (
                ("page", "detail"),
                ("pdf", "pdf"),
                ("datapackage", "datapackage"),
                ("jsonld", "jsonld"),
            )
        }
        citation = pack_citation(
            good=version.good_name,
            country=country.name,
            version=version.number,
            as_of=version.created_at.date(),
            url=links["page"],
        )
    return {
        "good": version.good_name,
        "good_slug": version.good_slug,
        "iso3": country.iso3,
        "version": version.number,
        "as_of": version.created_at,
        "content_hash": version.content_hash,
        "citation": citation,
        "links": links,
        "content": version.content,
    }
