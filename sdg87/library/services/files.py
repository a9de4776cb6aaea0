"""Files of a publication: PDF and office documents, size-limited, type-sniffed, never executed.

The type is decided from the content (the `filetype` package), never from the name or the
browser's Content-Type; the stored name and extension come from the sniffed type. Accepted:
PDF, DOCX, XLSX, PPTX (Office Open XML), ODT and ODS (OpenDocument). Legacy OLE files (DOC,
XLS, PPT) are refused: they cannot be told apart safely from their first bytes and carry
macros. An office archive is also read (its directory only, nothing is inflated): it must be
a sound ZIP archive holding the parts its type needs, without macros (`vbaProject.bin`,
OpenDocument `Basic/` or `Scripts/`).

Like a dataset's upload (sdg87.catalog.services.distributions), the file is streamed to a
temporary file within the limit (settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES) and sniffed outside
any transaction, then stored and recorded in one short transaction; a change of files puts a
record under review or published back to draft. A live record keeps serving the files of its
last published version (matched by sha256, `publication_files_published`) until the next
publication.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import FileField, Max
from django.utils.translation import gettext as _

from sdg87.catalog.models import AuditAction, Status
from sdg87.catalog.uploads import megabytes
from sdg87.core.actors import Actor
from sdg87.library import permissions
from sdg87.library.models import Publication, PublicationFile
from sdg87.library.services.audit import publication_audit_write
from sdg87.library.services.publications import REVIEWED_STATES, publication_lock

SNIFF_BYTES = 8192  # what filetype reads
MAX_ARCHIVE_MEMBERS = 20_000


@dataclass(frozen=True)
class FileType:
    extension: str
    media_type: str
    label: str
    needs: tuple[str, ...] = ()  # archive members the type must hold (a prefix each)


ACCEPTED: dict[str, FileType] = {
    t.media_type: t
    for t in (
        FileType("pdf", "application/pdf", "PDF"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
            ("[Content_Types].xml", "word/"),
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
            ("[Content_Types].xml", "xl/"),
        ),
        FileType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint (PPTX)",
            ("[Content_Types].xml", "ppt/"),
        ),
        FileType(
            "odt",
            "application/vnd.oasis.opendocument.text",
            "OpenDocument text (ODT)",
            ("mimetype", "content.xml"),
        ),
        FileType(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "OpenDocument spreadsheet (ODS)",
            ("mimetype", "content.xml"),
        ),
    )
}
ACCEPTED_LABELS = ", ".join(t.label for t in ACCEPTED.values())
_MACRO_PARTS = ("vbaproject.bin", "basic/", "scripts/")


class FileRejected(ValueError):
    """The upload was refused before anything was stored (size, type, unreadable)."""


def max_upload_bytes() -> int:
    return int(settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES)


def sniff(path: Path) -> FileType:
    """The accepted type of the file at `path`, from its content; FileRejected otherwise."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    kind = filetype.guess(head)
    accepted = ACCEPTED.get(kind.mime) if kind is not None else None
    if accepted is None:
        raise FileRejected(
            _("This file is not one of the accepted types (%(types)s).")
            % {"types": ACCEPTED_LABELS}
        )
    if accepted.needs:
        _check_archive(path, accepted)
    return accepted


def _check_archive(path: Path, kind: FileType) -> None:
    refused = FileRejected(
        _("This file looks like %(type)s but is not a sound document of that type.")
        % {"type": kind.label}
    )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refused from exc
    if len(names) > MAX_ARCHIVE_MEMBERS:
        raise refused
    if not all(any(n.startswith(need) for n in names) for need in kind.needs):
        raise refused
    lowered = [n.lower() for n in names]
    if any(n.endswith(_MACRO_PARTS[0]) or n.startswith(_MACRO_PARTS[1:]) for n in lowered):
        raise FileRejected(_("Documents with macros are not accepted. Save it without macros."))


def _receive(file: Any, directory: Path) -> tuple[Path, int, str]:
    """Stream the upload to a file in `directory` within the limit: (path, size, sha256)."""
    limit = max_upload_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise FileRejected(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": megabytes(size, round_up=True), "limit": megabytes(limit)}
        )
    path = directory / "upload.bin"
    digest = hashlib.sha256()
    total = 0
    with path.open("wb") as out:
        chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
        for chunk in chunks:
            total += len(chunk)
            if total > limit:
                raise FileRejected(
                    _("The file is larger than the limit of %(limit)s MB.")
                    % {"limit": megabytes(limit)}
                )
            digest.update(chunk)
            out.write(chunk)
    if total == 0:
        raise FileRejected(_("The file is empty."))
    return path, total, digest.hexdigest()


def _after_change(pub: Publication, actor: Actor, action: str, message: str) -> None:
    """Files changed: audit it and send a reviewed record back to draft."""
    before = pub.status
    if pub.status in REVIEWED_STATES:
        pub.status = Status.DRAFT
        pub.full_clean()
        pub.save(update_fields=["status", "last_modified"])
    publication_audit_write(
        publication=pub, action=action, actor=actor, from_status=before, message=message
    )


def publication_file_add(
    *,
    actor: Actor,
    publication: Publication,
    file: Any,
    title: str = "",
    language: str = "",
) -> PublicationFile:
    """Receive a file for `publication`: checked (size, sniffed type), stored under a
    generated name with the sniffed extension, recorded with its sha256. Not atomic as a
    whole, on purpose (the file is received outside any transaction); if recording fails the
    stored file is removed, and the temporary file always is."""
    if not permissions.can_upload(actor, publication):
        raise PermissionDenied(_("You cannot add files to this publication."))
    name = Path(getattr(file, "name", "") or "upload").name[:255]
    with tempfile.TemporaryDirectory(prefix="sdg87-library-") as tmpdir:
        path, size, sha256 = _receive(file, Path(tmpdir))
        kind = sniff(path)
        field = PublicationFile._meta.get_field("file")
        assert isinstance(field, FileField)
        target = field.generate_filename(
            PublicationFile(publication=publication, extension=kind.extension), name
        )
        with path.open("rb") as fh:
            stored = field.storage.save(target, File(fh, name=name), max_length=field.max_length)
    try:
        with transaction.atomic():
            pub = publication_lock(publication)
            if not permissions.can_upload(actor, pub):
                raise PermissionDenied(_("You cannot add files to this publication."))
            last = pub.files.aggregate(last=Max("position"))["last"]
            row = PublicationFile(
                publication=pub,
                title=title.strip() or Path(name).stem[:300],
                original_filename=name,
                extension=kind.extension,
                media_type=kind.media_type,
                byte_size=size,
                sha256=sha256,
                language=language,
                position=(last + 1) if last is not None else 0,
            )
            row.file.name = stored
            row.full_clean()
            row.save()
            _after_change(pub, actor, AuditAction.UPLOAD, row.title)
    except BaseException:
        field.storage.delete(stored)
        raise
    return row


@transaction.atomic
def publication_file_remove(*, actor: Actor, file: PublicationFile) -> None:
    """Remove a file. A file of the live version is removed by an editor of the publisher
    only; the stored file is deleted once the removal commits."""
    pub = publication_lock(file.publication)
    if not permissions.can_upload(actor, pub):
        raise PermissionDenied(_("You cannot remove files from this publication."))
    published = {f.pk for f in publication_files_published(pub)}
    if file.pk in published and not permissions.can_unpublish_publication(actor, pub):
        raise PermissionDenied(_("Only an editor can remove a published file."))
    name, storage, title = str(file.file.name), file.file.storage, str(file)
    file.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _after_change(pub, actor, AuditAction.DELETE, _("removed %(title)s") % {"title": title})


def publication_files_published(pub: Publication) -> list[PublicationFile]:
    """The files of the live version: those whose sha256 its last version records (none
    while the record is not live). Files added since wait for the next publication."""
    if not pub.live:
        return []
    version = pub.versions.order_by("-number").first()
    if version is None:
        return []
    hashes = {f.get("sha256") for f in version.metadata.get("files", [])}
    return [f for f in pub.files.all() if f.sha256 in hashes]
