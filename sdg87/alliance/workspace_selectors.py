"""Reads of the Action Groups' members-only workspaces. Callers check permission first
(sdg87.alliance.permissions.can_view_workspace); the only read meant for everybody is
`released_documents`, which returns released documents only (the group hub shows them)."""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.alliance.models import (
    ActionGroup,
    AllianceAuditEntry,
    Release,
    WorkspaceDocument,
    WorkspaceVersion,
)
from sdg87.alliance.services.workspace import WORKSPACE_DOCUMENT


@dataclass(frozen=True)
class DocumentRow:
    document: WorkspaceDocument
    latest: WorkspaceVersion | None
    version_count: int


def _rows(documents: list[WorkspaceDocument]) -> list[DocumentRow]:
    versions: dict[int, list[WorkspaceVersion]] = {}
    for version in WorkspaceVersion.objects.filter(document__in=documents).order_by(
        "document_id", "-number"
    ):
        versions.setdefault(int(version.document_id), []).append(version)
    rows = []
    for doc in documents:
        mine = versions.get(doc.pk, [])
        rows.append(
            DocumentRow(document=doc, latest=mine[0] if mine else None, version_count=len(mine))
        )
    return rows


def workspace_documents(*, group: ActionGroup) -> list[DocumentRow]:
    """Every document of the group's workspace (whatever its release), latest first."""
    return _rows(list(group.documents.select_related("group").order_by("-updated_at", "-id")))


def released_documents(*, group: ActionGroup) -> list[DocumentRow]:
    """The group's documents released to the public, with their latest version (the one the
    secretariat released): the only workspace read for everybody."""
    documents = list(
        group.documents.filter(release=Release.RELEASED)
        .select_related("group")
        .order_by("-released_at", "-id")
    )
    return [row for row in _rows(documents) if row.latest is not None]


def document_get(*, group: ActionGroup, pk: int) -> WorkspaceDocument | None:
    return WorkspaceDocument.objects.select_related("group").filter(group=group, pk=pk).first()


def document_versions(*, document: WorkspaceDocument) -> list[WorkspaceVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


def document_history(*, document: WorkspaceDocument) -> list[AllianceAuditEntry]:
    return list(
        AllianceAuditEntry.objects.filter(subject_type=WORKSPACE_DOCUMENT, subject_id=document.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def version_get(*, group: ActionGroup, pk: int) -> WorkspaceVersion | None:
    return (
        WorkspaceVersion.objects.select_related("document", "document__group")
        .filter(pk=pk, document__group=group)
        .first()
    )


def version_is_latest(version: WorkspaceVersion) -> bool:
    top = version.document.versions.order_by("-number").values_list("pk", flat=True).first()
    return top == version.pk
