"""The publications' permission matrix (sdg87.library.permissions), cell by cell."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sdg87.catalog.models import Status, Visibility
from sdg87.library import permissions
from sdg87.library.models import Publication
from sdg87.library.tests.review_fixtures import *  # noqa: F403

WHO = ("superuser", "admin", "editor", "contributor", "member", "other", "anonymous")


def _allowed(check: Any, users: dict[str, Any], pub: Publication) -> set[str]:
    return {who for who in WHO if check(users[who], pub)}


WRITERS = {"superuser", "admin", "editor", "contributor"}
REVIEWERS = {"superuser", "admin", "editor"}


def _set(pub: Publication, **fields: Any) -> Publication:
    Publication.objects.filter(pk=pub.pk).update(**fields)
    pub.refresh_from_db()
    return pub


def test_draft(draft: Publication, rev_users: dict[str, Any]) -> None:
    assert _allowed(permissions.can_view_publication, rev_users, draft) == WRITERS
    assert _allowed(permissions.can_view_files, rev_users, draft) == WRITERS
    assert _allowed(permissions.can_edit_publication, rev_users, draft) == WRITERS
    assert _allowed(permissions.can_upload, rev_users, draft) == WRITERS
    assert _allowed(permissions.can_submit_publication, rev_users, draft) == WRITERS
    assert _allowed(permissions.can_review_publication, rev_users, draft) == set()
    assert _allowed(permissions.can_publish_publication, rev_users, draft) == set()
    assert _allowed(permissions.can_unpublish_publication, rev_users, draft) == set()
    assert _allowed(permissions.can_verify_publication, rev_users, draft) == REVIEWERS


def test_submitted_and_approved(draft: Publication, rev_users: dict[str, Any]) -> None:
    pub = _set(draft, status=Status.SUBMITTED)
    assert _allowed(permissions.can_review_publication, rev_users, pub) == REVIEWERS
    assert _allowed(permissions.can_edit_publication, rev_users, pub) == REVIEWERS
    assert _allowed(permissions.can_submit_publication, rev_users, pub) == set()
    pub = _set(draft, status=Status.APPROVED)
    assert _allowed(permissions.can_publish_publication, rev_users, pub) == REVIEWERS
    assert _allowed(permissions.can_review_publication, rev_users, pub) == set()


def test_live_public_record(draft: Publication, rev_users: dict[str, Any]) -> None:
    pub = _set(draft, status=Status.PUBLISHED, live=True)
    everybody = set(WHO)
    assert _allowed(permissions.can_view_publication, rev_users, pub) == everybody
    assert _allowed(permissions.can_view_files, rev_users, pub) == everybody
    assert _allowed(permissions.can_edit_publication, rev_users, pub) == REVIEWERS
    assert _allowed(permissions.can_upload, rev_users, pub) == WRITERS
    assert _allowed(permissions.can_unpublish_publication, rev_users, pub) == REVIEWERS


def test_embargoed_files_and_scheduled_records(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    later = timezone.now() + timedelta(days=2)
    pub = _set(draft, status=Status.PUBLISHED, live=True, embargo_until=later)
    assert _allowed(permissions.can_view_publication, rev_users, pub) == set(WHO)
    assert _allowed(permissions.can_view_files, rev_users, pub) == WRITERS
    pub = _set(draft, embargo_until=None, publish_at=later)
    assert _allowed(permissions.can_view_publication, rev_users, pub) == WRITERS


@pytest.mark.parametrize(
    ("fields", "seen_by"),
    [
        ({"visibility": Visibility.ORGANISATION}, WRITERS | {"member"}),
        ({"verified": False}, WRITERS),
    ],
    ids=["organisation-only", "unverified"],
)
def test_live_but_not_public(
    draft: Publication, rev_users: dict[str, Any], fields: dict[str, Any], seen_by: set[str]
) -> None:
    """What publication_public_queryset hides stays hidden from other users and visitors; the
    publisher's plain members see its live organisation-only records, never unverified ones."""
    pub = _set(draft, status=Status.PUBLISHED, live=True, **fields)
    assert _allowed(permissions.can_view_publication, rev_users, pub) == seen_by
    assert _allowed(permissions.can_view_files, rev_users, pub) == seen_by


def test_record_without_a_publisher_organisation(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    pub = _set(draft, publisher=None)
    assert _allowed(permissions.can_edit_publication, rev_users, pub) == {"superuser"}
    assert _allowed(permissions.can_submit_publication, rev_users, pub) == {"superuser"}
