"""Our datasets in CKAN's dictionary shapes (package, resource, organization, group, tag)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from sdg87.catalog.models import LICENCE_URLS, Dataset, Distribution, Licence, Theme, Visibility
from sdg87.orgs.models import Organisation

OPEN_LICENCES = {
    "CC-BY-4.0",
    "CC-BY-3.0-IGO",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "ODbL-1.0",
    "PDDL-1.0",
    "public-domain-us-gov",
}


def _iso(value: Any) -> str | None:
    return value.replace(tzinfo=None).isoformat() if value else None


def absolute(base_url: str, path: str) -> str:
    return path if path.startswith(("http://", "https://")) else base_url.rstrip("/") + path


def resource_url(distribution: Distribution, *, base_url: str) -> str:
    if distribution.url:
        return absolute(base_url, distribution.url)
    try:
        path = reverse(
            "catalog:distribution_download",
            kwargs={"slug": distribution.dataset.slug, "pk": distribution.pk},
        )
    except NoReverseMatch:
        path = distribution.file.url if distribution.file else ""
    return absolute(base_url, path)


def resource_dict(
    distribution: Distribution, *, base_url: str, data_allowed: bool = True
) -> dict[str, Any]:
    """CKAN's resource shape. Without `data_allowed` (metadata-only, embargoed data) `url` is
    the dataset's landing page, as DCAT's accessURL: a link distribution's own URL would hand
    out the data that the publisher shares only on request."""
    url = (
        resource_url(distribution, base_url=base_url)
        if data_allowed
        else absolute(base_url, distribution.dataset.get_absolute_url())
    )
    return {
        "id": str(distribution.pk),
        "package_id": str(distribution.dataset_id),
        "name": distribution.title,
        "description": distribution.description,
        "url": url,
        "url_type": "upload" if distribution.file else None,
        "format": distribution.format,
        "mimetype": distribution.media_type or None,
        "size": distribution.byte_size,
        "hash": f"sha256:{distribution.sha256}" if distribution.sha256 else "",
        "position": distribution.position,
        "created": _iso(distribution.created_at),
        "last_modified": _iso(distribution.updated_at),
        "state": "active",
    }


def organization_dict(
    org: Organisation, *, base_url: str, package_count: int | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": str(org.pk),
        "name": org.slug,
        "title": org.name,
        "display_name": org.name,
        "description": strip_tags(org.description),
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": org.logo.file.url if org.logo_id else "",  # type: ignore[union-attr]
        "created": _iso(org.created_at),
        "extras": [
            {"key": "acronym", "value": org.acronym},
            {"key": "organisation_type", "value": org.type},
            {"key": "website", "value": org.website},
            {"key": "country", "value": org.country.iso3 if org.country_id else ""},  # type: ignore[union-attr]
        ],
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": theme.code,
        "name": theme.code,
        "title": str(theme.label),
        "display_name": str(theme.label),
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def package_dict(
    dataset: Dataset,
    *,
    distributions: list[Distribution],
    freshness: str | None,
    base_url: str,
    include_resources: bool = True,
    data_allowed: bool = True,
) -> dict[str, Any]:
    tags = sorted(t.name for t in dataset.keywords.all())
    themes = list(dataset.themes.all())
    spatial = [g.iso3 or g.code for g in dataset.spatial.all()]
    resources = [
        resource_dict(d, base_url=base_url, data_allowed=data_allowed) for d in distributions
    ]
    extras = {
        "frequency": dataset.frequency,
        "language": dataset.language,
        "identifier": dataset.identifier,
        "spatial": ",".join(spatial),
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "visibility": dataset.visibility,
        "freshness": freshness or "",
        "related_series": ",".join(s.code for s in dataset.related_series.public()),
    }
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": strip_tags(dataset.description),
        "url": absolute(base_url, dataset.get_absolute_url()),
        "type": "dataset",
        "state": "active" if dataset.live else "draft",
        "private": dataset.visibility != Visibility.PUBLIC,
        "author": dataset.publisher.name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email or None,
        "license_id": dataset.licence,
        "license_title": str(dict(Licence.choices).get(dataset.licence, dataset.licence)),
        "license_url": LICENCE_URLS.get(dataset.licence, ""),
        "isopen": dataset.licence in OPEN_LICENCES,
        "owner_org": str(dataset.publisher_id),
        "organization": organization_dict(dataset.publisher, base_url=base_url),
        "metadata_created": _iso(dataset.created_at),
        "metadata_modified": _iso(dataset.last_modified),
        "version": str(dataset.versions.count()) if include_resources else None,
        "tags": [
            {"name": t, "display_name": t, "id": t, "state": "active", "vocabulary_id": None}
            for t in tags
        ],
        "num_tags": len(tags),
        "groups": [group_dict(t) for t in themes],
        "resources": resources if include_resources else [],
        "num_resources": len(resources),
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
