"""Citation records from the database: publications, datasets and evidence codings.

The only module of the package that reads models. Callers decide visibility first (through
`sdg87.library.selectors.publication_public_queryset` or the catalog's `dataset_get`); these
adapters describe what they are given.
"""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from sdg87.catalog.models import Dataset
from sdg87.library.citations.record import (
    CitationRecord,
    Creator,
    Issued,
    Organisation,
    Person,
    split_container,
)
from sdg87.library.models import EvidenceCoding, Publication
from sdg87.library.resource_types import DATASET

_QUALIFIER = re.compile(r"\s*\([^)]*\)")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def _absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None and path else path


def publication_page_path(slug: str) -> str:
    """The publication's page on this site: `/<lang>/library/<slug>/`."""
    try:
        return reverse("library:publication_detail", kwargs={"slug": slug})
    except NoReverseMatch:
        # the pages' URLconf is not installed (tests of this package alone)
        return f"/{get_language() or 'en'}/library/{slug}/"


def _creators(pub: Publication) -> tuple[Creator, ...]:
    out: list[Creator] = []
    for creator in pub.creators.all():
        if creator.is_organisation or not creator.family:
            short = creator.organisation.acronym if creator.organisation else ""
            name = creator.name or creator.family
            if name:
                out.append(Organisation(name, short))
        else:
            out.append(Person(creator.family, creator.given, creator.orcid))
    return tuple(out)


def _publisher(pub: Publication) -> str:
    if pub.publisher_name:
        return pub.publisher_name
    return pub.publisher.name if pub.publisher_id and pub.publisher else ""


def record_for_publication(
    pub: Publication,
    *,
    request: HttpRequest | None = None,
    pdf_url: str = "",
    files_open: bool = True,
    accessed: date | None = None,
) -> CitationRecord:
    """The publication as a citation record. Without named authors the publisher is the
    author (an organisation, cited by name). `pdf_url` (the page's link to its PDF) is kept
    only while the files are open (`files_open`: not embargoed)."""
    creators = _creators(pub)
    publisher = _publisher(pub)
    if not creators and publisher:
        acronym = pub.publisher.acronym if pub.publisher_id and pub.publisher else ""
        creators = (Organisation(publisher, acronym),)
    if pub.issued:
        issued: Issued | None = Issued(pub.issued.year, pub.issued.month, pub.issued.day)
    elif pub.year:
        issued = Issued(pub.year)
    else:
        issued = None
    container = split_container(pub.container_title)
    page_url = _absolute(request, publication_page_path(pub.slug))
    return CitationRecord(
        type=pub.resource_type,
        title=pub.title,
        slug=pub.slug,
        kind="publication",
        creators=creators,
        issued=issued,
        publisher=publisher,
        container_title=container.title,
        volume=container.volume,
        issue=container.issue,
        pages=container.pages,
        doi=pub.doi,
        isbns=tuple(_QUALIFIER.sub("", i).strip() for i in pub.isbns if i.strip()),
        url=pub.link or page_url,
        page_url=page_url,
        pdf_url=_absolute(request, pdf_url) if files_open else "",
        language=pub.language,
        accessed=accessed,
        abstract=pub.abstract,
    )


def record_for_evidence(coding: EvidenceCoding, **kwargs: object) -> CitationRecord:
    """An evidence record is cited as the study (publication) it codes."""
    return record_for_publication(coding.publication, **kwargs)  # type: ignore[arg-type]


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def record_for_dataset(
    dataset: Dataset, *, request: HttpRequest | None = None, accessed: date | None = None
) -> CitationRecord:
    """The dataset as a citation record: its publisher organisation is the author; issued is
    the statistics release's publication when the dataset describes one, else the dataset's
    first publication on the platform; the version is the latest published one; the URL its
    page here."""
    version = dataset.versions.order_by("-number").first()
    release = dataset.release if dataset.release_id else None
    if release is not None:
        # the release's publication, its year only when it has no day (never an invented day)
        on = release.released_on
        issued = Issued(on.year, on.month, on.day) if on else Issued(release.year)
    else:
        when = (dataset.first_published_at or dataset.created_at).date()
        issued = Issued(when.year, when.month, when.day)
    page_url = _absolute(request, dataset.get_absolute_url())
    doi_match = _DOI.match(dataset.identifier.strip())
    publisher = dataset.publisher
    return CitationRecord(
        type=DATASET,
        title=dataset.title,
        slug=dataset.slug,
        kind="dataset",
        creators=(Organisation(publisher.name, publisher.acronym),),
        issued=issued,
        publisher=publisher.name,
        doi=doi_match.group(1) if doi_match else "",
        url=page_url,
        page_url=page_url,
        language=dataset.language,
        accessed=accessed,
        version=str(version.number) if version else "",
        abstract=_plain(dataset.description),
    )
