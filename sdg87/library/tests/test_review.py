"""The review workflow of publications: the catalog's machine (sdg87.core.review) with the
library's table, permissions, audit entries, versions and mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sdg87.catalog.models import Status
from sdg87.core import review as core_review
from sdg87.core.models import OutboundMail
from sdg87.library.models import Publication, PublicationAuditEntry, PublicationVersion
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.services import files, publications
from sdg87.library.services.review import (
    TRANSITIONS,
    WORKFLOW,
    publication_approve,
    publication_publish,
    publication_request_changes,
    publication_submit,
    publication_unpublish,
)
from sdg87.library.tests.review_fixtures import *  # noqa: F403
from sdg87.library.tests.review_fixtures import PDF, upload

SUPERUSER = User(pk=1, username="t_rev_root", is_superuser=True)  # unsaved: no query needed


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("live", [False, True])
def test_table_and_permissions_agree_on_the_source_states(
    name: str, status: str, live: bool
) -> None:
    transition = TRANSITIONS[name]
    pub = Publication(status=status, live=live, publisher_id=1)
    assert transition.allowed(SUPERUSER, pub) == WORKFLOW.starts_from(transition, pub)


def test_the_library_runs_the_catalogs_machine() -> None:
    """Reused, not copied: both tables are run by sdg87.core.review."""
    from sdg87.catalog.services import review as catalog_review

    assert isinstance(WORKFLOW, core_review.Workflow)
    assert isinstance(catalog_review.WORKFLOW, core_review.Workflow)
    assert {type(t) for t in TRANSITIONS.values()} == {core_review.Transition}
    assert [n for n, t in TRANSITIONS.items() if t.target == Status.PUBLISHED] == ["publish"]


def _mails(subject_start: str) -> list[str]:
    return sorted(
        OutboundMail.objects.filter(subject__startswith=subject_start).values_list(
            "recipient", flat=True
        )
    )


@pytest.mark.urls("sdg87.library.tests.contribute_test_urls")
def test_contributor_submits_editor_approves_and_publishes(
    draft: Publication, rev_users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The whole path: a contributor's report with a PDF, submitted, approved and published by
    an editor of the same organisation, then public, versioned, audited and announced."""
    contributor, editor = rev_users["contributor"], rev_users["editor"]
    pdf = files.publication_file_add(
        actor=contributor, publication=draft, file=upload(PDF), title="Full report"
    )
    assert (pdf.extension, pdf.media_type, pdf.byte_size) == ("pdf", "application/pdf", len(PDF))
    assert not publication_public_queryset().filter(pk=draft.pk).exists()

    publication_submit(actor=contributor, publication=draft, message="Please review")
    assert _mails("Publication submitted for review") == [
        "t_rev_admin@example.org",
        "t_rev_editor@example.org",
    ]
    approved = publication_approve(actor=editor, publication=draft)
    assert approved.status == Status.APPROVED
    assert _mails("Publication approved") == ["t_rev_contributor@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        version = publication_publish(actor=editor, publication=draft, note="first edition")

    draft.refresh_from_db()
    assert (draft.status, draft.live, version.number) == (Status.PUBLISHED, True, 1)
    assert list(publication_public_queryset().filter(pk=draft.pk)) == [draft]
    assert version.metadata["title"] == "T-Rev What works against child labour in cocoa"
    assert version.metadata["creators"] == [
        {"family": "Okafor", "given": "Ada", "name": "", "orcid": "0000-0002-1825-0097"},
        {"family": "", "given": "", "name": "T-Rev Research NGO", "orcid": ""},
    ]
    assert version.metadata["files"] == [
        {
            "title": "Full report",
            "media_type": "application/pdf",
            "byte_size": len(PDF),
            "sha256": pdf.sha256,
        }
    ]
    assert version.author == editor
    assert files.publication_files_published(draft) == [pdf]
    actions = list(
        PublicationAuditEntry.objects.filter(publication=draft)
        .order_by("id")
        .values_list("action", "from_status", "to_status", "actor__username")
    )
    assert actions == [
        ("create", "", "draft", "t_rev_contributor"),
        ("upload", "draft", "draft", "t_rev_contributor"),
        ("submit", "draft", "submitted", "t_rev_contributor"),
        ("approve", "submitted", "approved", "t_rev_editor"),
        ("publish", "approved", "published", "t_rev_editor"),
    ]
    assert _mails("Publication published") == [
        "t_rev_admin@example.org",
        "t_rev_contributor@example.org",
        "t_rev_editor@example.org",
    ]
    # queued with the change, sent by the task worker once the change commits
    sent = OutboundMail.objects.filter(subject__startswith="Publication published")
    assert set(sent.values_list("status", flat=True)) == {OutboundMail.Status.SENT}
    assert "/contribute/publications/t-rev-cocoa/" in sent[0].body


def test_every_publication_writes_one_version(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    editor = rev_users["editor"]
    for number in (1, 2):
        publication_submit(actor=editor, publication=draft)
        publication_approve(actor=editor, publication=draft)
        publication_publish(actor=editor, publication=draft)
        assert PublicationVersion.objects.filter(publication=draft).count() == number
        publications.publication_update(
            actor=editor, publication=draft, data={"title": f"T-Rev edition {number + 1}"}
        )
        draft.refresh_from_db()
        # the edit sent the working copy back to draft; the record stays live
        assert (draft.status, draft.live) == (Status.DRAFT, True)
    titles = list(draft.versions.order_by("number").values_list("metadata__title", flat=True))
    assert titles == ["T-Rev What works against child labour in cocoa", "T-Rev edition 2"]
    with pytest.raises(ValueError, match="immutable"):
        draft.versions.first().save()  # type: ignore[union-attr]


def test_unverified_record_is_never_approved_or_published(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    editor = rev_users["editor"]
    Publication.objects.filter(pk=draft.pk).update(verified=False)
    publication_submit(actor=rev_users["contributor"], publication=draft)
    with pytest.raises(ValidationError, match="This record is unverified"):
        publication_approve(actor=editor, publication=draft)
    # even if it reached `approved` some other way
    Publication.objects.filter(pk=draft.pk).update(status=Status.APPROVED)
    with pytest.raises(ValidationError, match="This record is unverified"):
        publication_publish(actor=editor, publication=draft)
    draft.refresh_from_db()
    assert (draft.status, draft.live, draft.versions.count()) == (Status.APPROVED, False, 0)
    assert not publication_public_queryset().filter(pk=draft.pk).exists()


def test_contributor_cannot_mark_verified_but_editor_can(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    Publication.objects.filter(pk=draft.pk).update(verified=False)
    with pytest.raises(PermissionDenied):
        publications.publication_update(
            actor=rev_users["contributor"], publication=draft, data={"verified": True}
        )
    pub = publications.publication_update(
        actor=rev_users["editor"], publication=draft, data={"verified": True}
    )
    assert pub.verified is True


@pytest.mark.parametrize("who", ["other", "member", "anonymous", "contributor"])
def test_only_the_publishers_reviewers_review(
    draft: Publication, rev_users: dict[str, Any], who: str
) -> None:
    publication_submit(actor=rev_users["contributor"], publication=draft)
    with pytest.raises(PermissionDenied, match="You cannot review this publication"):
        publication_approve(actor=rev_users[who], publication=draft)
    with pytest.raises(PermissionDenied):
        publication_request_changes(actor=rev_users[who], publication=draft, message="no")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["other", "member", "anonymous"])
def test_outsiders_cannot_submit(draft: Publication, rev_users: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        publication_submit(actor=rev_users[who], publication=draft)


def test_request_changes_needs_a_message_and_reaches_the_authors(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    editor = rev_users["editor"]
    publication_submit(actor=rev_users["contributor"], publication=draft)
    with pytest.raises(ValidationError, match="Say what needs to change"):
        publication_request_changes(actor=editor, publication=draft, message="  ")
    pub = publication_request_changes(actor=editor, publication=draft, message="Add the DOI")
    assert pub.status == Status.CHANGES_REQUESTED
    mail = OutboundMail.objects.get(subject__startswith="Changes requested: T-Rev")
    assert mail.recipient == "t_rev_contributor@example.org"
    assert mail.body.startswith("Add the DOI\n")
    # the contributor may edit and submit again
    publications.publication_update(
        actor=rev_users["contributor"], publication=pub, data={"doi": "10.1234/t-rev.1"}
    )
    assert publication_submit(actor=rev_users["contributor"], publication=pub).status == (
        Status.SUBMITTED
    )


def test_scheduled_and_embargoed_publication(draft: Publication, rev_users: dict[str, Any]) -> None:
    editor = rev_users["editor"]
    later = timezone.now() + timedelta(days=3)
    publication_submit(actor=editor, publication=draft)
    publication_approve(actor=editor, publication=draft)
    publication_publish(actor=editor, publication=draft, publish_at=later, embargo_until=later)
    draft.refresh_from_db()
    assert (draft.live, draft.publish_at, draft.embargo_until) == (True, later, later)
    assert not publication_public_queryset().filter(pk=draft.pk).exists()
    assert (
        publication_public_queryset(now=later + timedelta(seconds=1)).filter(pk=draft.pk).exists()
    )


def test_unpublish_withdraws_and_keeps_versions(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    editor = rev_users["editor"]
    publication_submit(actor=editor, publication=draft)
    publication_approve(actor=editor, publication=draft)
    publication_publish(actor=editor, publication=draft)
    with pytest.raises(PermissionDenied):
        publication_unpublish(actor=rev_users["contributor"], publication=draft)
    pub = publication_unpublish(actor=editor, publication=draft, message="withdrawn")
    assert (pub.live, pub.status, pub.versions.count()) == (False, Status.DRAFT, 1)
    assert not publication_public_queryset().filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied):
        publication_unpublish(actor=editor, publication=draft)  # not live any more
