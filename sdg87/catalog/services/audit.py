"""The audit trail of datasets: every editorial change writes one AuditEntry."""

from __future__ import annotations

from sdg87.catalog.models import AuditEntry, Dataset
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.cache import data_version_bump


def audit_write(
    *, dataset: Dataset, action: str, actor: Actor | None, from_status: str = "", message: str = ""
) -> AuditEntry:
    """Record `action` on `dataset` (its current status is the entry's `to_status`)."""
    entry = AuditEntry(
        dataset=dataset,
        dataset_slug=dataset.slug,
        action=action,
        actor=signed_in_user(actor),
        from_status=from_status,
        to_status=dataset.status,
        message=message,
    )
    entry.full_clean()
    entry.save()
    data_version_bump()  # every editorial change can change what the public API shows
    return entry
