"""Writes for the due-diligence packs: recording a new version when the content changed.

When versions are made (decision, see docs/howto/packs.md): on view. Every page, PDF, export
and API read of the newest pack calls `pack_version_record`, which builds the content (a fixed
number of queries, independent of the data size), hashes it and writes a version only when
the hash differs from the newest stored one; an unchanged pack writes nothing. The command
`manage.py packs_refresh` (and the task `packs_refresh_task`) does the same for every listed
pair after a data load, so the "as of" date is the load's and not the first reader's.

    (no version) --content built--> v1 --content differs--> v2 ...
                                    v1 --content equal----> v1 (nothing written)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sdg87.geo.models import Geography
from sdg87.packs.models import PackVersion
from sdg87.packs.selectors import pack_content_build, pack_version_latest


def content_hash(content: Any) -> str:
    """SHA-256 of the content's canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def pack_version_record(*, good: str, good_slug: str, country: Geography) -> PackVersion | None:
    """The newest version of the pack, written first if the content changed since it (or if
    there is none). None when the good was never listed for the country."""
    content = pack_content_build(good=good, country=country)
    if content is None:
        return None
    digest = content_hash(content)
    latest = pack_version_latest(good_slug=good_slug, country=country)
    if latest is not None and latest.content_hash == digest:
        return latest
    version = PackVersion(
        good_slug=good_slug,
        good_name=good,
        country=country,
        number=(latest.number + 1) if latest else 1,
        content_hash=digest,
        content=content,
        created_at=timezone.now(),
    )
    version.full_clean()
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        # A concurrent reader recorded the same number first: theirs is the version.
        return pack_version_latest(good_slug=good_slug, country=country)
    return version
