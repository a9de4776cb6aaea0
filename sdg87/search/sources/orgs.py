"""Organisations in the index: name and acronym (exact keys for the top result card),
description, type and headquarters country. Every organisation is public: the directory
(/<lang>/organisations/) lists `sdg87.orgs.selectors.organisation_list()` to anyone.

An organisation is stored with its English name; the French and Spanish names and acronyms
that international organisations use themselves (Organisation internationale du Travail,
OIT; Banco Mundial) come from `data/search/organisation_names.csv` (one row per organisation
and language, each with the page where the name was seen, a verbatim quote and a
verification status; provenance in `data/search/PROVENANCE.md`). Rows with a status the
platform shows (`sdg87.alliance.models.SHOWN`) are title text and exact keys, so "OIT" finds
the ILO; only `verified` rows (the name seen on the organisation's own page) become the
heading on the French and Spanish pages, since a heading cannot say "reported by a third
party". `unverified` rows are read and checked but never used."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.models import SHOWN, Verification
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

NAMES_CSV = Path("data") / "search" / "organisation_names.csv"
NAMES_COLUMNS = [
    "slug",
    "lang",
    "name",
    "acronym",
    "source_url",
    "quote",
    "verification_status",
    "notes",
]
NAME_LANGUAGES = ("fr", "es")


class OrganisationName(NamedTuple):
    lang: str
    name: str
    acronym: str
    verification: str


@cache
def organisation_names() -> dict[str, tuple[OrganisationName, ...]]:
    """Organisation slug -> its names in French and Spanish: the data file's rows whose status
    is one the platform shows (verified, verified_secondary, verified_approx)."""
    found: dict[str, list[OrganisationName]] = {}
    with (Path(settings.BASE_DIR) / NAMES_CSV).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != NAMES_COLUMNS:
            raise ValueError(f"{NAMES_CSV}: columns {reader.fieldnames}, expected {NAMES_COLUMNS}")
        for row in reader:
            slug, lang, name = row["slug"].strip(), row["lang"].strip(), row["name"].strip()
            status = row["verification_status"].strip()
            if lang not in NAME_LANGUAGES or not slug or not name:
                raise ValueError(f"{NAMES_CSV}: incomplete row {row}")
            if status not in Verification.values:
                raise ValueError(f"{NAMES_CSV}: unknown verification_status in {row}")
            if status not in SHOWN:
                continue
            if not row["source_url"].strip() or not row["quote"].strip():
                raise ValueError(f"{NAMES_CSV}: a {status} row needs source_url and quote: {row}")
            found.setdefault(slug, []).append(
                OrganisationName(lang, name, row["acronym"].strip(), status)
            )
    return {slug: tuple(names) for slug, names in found.items()}


def _display(name: str, acronym: str) -> str:
    return f"{name} ({acronym})" if acronym else name


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
    names = organisation_names().get(org.slug, ())
    texts = [Text(org.name, "en", "title")]
    if org.acronym:
        texts.append(Text(org.acronym, "en", "title"))
    for other in names:
        texts.append(Text(other.name, other.lang, "title"))
        if other.acronym:
            texts.append(Text(other.acronym, other.lang, "title"))
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
        translations={
            n.lang: {"heading": _display(n.name, n.acronym)}
            for n in names
            if n.verification == Verification.VERIFIED
        },
        meta=[t.text for t in type_labels[:1]] + ([country.name_en] if country else []),
        texts=unique(texts),
        facets={
            "place": [place_code(country)] if country is not None else [],
            "organisation": [org.slug],
        },
        keys=list(
            dict.fromkeys(
                k
                for k in (org.name, org.acronym, *(x for n in names for x in (n.name, n.acronym)))
                if k
            )
        ),
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
