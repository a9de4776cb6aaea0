"""A stored tabular file of the catalog as records (column -> text) for sdc."""

from __future__ import annotations

from sdg87.catalog import uploads
from sdg87.catalog.models import Distribution
from sdg87.catalog.services.files import local_copy


def distribution_records(dist: Distribution) -> tuple[list[str], list[dict[str, str]]]:
    """(header, records). The file was validated at upload (size, rows, cells bounded)."""
    with local_copy(dist) as path:
        rows = uploads.iter_rows(path, dist.format)
        header = [h.strip() for h in next(rows, [])]
        records = [dict(zip(header, row, strict=False)) for row in rows]
    for record in records:
        for name in header:
            record.setdefault(name, "")
    return header, records


def distribution_header(dist: Distribution) -> list[str]:
    preview = dist.preview if isinstance(dist.preview, dict) else {}
    header = preview.get("header")
    if isinstance(header, list) and header:
        return [str(h) for h in header]
    return distribution_records(dist)[0]
