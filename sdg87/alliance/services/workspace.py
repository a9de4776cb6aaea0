"""The members-only workspaces of the Action Groups: documents, their versions, and the release
of a document to the public through the secretariat.

    private --propose (a member)--> proposed --release (secretariat)--> released (public)
       ^  ^                            |  |                                |
       |  +-----withdraw (a member)----+  +--decline, with a note--> returned
       +------------------------------ take back (secretariat) ----------+
    returned --propose--> proposed (after a new version, or as it is)

New versions and edits of the title, description or kind are accepted while a document is
`private` or `returned` only: a proposed or released document keeps the version that was
reviewed, so the public always gets the latest version, the one the secretariat released.

Files are checked exactly as the library checks a publication's files
(sdg87.library.services.files: streamed to a temporary file within
settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES, type sniffed from the content, office archives read
for macros), never executed, stored under a random name with the sniffed extension in the
private storage (sdg87.alliance.private_storage: outside MEDIA_ROOT, no URL). As there, the
file is received and sniffed outside any transaction, then recorded in one short transaction;
a refused file stores nothing, and a stored file whose recording fails is removed.

Each service checks the permission first (PermissionDenied), validates (`full_clean()`), saves,
writes an AllianceAuditEntry (subject type `workspace_document`) and queues mail, sent after
commit: a proposal to the secretariat, a decision to the person who proposed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import FileField, Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.alliance import permissions
from sdg87.alliance.models import (
    ActionGroup,
    AllianceAuditEntry,
    Release,
    WorkspaceDocument,
    WorkspaceKind,
    WorkspaceVersion,
)
from sdg87.alliance.services.audit import audit_write, plain_text, secretariat_emails
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.mail import mail_queue
from sdg87.library.services.files import (  # the library's upload checks, shared
    ACCEPTED_LABELS,
    FileRejected,
    max_upload_bytes,
    sniff,
)
from sdg87.library.services.files import _receive as receive

__all__ = [
    "ACCEPTED_LABELS",
    "WORKSPACE_DOCUMENT",
    "FileRejected",
    "document_create",
    "document_update",
    "max_upload_bytes",
    "release_decide",
    "release_propose",
    "release_take_back",
    "release_withdraw",
    "version_add",
]

WORKSPACE_DOCUMENT = "workspace_document"  # the audit entries' subject type
DESCRIPTION_LIMIT = 4000
NOTE_LIMIT = 500
FIELDS = frozenset({"title", "description", "kind"})


def document_lock(document: WorkspaceDocument) -> WorkspaceDocument:
    """The document re-read with a row lock (inside the caller's transaction)."""
    return (
        WorkspaceDocument.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=document.pk)
    )


def _audit(
    document: WorkspaceDocument, action: str, actor: Actor | None, before: str, message: str
) -> AllianceAuditEntry:
    return audit_write(
        subject_type=WORKSPACE_DOCUMENT,
        subject=document,
        country_id=None,
        action=action,
        actor=actor,
        from_status=before,
        to_status=document.release,
        message=message,
    )


def _document_url(document: WorkspaceDocument) -> str:
    try:
        return reverse(
            "alliance-workspace:document",
            kwargs={"slug": document.group.slug, "pk": document.pk},
        )
    except NoReverseMatch:
        return ""


def _notify(document: WorkspaceDocument, recipients: list[str], subject: str, body: str) -> None:
    url = _document_url(document)
    full_url = settings.SITE_URL.rstrip("/") + url if url else ""
    label = f"{document.group.name}: {document.title[:200]}"
    mail_queue(
        recipients=recipients,
        subject=subject,
        body=f"{body}\n\n{label}\n{full_url}\n",
        object_label=label,
        object_url=url,
    )


# --- fields --------------------------------------------------------------------------------


def _fields_apply(document: WorkspaceDocument, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name, required in (("title", True), ("description", False)):
        if name in data:
            try:
                setattr(document, name, plain_text(data[name], field=name, required=required))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "kind" in data:
        if data["kind"] not in WorkspaceKind.values:
            errors["kind"] = [_("Choose what kind of document this is.")]
        else:
            document.kind = data["kind"]
    if errors:
        raise ValidationError(errors)


def _note(value: str, *, field: str = "note", limit: int = NOTE_LIMIT) -> str:
    text = plain_text(value, field=field, required=False)
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)d characters (this text has %(count)d).")
                % {"limit": limit, "count": len(text)}
            }
        )
    return text


# --- files ---------------------------------------------------------------------------------


def _file_store(document: WorkspaceDocument, file: Any) -> tuple[str, dict[str, Any]]:
    """Receive, check and store the upload: (stored name, the version's file fields).
    FileRejected (nothing stored) when it is too big, empty or not an accepted type."""
    if file is None:
        raise FileRejected(_("Choose a file to upload."))
    name = Path(getattr(file, "name", "") or "upload").name[:255]
    field = WorkspaceVersion._meta.get_field("file")
    assert isinstance(field, FileField)
    with tempfile.TemporaryDirectory(prefix="sdg87-workspace-") as tmpdir:
        path, size, sha256 = receive(file, Path(tmpdir))
        kind = sniff(path)
        target = field.generate_filename(
            WorkspaceVersion(document=document, extension=kind.extension), name
        )
        with path.open("rb") as fh:
            stored = field.storage.save(target, File(fh, name=name), max_length=field.max_length)
    return stored, {
        "original_filename": name,
        "extension": kind.extension,
        "media_type": kind.media_type,
        "byte_size": size,
        "sha256": sha256,
    }


def _version_record(
    document: WorkspaceDocument, stored: str, meta: dict[str, Any], actor: Actor, note: str
) -> WorkspaceVersion:
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    version = WorkspaceVersion(
        document=document,
        number=last + 1,
        note=note,
        uploaded_by=signed_in_user(actor),
        **meta,
    )
    version.file.name = stored
    version.full_clean()
    version.save()
    return version


def _discard(stored: str) -> None:
    field = WorkspaceVersion._meta.get_field("file")
    assert isinstance(field, FileField)
    field.storage.delete(stored)


# --- documents and versions ----------------------------------------------------------------


def document_create(
    *,
    actor: Actor,
    group: ActionGroup,
    title: str,
    kind: str,
    file: Any,
    description: str = "",
    note: str = "",
) -> WorkspaceDocument:
    """An editor of a member organisation adds a document with its first version: members
    only until it is proposed and released."""
    if not permissions.can_create_workspace_document(actor, group):
        raise PermissionDenied(
            _("Only people with an edit role in a member organisation can add documents.")
        )
    document = WorkspaceDocument(group=group, created_by=signed_in_user(actor))
    _fields_apply(document, {"title": title, "description": description, "kind": kind})
    note = _note(note)
    document.full_clean()  # before the file is received: a bad title stores nothing
    stored, meta = _file_store(document, file)
    try:
        with transaction.atomic():
            if not permissions.can_create_workspace_document(actor, group):
                raise PermissionDenied(_("You can no longer add documents to this workspace."))
            document.save()
            version = _version_record(document, stored, meta, actor, note)
            _audit(document, "create", actor, "", f"v{version.number} {document.title[:200]}")
    except BaseException:
        _discard(stored)
        raise
    return document


def version_add(
    *, actor: Actor, document: WorkspaceDocument, file: Any, note: str = ""
) -> WorkspaceVersion:
    """A new version of a document that is members only (or whose release was declined)."""
    if not permissions.can_edit_workspace_document(actor, document):
        raise PermissionDenied(_("You cannot add a version to this document now."))
    note = _note(note)
    stored, meta = _file_store(document, file)
    try:
        with transaction.atomic():
            locked = document_lock(document)
            if not permissions.can_edit_workspace_document(actor, locked):
                raise PermissionDenied(_("You cannot add a version to this document now."))
            version = _version_record(locked, stored, meta, actor, note)
            locked.save(update_fields=["updated_at"])
            _audit(locked, "version", actor, locked.release, f"v{version.number} {note}".strip())
    except BaseException:
        _discard(stored)
        raise
    return version


@transaction.atomic
def document_update(
    *, actor: Actor, document: WorkspaceDocument, data: dict[str, Any]
) -> WorkspaceDocument:
    """Change the title, description or kind (`data` holds the fields to change: FIELDS)."""
    document = document_lock(document)
    if not permissions.can_edit_workspace_document(actor, document):
        raise PermissionDenied(_("You cannot edit this document now."))
    unknown = set(data) - FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    _fields_apply(document, data)
    document.full_clean()
    document.save()
    _audit(document, "edit", actor, document.release, ", ".join(sorted(data)))
    return document


# --- release to the public -----------------------------------------------------------------


@transaction.atomic
def release_propose(
    *, actor: Actor, document: WorkspaceDocument, note: str = ""
) -> WorkspaceDocument:
    """A member proposes the document (its latest version) for public release; the
    secretariat hears about it once the proposal commits."""
    document = document_lock(document)
    if not permissions.can_propose_release(actor, document):
        raise PermissionDenied(_("You cannot propose this document for release."))
    if not document.versions.exists():
        raise ValidationError(_("This document has no file to release."))
    before = document.release
    document.release = Release.PROPOSED
    document.release_note = _note(note, field="release_note", limit=DESCRIPTION_LIMIT)
    document.full_clean()
    document.save()
    _audit(document, "propose", actor, before, document.release_note)
    _notify(
        document,
        secretariat_emails(),
        _("Proposed for public release: %(title)s") % {"title": document.title[:120]},
        _(
            "A member of the Action Group %(group)s proposes a document of its workspace for "
            "public release. Release it or decline it with a note on its page."
        )
        % {"group": document.group.name},
    )
    return document


@transaction.atomic
def release_withdraw(*, actor: Actor, document: WorkspaceDocument) -> WorkspaceDocument:
    """A member takes a proposal back before the secretariat decides: members only again."""
    document = document_lock(document)
    if not permissions.can_withdraw_proposal(actor, document):
        raise PermissionDenied(_("You cannot withdraw this proposal."))
    before = document.release
    document.release = Release.PRIVATE
    document.full_clean()
    document.save()
    _audit(document, "withdraw", actor, before, "")
    return document


def _proposer_emails(document: WorkspaceDocument) -> list[str]:
    entry = (
        AllianceAuditEntry.objects.filter(
            subject_type=WORKSPACE_DOCUMENT, subject_id=document.pk, action="propose"
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    user = entry.actor if entry else None
    return [user.email] if user is not None and user.email and user.is_active else []


@transaction.atomic
def release_decide(
    *, actor: Actor, document: WorkspaceDocument, release: bool, note: str = ""
) -> WorkspaceDocument:
    """The secretariat releases a proposed document to the public (its latest version, on the
    group's hub) or declines, saying why (back to the members, who may change and propose it
    again)."""
    document = document_lock(document)
    if not permissions.can_decide_release(actor, document):
        raise PermissionDenied(_("Only the secretariat releases or declines proposed documents."))
    text = _note(note, field="release_note", limit=DESCRIPTION_LIMIT)
    if not release and not text:
        raise ValidationError(
            {"release_note": _("Say why the release is declined: the members will read it.")}
        )
    before = document.release
    if release:
        document.release, document.released_at = Release.RELEASED, timezone.now()
        if text:
            document.release_note = text
    else:
        document.release, document.release_note = Release.RETURNED, text
    document.full_clean()
    document.save()
    _audit(document, "release" if release else "decline", actor, before, text)
    subject = (
        _("Released to the public: %(title)s") if release else _("Release declined: %(title)s")
    ) % {"title": document.title[:120]}
    body = (
        _("The secretariat released the document to the public on the group's page.")
        if release
        else _("The secretariat declined the release: %(note)s") % {"note": text}
    )
    _notify(document, _proposer_emails(document), subject, body)
    return document


@transaction.atomic
def release_take_back(*, actor: Actor, document: WorkspaceDocument, note: str) -> WorkspaceDocument:
    """The secretariat takes a released document back to the members only, saying why."""
    document = document_lock(document)
    if not permissions.can_unrelease(actor, document):
        raise PermissionDenied(_("Only the secretariat takes a released document back."))
    text = _note(note, field="release_note", limit=DESCRIPTION_LIMIT)
    if not text:
        raise ValidationError({"release_note": _("Say why the document is no longer public.")})
    before = document.release
    document.release, document.release_note, document.released_at = Release.PRIVATE, text, None
    document.full_clean()
    document.save()
    _audit(document, "take_back", actor, before, text)
    return document
