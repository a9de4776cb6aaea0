"""Files of publications: sniffed from their content, size-limited, stored under a generated
name with the sniffed extension, and on a live record held back until the next publication."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sdg87.catalog.models import Status
from sdg87.library.models import Publication, PublicationAuditEntry, PublicationFile
from sdg87.library.services import files
from sdg87.library.services.review import (
    publication_approve,
    publication_publish,
    publication_submit,
)
from sdg87.library.tests.review_fixtures import *  # noqa: F403
from sdg87.library.tests.review_fixtures import EXE, HTML, PDF, docx_bytes, upload


def test_pdf_is_stored_under_a_generated_name_with_its_checksum(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    row = files.publication_file_add(
        actor=rev_users["contributor"],
        publication=draft,
        file=upload(PDF, name="../../evil name.exe.pdf"),
    )
    assert row.sha256 == hashlib.sha256(PDF).hexdigest()
    assert row.original_filename == "evil name.exe.pdf"
    stored = str(row.file.name)
    assert stored.startswith("library/t-rev-cocoa/")
    assert stored.endswith(".pdf") and "evil" not in stored
    with row.file.open("rb") as fh:
        assert fh.read() == PDF


def test_docx_is_sniffed_from_its_content_whatever_its_name(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    row = files.publication_file_add(
        actor=rev_users["contributor"],
        publication=draft,
        file=upload(docx_bytes(), name="notes.pdf", content_type="application/pdf"),
    )
    assert (row.extension, row.media_type) == (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert str(row.file.name).endswith(".docx")


@pytest.mark.parametrize(
    ("content", "name"),
    [(EXE, "report.pdf"), (HTML, "report.pdf"), (HTML, "page.html"), (b"%PD", "x.pdf")],
)
def test_executables_html_and_unknown_content_are_refused(
    draft: Publication, rev_users: dict[str, Any], content: bytes, name: str
) -> None:
    with pytest.raises(files.FileRejected, match="not one of the accepted types"):
        files.publication_file_add(
            actor=rev_users["contributor"], publication=draft, file=upload(content, name=name)
        )
    assert not PublicationFile.objects.filter(publication=draft).exists()


def test_office_document_with_macros_is_refused(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    with pytest.raises(files.FileRejected, match="Documents with macros are not accepted"):
        files.publication_file_add(
            actor=rev_users["contributor"],
            publication=draft,
            file=upload(docx_bytes(macro=True), name="report.docx"),
        )


def test_oversize_file_is_refused_with_the_limit_in_mb(
    draft: Publication, rev_users: dict[str, Any], settings: Any
) -> None:
    settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MB
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(files.FileRejected) as caught:
        files.publication_file_add(
            actor=rev_users["contributor"], publication=draft, file=upload(big)
        )
    assert str(caught.value) == "The file is 1.1 MB; the limit is 1 MB."
    # a stream without a declared size is cut off at the limit too
    stream = upload(big)
    stream.size = None
    with pytest.raises(files.FileRejected, match="larger than the limit of 1 MB"):
        files.publication_file_add(actor=rev_users["contributor"], publication=draft, file=stream)


def test_empty_file_is_refused(draft: Publication, rev_users: dict[str, Any]) -> None:
    with pytest.raises(files.FileRejected, match="The file is empty"):
        files.publication_file_add(
            actor=rev_users["contributor"], publication=draft, file=upload(b"")
        )


@pytest.mark.parametrize("who", ["member", "other", "anonymous"])
def test_outsiders_cannot_add_files(
    draft: Publication, rev_users: dict[str, Any], who: str
) -> None:
    with pytest.raises(PermissionDenied):
        files.publication_file_add(actor=rev_users[who], publication=draft, file=upload(PDF))


def test_new_file_on_a_live_record_waits_for_the_next_publication(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    contributor, editor = rev_users["contributor"], rev_users["editor"]
    first = files.publication_file_add(actor=contributor, publication=draft, file=upload(PDF))
    publication_submit(actor=contributor, publication=draft)
    publication_approve(actor=editor, publication=draft)
    publication_publish(actor=editor, publication=draft)
    draft.refresh_from_db()
    second = files.publication_file_add(
        actor=contributor, publication=draft, file=upload(docx_bytes(), name="annex.docx")
    )
    draft.refresh_from_db()
    assert (draft.status, draft.live) == (Status.DRAFT, True)
    assert files.publication_files_published(draft) == [first]
    # a contributor cannot remove the published file; an editor can
    with pytest.raises(PermissionDenied, match="Only an editor can remove a published file"):
        files.publication_file_remove(actor=contributor, file=first)
    files.publication_file_remove(actor=contributor, file=second)
    files.publication_file_remove(actor=editor, file=first)
    assert not draft.files.exists()
    messages = list(
        PublicationAuditEntry.objects.filter(publication=draft, action="delete")
        .order_by("id")
        .values_list("message", flat=True)
    )
    assert messages == ["removed annex", "removed report"]
