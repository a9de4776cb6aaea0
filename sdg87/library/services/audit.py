"""The audit trail of publications: every editorial change writes one PublicationAuditEntry."""

from __future__ import annotations

from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.cache import data_version_bump
from sdg87.library.models import Publication, PublicationAuditEntry


def publication_audit_write(
    *,
    publication: Publication,
    action: str,
    actor: Actor | None,
    from_status: str = "",
    message: str = "",
) -> PublicationAuditEntry:
    """Record `action` (a catalog AuditAction value) on `publication`; its current status is
    the entry's `to_status`."""
    entry = PublicationAuditEntry(
        publication=publication,
        publication_slug=publication.slug,
        action=action,
        actor=signed_in_user(actor),
        from_status=from_status,
        to_status=publication.status,
        message=message,
    )
    entry.full_clean()
    entry.save()
    data_version_bump()  # every editorial change can change what the public API shows
    return entry
