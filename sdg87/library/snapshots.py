"""The metadata snapshot a publication's version keeps (pure over one loaded record)."""

from __future__ import annotations

from typing import Any

from sdg87.library.models import Publication

SNAPSHOT_FIELDS = (
    "title",
    "abstract",
    "resource_type",
    "publisher_name",
    "container_title",
    "year",
    "language",
    "work",
    "doi",
    "isbns",
    "handle",
    "url",
    "licence",
    "sdg_targets",
)


def publication_snapshot(pub: Publication) -> dict[str, Any]:
    """What a version records: the fields above, the publisher, issued date, creators, themes,
    countries and files (with their sha256), in a stable order."""
    data: dict[str, Any] = {name: getattr(pub, name) for name in SNAPSHOT_FIELDS}
    data["issued"] = pub.issued.isoformat() if pub.issued else None
    data["publisher"] = pub.publisher.slug if pub.publisher_id and pub.publisher else None
    data["creators"] = [
        {"family": c.family, "given": c.given, "name": c.name, "orcid": c.orcid}
        for c in pub.creators.order_by("position")
    ]
    data["themes"] = sorted(pub.themes.values_list("code", flat=True))
    data["countries"] = sorted(
        code for code in pub.geographies.values_list("code", flat=True) if code
    )
    data["files"] = [
        {"title": f.title, "media_type": f.media_type, "byte_size": f.byte_size, "sha256": f.sha256}
        for f in pub.files.all()
    ]
    return data
