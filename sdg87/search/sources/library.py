"""Publications in the index: title, abstract, authors, journal, publisher, DOI and, for the
studies on the evidence map, what they found (intervention, outcome, the quoted finding).

Who may see a publication is the library's rule (sdg87.library.selectors), asked once for all
rows: a record that will never be live (draft, unverified, withdrawn) makes no document; an
organisation-only record makes a document for its publisher's members (`public=False`,
`audience_org_id`); a record scheduled for later is visible from its `publish_at`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from sdg87.geo.models import Geography, GeographyKind
from sdg87.library.models import Creator, EvidenceCoding, Publication, PublicationFile
from sdg87.library.resource_types import ResourceType
from sdg87.library.selectors import publication_live_queryset, publication_public_queryset
from sdg87.library.vocabulary import Intervention, Outcome, StudyDesign
from sdg87.orgs.models import Organisation
from sdg87.search.registry import DocumentData, Source, Text

SUMMARY_CHARS = 600
LANGUAGES = ("en", "fr", "es")
# "Whenever its schedule comes": the library's rules asked at this time tell whether a record
# will ever be live (or public) as it stands, whatever its `publish_at`.
EVENTUALLY = datetime(9999, 12, 31, tzinfo=UTC)


def plain(text: str) -> str:
    """Rich or plain text as one line of plain text."""
    return " ".join(html.unescape(strip_tags(text or "")).split())


def summary_of(text: str) -> str:
    return Truncator(plain(text)).chars(SUMMARY_CHARS)


def label_texts(label: Any) -> list[Text]:
    """A (lazy) label in English, French and Spanish, as body texts: a query in any of the
    three finds it."""
    out = []
    for lang in LANGUAGES:
        with translation.override(lang):
            out.append(Text(str(label), lang))
    return out


def _labels(choices: type[models.TextChoices], value: str) -> list[Text]:
    return label_texts(choices(value).label) if value in choices.values else []


def unique(texts: Iterable[Text]) -> list[Text]:
    """`texts` without empty ones and without repeats of the same words in the same field
    ("Ghana" is Ghana in English, French and Spanish): a repeat would only weigh the term up."""
    seen: set[tuple[str, str]] = set()
    out = []
    for piece in texts:
        key = (" ".join(piece.text.casefold().split()), piece.weight)
        if key[0] and key not in seen:
            seen.add(key)
            out.append(piece)
    return out


def place_code(geo: Geography) -> str:
    """The place facet's value: ISO3 for a country, the geography's code for an aggregate."""
    if geo.kind == GeographyKind.COUNTRY and geo.iso3:
        return geo.iso3
    return geo.code


def place_texts(geos: Iterable[Geography]) -> list[Text]:
    out = []
    for geo in geos:
        for lang, name in (("en", geo.name_en), ("fr", geo.name_fr), ("es", geo.name_es)):
            if name:
                out.append(Text(name, lang))
    return out


def publications() -> QuerySet[Publication]:
    """Every publication, with whether the library's rules make it live and public once its
    schedule comes (two EXISTS subqueries over the selectors' own querysets), and everything
    a document needs: a fixed number of queries for any number of rows."""
    live = publication_live_queryset(EVENTUALLY).filter(pk=OuterRef("pk"))
    public = publication_public_queryset(EVENTUALLY).filter(pk=OuterRef("pk"))
    return (
        Publication.objects.annotate(search_live=Exists(live), search_public=Exists(public))
        .select_related("publisher")
        .prefetch_related("creators", "themes", "geographies", "evidence", "files")
        .order_by("pk")
    )


def publication_get(object_id: str) -> Publication | None:
    if not object_id.isdigit():
        return None
    return publications().filter(pk=int(object_id)).first()


def _creator_name(creator: Creator) -> str:
    if creator.name:
        return creator.name
    return " ".join(n for n in (creator.given, creator.family) if n)


def _publisher_name(pub: Publication) -> str:
    if pub.publisher is not None:
        return pub.publisher.name
    return pub.publisher_name.split(";")[0].strip()


def _evidence_texts(pub: Publication) -> list[Text]:
    out: list[Text] = []
    for coding in pub.evidence.all():
        out += _labels(Intervention, coding.intervention)
        out += _labels(Outcome, coding.outcome)
        out += _labels(StudyDesign, coding.design)
        out += [Text(t, pub.language) for t in (coding.finding_quote, coding.note) if t]
    return out


def build_publication(pub: Publication) -> DocumentData | None:
    if not hasattr(pub, "search_live"):  # a row not read through publications()
        found = publication_get(str(pub.pk))
        if found is None:
            return None
        pub = found
    if not pub.search_live:  # type: ignore[attr-defined]
        return None  # draft, unverified or withdrawn: in no listing, so in no search
    lang = pub.language or "en"
    with translation.override("en"):
        path = reverse("library:publication_detail", kwargs={"slug": pub.slug})
        type_label = (
            str(ResourceType(pub.resource_type).label)
            if pub.resource_type in ResourceType.values
            else pub.resource_type
        )
    publisher = _publisher_name(pub)
    geos = list(pub.geographies.all())
    texts = [Text(pub.title, lang, "title")]
    texts += [Text(plain(pub.abstract), lang)] if pub.abstract else []
    texts += [Text(name, lang) for name in map(_creator_name, pub.creators.all()) if name]
    texts += [
        Text(t, lang)
        for t in (pub.container_title, pub.publisher_name, publisher, pub.doi, *pub.isbns)
        if t
    ]
    if pub.publisher is not None and pub.publisher.acronym:
        texts.append(Text(pub.publisher.acronym, "en"))
    texts += _labels(ResourceType, pub.resource_type)
    texts += _evidence_texts(pub)
    texts += place_texts(geos)
    public = bool(pub.search_public)  # type: ignore[attr-defined]
    return DocumentData(
        kind="publication",
        object_id=str(pub.pk),
        heading=pub.title,
        path=path,
        summary=summary_of(pub.abstract),
        language=lang,
        # the date it was issued, when known: never the day the record was loaded or published here
        date=pub.issued,
        year=pub.year or (pub.issued.year if pub.issued else None),
        meta=[m for m in (publisher, type_label, str(pub.year or "")) if m],
        public=public,
        visible_from=pub.publish_at,
        audience_org_id=None if public else pub.publisher_id,
        texts=unique(texts),
        facets={
            "theme": [t.code for t in pub.themes.all()],
            "place": [place_code(g) for g in geos],
            "organisation": [pub.publisher.slug] if pub.publisher is not None else [],
            "language": [lang],
            "resource_type": [pub.resource_type],
            "format": sorted({f.extension.upper() for f in pub.files.all() if f.extension}),
            "licence": [pub.licence] if pub.licence else [],
        },
        keys=[pub.doi] if pub.doi else [],
        boost=1.0,
    )


def _publications_of(organisation: Organisation) -> list[str]:
    return [str(pk) for pk in organisation.publications.values_list("pk", flat=True)]


SOURCES = [
    Source(
        kind="publication",
        label=_("Publications"),
        rows=publications,
        build=build_publication,
        get=publication_get,
        watches=(
            (Publication, lambda p: [str(p.pk)]),
            (Creator, lambda c: [str(c.publication_id)]),
            (EvidenceCoding, lambda c: [str(c.publication_id)]),
            (PublicationFile, lambda f: [str(f.publication_id)]),
            (Organisation, _publications_of),  # the publisher's name is in the document
        ),
    ),
]
