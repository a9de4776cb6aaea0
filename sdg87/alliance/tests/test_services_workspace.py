"""The workspace services: who may do what (permission first, nothing changed when refused),
uploads checked like the library's (too big, wrong type by content, an executable renamed
.pdf, macros: a clear error and nothing stored, neither row nor file), numbered versions with
their sha256 stored in the private root and never under MEDIA_ROOT, the release workflow with
its audit entries and mail (the secretariat hears of a proposal, the proposer of the
decision), and frozen versions while a document is proposed or released."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance import permissions
from sdg87.alliance.models import (
    ActionGroup,
    AllianceAuditEntry,
    Release,
    WorkspaceDocument,
    WorkspaceVersion,
)
from sdg87.alliance.private_storage import check_private_root
from sdg87.alliance.services import workspace
from sdg87.alliance.tests.workspace_fixtures import *  # noqa: F403
from sdg87.alliance.tests.workspace_fixtures import (
    EXE,
    HTML,
    PDF,
    VIEWERS,
    WS_ROLES,
    docx_bytes,
    make_document,
    upload,
)
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db


def _files(root: Any) -> list[Path]:
    base = Path(root)
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []


def _stored_nothing() -> None:
    assert not WorkspaceDocument.objects.exists()
    assert not WorkspaceVersion.objects.exists()
    assert _files(settings.SDG87_PRIVATE_ROOT) == []
    assert _files(settings.MEDIA_ROOT) == []


def test_create_stores_first_version_privately(
    ws_people: dict[str, Any], group: ActionGroup
) -> None:
    """The first version is numbered 1, with the sniffed type, size and sha256, stored under a
    random name with the sniffed extension in the private root, never under MEDIA_ROOT; the
    file has no URL; the creation is audited."""
    doc = make_document(ws_people, group, title="Minutes of the March meeting")
    assert doc.release == Release.PRIVATE and doc.created_by == ws_people["editor"]
    version = doc.versions.get()
    assert (version.number, version.extension, version.media_type) == (
        1,
        "pdf",
        "application/pdf",
    )
    assert version.byte_size == len(PDF) and version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert version.original_filename == "minutes.pdf"
    stored_name = str(version.file.name)
    assert "minutes" not in stored_name and stored_name.endswith(".pdf")
    path = Path(version.file.path)
    assert path.read_bytes() == PDF
    assert Path(settings.SDG87_PRIVATE_ROOT).resolve() in path.resolve().parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.resolve().parents
    assert _files(settings.MEDIA_ROOT) == []
    with pytest.raises(ValueError):
        version.file.url  # noqa: B018
    entry = AllianceAuditEntry.objects.get(subject_type="workspace_document", subject_id=doc.pk)
    assert (entry.action, entry.to_status, entry.actor) == (
        "create",
        "private",
        ws_people["editor"],
    )


@pytest.mark.parametrize("role", WS_ROLES)
def test_only_editors_of_member_organisations_create(
    role: str, ws_people: dict[str, Any], group: ActionGroup
) -> None:
    """The plain member, the unrelated editor, the secretariat and the superuser cannot add a
    document; nothing is stored when refused."""
    user = ws_people[role]
    assert permissions.can_view_workspace(user, group) is (role in VIEWERS)
    if role == "editor":
        make_document(ws_people, group, title="Allowed")
        return
    with pytest.raises(PermissionDenied):
        workspace.document_create(
            actor=user, group=group, title="Refused", kind="document", file=upload(PDF)
        )
    _stored_nothing()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "minutes.pdf", "not one of the accepted types"),
        (HTML, "notes.pdf", "not one of the accepted types"),
        (b"just some text", "notes.txt", "not one of the accepted types"),
        (b"PK\x03\x04" + b"\x00" * 40, "draft.docx", "not one of the accepted types"),
        (docx_bytes(macro=True), "draft.docx", "macros"),
        (b"", "empty.pdf", "empty"),
    ],
    ids=["exe-renamed-pdf", "html", "text", "broken-zip", "macro", "empty"],
)
def test_bad_uploads_store_nothing(
    content: bytes, name: str, message: str, ws_people: dict[str, Any], group: ActionGroup
) -> None:
    """A refused file raises FileRejected with a clear message; no row and no file remain."""
    with pytest.raises(workspace.FileRejected, match=message):
        workspace.document_create(
            actor=ws_people["editor"],
            group=group,
            title="Bad file",
            kind="document",
            file=upload(content, name=name),
        )
    _stored_nothing()


def test_too_big_upload_stores_nothing(
    settings: Any, ws_people: dict[str, Any], group: ActionGroup
) -> None:
    """Over the library's limit: refused with the sizes in MB, nothing stored; a new version
    over the limit leaves the document at its one version."""
    settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES = 100
    with pytest.raises(workspace.FileRejected, match="the limit is"):
        workspace.document_create(
            actor=ws_people["editor"],
            group=group,
            title="Too big",
            kind="document",
            file=upload(PDF + b"%" * 200),
        )
    _stored_nothing()
    settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES = len(PDF)
    doc = make_document(ws_people, group, title="Small")
    with pytest.raises(workspace.FileRejected):
        workspace.version_add(actor=ws_people["editor"], document=doc, file=upload(PDF + b"%"))
    assert doc.versions.count() == 1
    assert len(_files(settings.SDG87_PRIVATE_ROOT)) == 1


def test_docx_accepted(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Draft report", content=docx_bytes())
    assert doc.versions.get().extension == "docx"


def test_bad_title_refused_before_the_file(ws_people: dict[str, Any], group: ActionGroup) -> None:
    """Markup or an empty title: a ValidationError naming the field, nothing stored."""
    for title in ("", "<script>x</script>"):
        with pytest.raises(ValidationError) as info:
            workspace.document_create(
                actor=ws_people["editor"],
                group=group,
                title=title,
                kind="document",
                file=upload(PDF),
            )
        assert "title" in info.value.message_dict
    with pytest.raises(ValidationError):
        workspace.document_create(
            actor=ws_people["editor"], group=group, title="Ok", kind="poem", file=upload(PDF)
        )
    _stored_nothing()


def test_versions_are_numbered_and_kept(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Work plan")
    second = workspace.version_add(
        actor=ws_people["editor"], document=doc, file=upload(docx_bytes(), "plan.docx"), note="v2"
    )
    assert second.number == 2 and second.note == "v2"
    assert [v.number for v in doc.versions.order_by("number")] == [1, 2]
    assert len(_files(settings.SDG87_PRIVATE_ROOT)) == 2
    for role in ("member", "other", "secretariat", "superuser"):
        with pytest.raises(PermissionDenied):
            workspace.version_add(actor=ws_people[role], document=doc, file=upload(PDF))
    assert doc.versions.count() == 2
    assert len(_files(settings.SDG87_PRIVATE_ROOT)) == 2


def test_document_update(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Old title")
    workspace.document_update(
        actor=ws_people["editor"], document=doc, data={"title": "New title", "kind": "document"}
    )
    doc.refresh_from_db()
    assert (doc.title, doc.kind) == ("New title", "document")
    with pytest.raises(ValidationError):
        workspace.document_update(actor=ws_people["editor"], document=doc, data={"group": 1})
    with pytest.raises(PermissionDenied):
        workspace.document_update(actor=ws_people["member"], document=doc, data={"title": "x"})


def test_release_workflow_audit_and_mail(ws_people: dict[str, Any], group: ActionGroup) -> None:
    """propose (a plain member) -> the secretariat is mailed; no version while proposed;
    decline needs a note and mails the proposer; a new version; propose again; release
    (public, dated); take back needs a note; every step audited."""
    doc = make_document(ws_people, group, title="Draft output on recruitment fees")
    for role in ("other", "anonymous", "secretariat"):
        with pytest.raises(PermissionDenied):
            workspace.release_propose(actor=ws_people[role], document=doc)
    doc = workspace.release_propose(actor=ws_people["member"], document=doc, note="Ready")
    assert doc.release == Release.PROPOSED
    mail = OutboundMail.objects.get()
    assert mail.recipient == "ws_secretariat@example.org"
    assert "Draft output on recruitment fees" in mail.subject
    assert f"/workspace/{doc.pk}/" in mail.body
    with pytest.raises(PermissionDenied):
        workspace.version_add(actor=ws_people["editor"], document=doc, file=upload(PDF))
    with pytest.raises(PermissionDenied):
        workspace.release_decide(actor=ws_people["editor"], document=doc, release=True)
    with pytest.raises(ValidationError):
        workspace.release_decide(actor=ws_people["secretariat"], document=doc, release=False)
    OutboundMail.objects.all().delete()
    doc = workspace.release_decide(
        actor=ws_people["secretariat"], document=doc, release=False, note="Cite the sources."
    )
    assert (doc.release, doc.release_note) == (Release.RETURNED, "Cite the sources.")
    assert list(OutboundMail.objects.values_list("recipient", flat=True)) == [
        "ws_member@example.org"
    ]
    workspace.version_add(actor=ws_people["editor"], document=doc, file=upload(PDF), note="cited")
    doc = workspace.release_propose(actor=ws_people["editor"], document=doc)
    doc = workspace.release_decide(actor=ws_people["superuser"], document=doc, release=True)
    assert doc.release == Release.RELEASED and doc.released_at is not None
    assert permissions.can_download_released(doc)
    with pytest.raises(PermissionDenied):
        workspace.version_add(actor=ws_people["editor"], document=doc, file=upload(PDF))
    with pytest.raises(PermissionDenied):
        workspace.release_take_back(actor=ws_people["editor"], document=doc, note="no")
    with pytest.raises(ValidationError):
        workspace.release_take_back(actor=ws_people["secretariat"], document=doc, note="")
    doc = workspace.release_take_back(
        actor=ws_people["secretariat"], document=doc, note="Superseded."
    )
    assert doc.release == Release.PRIVATE and doc.released_at is None
    actions = list(
        AllianceAuditEntry.objects.filter(subject_type="workspace_document", subject_id=doc.pk)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )
    assert actions == [
        ("create", "", "private"),
        ("propose", "private", "proposed"),
        ("decline", "proposed", "returned"),
        ("version", "returned", "returned"),
        ("propose", "returned", "proposed"),
        ("release", "proposed", "released"),
        ("take_back", "released", "private"),
    ]


def test_withdraw_a_proposal(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Proposal to withdraw")
    doc = workspace.release_propose(actor=ws_people["editor"], document=doc)
    with pytest.raises(PermissionDenied):
        workspace.release_withdraw(actor=ws_people["other"], document=doc)
    doc = workspace.release_withdraw(actor=ws_people["member"], document=doc)
    assert doc.release == Release.PRIVATE


def test_check_refuses_private_root_inside_media(settings: Any, tmp_path: Any) -> None:
    """sdg87.E120 when the private root is inside MEDIA_ROOT (or holds it); none otherwise."""
    assert check_private_root() == []
    settings.SDG87_PRIVATE_ROOT = Path(settings.MEDIA_ROOT) / "private"
    errors = check_private_root()
    assert [e.id for e in errors] == ["sdg87.E120"] and errors[0].level == checks.ERROR
    settings.SDG87_PRIVATE_ROOT = tmp_path
    assert [e.id for e in check_private_root()] == ["sdg87.E120"]
