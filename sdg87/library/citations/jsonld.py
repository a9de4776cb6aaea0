"""schema.org JSON-LD: records (`ScholarlyArticle`, `Report`, `Dataset` ... from the
resource-type table), events and news articles (plain values in, for the news pages), and
the one safe way to put JSON-LD in a page (`script_json`).

A `<script type="application/ld+json">` is a data block: browsers never run it, so the
site's CSP `script-src` does not apply; the tag still carries the page's nonce like the
catalog's dataset page. Its text must not close the element: `<`, `>` and `&` are written
as JSON escapes (\\u003C ...), which JSON parsers read back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from sdg87.library.citations.record import CitationRecord, Organisation, Person

CONTEXT = "https://schema.org"
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data: Mapping[str, Any]) -> SafeString:
    """`data` as JSON text that cannot end the <script> element it is placed in."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_ESCAPES)
    return mark_safe(text)


def _agent(creator: Person | Organisation) -> dict[str, Any]:
    if isinstance(creator, Person):
        person: dict[str, Any] = {
            "@type": "Person",
            "name": f"{creator.given} {creator.family}".strip(),
            "familyName": creator.family,
        }
        if creator.given:
            person["givenName"] = creator.given
        if creator.orcid:
            person["@id"] = f"https://orcid.org/{creator.orcid}"
        return person
    return {"@type": "Organization", "name": creator.name}


def record_jsonld(record: CitationRecord) -> dict[str, Any]:
    """The record as a schema.org object of the type the resource-type table names."""
    schema_type = record.mapping.schema_org
    data: dict[str, Any] = {"@context": CONTEXT, "@type": schema_type}
    if record.page_url:
        data["@id"] = record.page_url
    data["name"] = record.title
    if schema_type != "Dataset":
        data["headline"] = record.title[:110]
    agents = [_agent(c) for c in record.creators]
    if agents:
        data["creator" if schema_type == "Dataset" else "author"] = agents
    if record.issued:
        data["datePublished"] = record.issued.iso()
    if record.publisher:
        data["publisher"] = {"@type": "Organization", "name": record.publisher}
    if record.language:
        data["inLanguage"] = record.language
    if record.abstract:
        data["description"] = record.abstract[:5000]
    identifiers = []
    if record.doi:
        identifiers.append(f"https://doi.org/{record.doi}")
    identifiers += [f"urn:isbn:{isbn}" for isbn in record.isbns]
    if identifiers:
        data["identifier"] = identifiers if len(identifiers) > 1 else identifiers[0]
    if record.isbns and schema_type != "Dataset":
        data["isbn"] = record.isbns[0]
    if record.page_url:
        data["url"] = record.page_url
    if record.url and record.url != record.page_url:
        data["sameAs"] = record.url
    if record.container_title and schema_type == "ScholarlyArticle":
        data["isPartOf"] = {"@type": "Periodical", "name": record.container_title}
        if record.first_page:
            data["pageStart"] = record.first_page
        if record.last_page:
            data["pageEnd"] = record.last_page
    if record.version:
        data["version"] = record.version
    if record.pdf_url:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": record.pdf_url,
            "encodingFormat": "application/pdf",
        }
    return data


def _when(value: date | datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def event_jsonld(
    *,
    name: str,
    start: datetime | date | str,
    end: datetime | date | str | None = None,
    url: str = "",
    description: str = "",
    place_name: str = "",
    address: str = "",
    online_url: str = "",
    organiser: str = "",
    organiser_url: str = "",
    registration_url: str = "",
    language: str = "",
    cancelled: bool = False,
) -> dict[str, Any]:
    """A schema.org `Event`. Times should be aware datetimes (their offset is kept); a place,
    an online link or both set the attendance mode."""
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "Event", "name": name}
    data["startDate"] = _when(start)
    if end:
        data["endDate"] = _when(end)
    if url:
        data["url"] = url
    if description:
        data["description"] = description
    locations: list[dict[str, Any]] = []
    if place_name or address:
        place: dict[str, Any] = {"@type": "Place", "name": place_name or address}
        if address:
            place["address"] = address
        locations.append(place)
    if online_url:
        locations.append({"@type": "VirtualLocation", "url": online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
        if len(locations) == 2:
            mode = "MixedEventAttendanceMode"
        elif online_url:
            mode = "OnlineEventAttendanceMode"
        else:
            mode = "OfflineEventAttendanceMode"
        data["eventAttendanceMode"] = f"https://schema.org/{mode}"
    data["eventStatus"] = "https://schema.org/" + (
        "EventCancelled" if cancelled else "EventScheduled"
    )
    if organiser:
        org: dict[str, Any] = {"@type": "Organization", "name": organiser}
        if organiser_url:
            org["url"] = organiser_url
        data["organizer"] = org
    if registration_url:
        data["offers"] = {"@type": "Offer", "url": registration_url}
    if language:
        data["inLanguage"] = language
    return data


def news_article_jsonld(
    *,
    headline: str,
    url: str,
    date_published: datetime | date | str,
    date_modified: datetime | date | str | None = None,
    description: str = "",
    authors: Sequence[str] = (),
    authors_are_people: bool = False,
    publisher: str = "",
    publisher_logo_url: str = "",
    image_urls: Sequence[str] = (),
    language: str = "",
) -> dict[str, Any]:
    """A schema.org `NewsArticle` (headline cut at Google's 110 characters); `authors` are
    organisations unless `authors_are_people`."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": headline[:110],
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": _when(date_published),
    }
    if date_modified:
        data["dateModified"] = _when(date_modified)
    if description:
        data["description"] = description
    if authors:
        kind = "Person" if authors_are_people else "Organization"
        data["author"] = [{"@type": kind, "name": a} for a in authors]
    if publisher:
        pub: dict[str, Any] = {"@type": "Organization", "name": publisher}
        if publisher_logo_url:
            pub["logo"] = {"@type": "ImageObject", "url": publisher_logo_url}
        data["publisher"] = pub
    if image_urls:
        data["image"] = list(image_urls)
    if language:
        data["inLanguage"] = language
    return data
