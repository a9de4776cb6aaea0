"""A Frictionless Data Package descriptor (datapackage.json) for a dataset."""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import strip_tags

from sdg87.catalog.dcat import DistributionView
from sdg87.catalog.models import LICENCE_URLS, Dataset

FRICTIONLESS_TYPES = {
    "string",
    "number",
    "integer",
    "boolean",
    "date",
    "datetime",
    "year",
    "object",
    "array",
    "any",
    "time",
    "yearmonth",
    "duration",
    "geopoint",
}


def _name(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "resource"


def datapackage_descriptor(
    *, dataset: Dataset, distributions: list[DistributionView], landing_page: str
) -> dict[str, Any]:
    resources = []
    used: set[str] = set()
    for view in distributions:
        d = view.distribution
        name = _name(d.title)
        while name in used:
            name += f"-{d.pk}"
        used.add(name)
        resource: dict[str, Any] = {
            "name": name,
            "title": d.title,
            "path": view.download_url or view.access_url,
            "format": d.format.lower(),
        }
        if d.media_type:
            resource["mediatype"] = d.media_type
        if d.byte_size is not None:
            resource["bytes"] = d.byte_size
        if d.sha256:
            resource["hash"] = f"sha256:{d.sha256}"
        if d.description:
            resource["description"] = strip_tags(d.description)
        fields = [
            {
                "name": column.get("name", ""),
                "type": column.get("type") if column.get("type") in FRICTIONLESS_TYPES else "any",
                **({"description": column["description"]} if column.get("description") else {}),
            }
            for column in (d.data_dictionary or [])
            if isinstance(column, dict) and column.get("name")
        ]
        if fields:
            resource["schema"] = {"fields": fields}
            if d.primary_key:
                resource["schema"]["primaryKey"] = d.primary_key
        resources.append(resource)
    licence = {"name": dataset.licence, "title": dataset.get_licence_display()}
    if dataset.licence in LICENCE_URLS:
        licence["path"] = LICENCE_URLS[dataset.licence]
    return {
        "profile": "data-package",
        "name": _name(dataset.slug),
        "id": dataset.identifier or landing_page,
        "title": dataset.title,
        "description": strip_tags(dataset.description),
        "homepage": landing_page,
        "version": str(dataset.versions.count() or 0),
        "created": dataset.created_at.isoformat() if dataset.created_at else None,
        "licenses": [licence],
        "sources": [
            {
                "title": dataset.publisher.name,
                **({"path": dataset.publisher.website} if dataset.publisher.website else {}),
            }
        ],
        "contributors": [{"title": dataset.publisher.name, "role": "publisher"}],
        "keywords": sorted(t.name for t in dataset.keywords.all()),
        "resources": resources,
    }
