"""Citation text and schema.org Dataset JSON-LD for a dataset page (no writes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sdg87.catalog.models import Dataset, DatasetVersion, Distribution


def _absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def publication_date(dataset: Dataset, version: DatasetVersion | None = None) -> date:
    """When the cited data was published: the statistics release's publication date (its year
    when undated) for a dataset describing a release, else the cited version's publication on
    this platform. Never the day the bundled data was loaded (a 2022 report loaded in 2026 is
    "(2022)", not "(2026)")."""
    if dataset.release_id and dataset.release:
        release = dataset.release
        return release.released_on or date(release.year, 1, 1)
    when = version.created_at if version else (dataset.last_published_at or dataset.created_at)
    return when.date()


def citation_for(
    dataset: Dataset, version: DatasetVersion | None, request: HttpRequest | None = None
) -> str:
    """'<Publisher> (<year>). <Title> [dataset], version <n>. <url>. Licence <id>.' The year
    is the publication year (`publication_date`)."""
    year = publication_date(dataset, version).year
    parts = [f"{dataset.publisher.name} ({year}). {dataset.title} [{_('dataset')}]"]
    if version:
        parts[0] += ", " + _("version %(n)s") % {"n": version.number}
    parts.append(_absolute(request, dataset.get_absolute_url()))
    parts.append(_("Licence: %(licence)s") % {"licence": dataset.licence})
    if dataset.release_id and dataset.release:
        parts.append(dataset.release.citation)
    return ". ".join(p.rstrip(".") for p in parts) + "."


def jsonld_for(
    dataset: Dataset, distributions: list[Distribution], request: HttpRequest | None = None
) -> dict[str, Any]:
    """schema.org Dataset (Google Dataset Search) for the page."""
    url = _absolute(request, dataset.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "name": dataset.title,
        "description": _plain(dataset.description) or dataset.title,
        "identifier": dataset.identifier or url,
        "inLanguage": dataset.language,
        "isAccessibleForFree": True,
        "keywords": sorted(dataset.keywords.names()) + [str(t.label) for t in dataset.themes.all()],
        "license": dataset.licence_url or dataset.licence,
        "publisher": {
            "@type": "Organization",
            "name": dataset.publisher.name,
            **({"url": dataset.publisher.website} if dataset.publisher.website else {}),
        },
        "creator": {"@type": "Organization", "name": dataset.publisher.name},
        "dateModified": dataset.last_modified.isoformat(),
    }
    if dataset.release_id and dataset.release:
        release = dataset.release
        data["datePublished"] = (
            release.released_on.isoformat() if release.released_on else str(release.year)
        )
    elif dataset.first_published_at:
        data["datePublished"] = dataset.first_published_at.isoformat()
    if dataset.temporal_start and dataset.temporal_end:
        data["temporalCoverage"] = (
            f"{dataset.temporal_start.isoformat()}/{dataset.temporal_end.isoformat()}"
        )
    places = [g.name_en for g in dataset.spatial.all()[:300]]
    if places:
        data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in places]
    if dataset.contact_email:
        data["contactPoint"] = {
            "@type": "ContactPoint",
            "name": dataset.contact_name or dataset.publisher.name,
            "email": dataset.contact_email,
        }
    data["distribution"] = [
        {
            "@type": "DataDownload",
            "name": d.title,
            "encodingFormat": d.media_type or d.format,
            "contentUrl": _absolute(request, d.url)
            if d.url
            else _absolute(
                request,
                reverse("catalog:distribution_download", kwargs={"slug": dataset.slug, "pk": d.pk}),
            ),
            **({"contentSize": str(d.byte_size)} if d.byte_size else {}),
        }
        for d in distributions
        if d.published
    ]
    return data


def _plain(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()[:5000]
