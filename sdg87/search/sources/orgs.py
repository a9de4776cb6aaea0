"""Organisations in the index: name and acronym (exact keys for the top result card),
description, type and headquarters country. Every organisation is public: the directory
(/<lang>/organisations/) lists `sdg87.orgs.selectors.organisation_list()` to anyone."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sdg87.orgs.models import Organisation, OrganisationType
from sdg87.orgs.selectors import organisation_list
from sdg87.search.registry import DocumentData, Source, Text
from sdg87.search.sources.library import (
    label_texts,
    place_code,
    place_texts,
    plain,
    summary_of,
    unique,
)


def organisations() -> list[Organisation]:
    return list(organisation_list())


def organisation_row(object_id: str) -> Organisation | None:
    if not object_id.isdigit():
        return None
    return organisation_list().filter(pk=int(object_id)).first()


def build_organisation(org: Organisation) -> DocumentData:
    with translation.override("en"):
        path = reverse("catalog:organisation_detail", kwargs={"slug": org.slug})
    type_labels = (
        label_texts(OrganisationType(org.type).label) if org.type in OrganisationType.values else []
    )
    country = org.country
    texts = [Text(org.name, "en", "title")]
    if org.acronym:
        texts.append(Text(org.acronym, "en", "title"))
    if org.description:
        texts.append(Text(plain(org.description), "en"))
    texts += type_labels
    texts += place_texts([country] if country is not None else [])
    if org.alliance87_role:
        with translation.override("en"):
            texts.append(Text(org.alliance87_role_label, "en"))
    return DocumentData(
        kind="organisation",
        object_id=str(org.pk),
        heading=org.display_name,
        path=path,
        summary=summary_of(org.description),
        meta=[t.text for t in type_labels[:1]] + ([country.name_en] if country else []),
        texts=unique(texts),
        facets={
            "place": [place_code(country)] if country is not None else [],
            "organisation": [org.slug],
        },
        keys=[k for k in (org.name, org.acronym) if k],
        boost=1.0,
    )


SOURCES = [
    Source(
        kind="organisation",
        label=_("Organisations"),
        rows=organisations,
        build=build_organisation,
        get=organisation_row,
        watches=((Organisation, lambda o: [str(o.pk)]),),
    ),
]
