"""Who may see and change a publication. Every view, admin page and service asks these.

The matrix of the catalog's datasets (sdg87.catalog.permissions), for publications. Roles come
from sdg87.orgs Membership in the publication's `publisher` organisation (read through
sdg87.orgs.roles; EDIT_ROLES are admin, editor and contributor, REVIEW_ROLES admin and editor).
A record without a publisher organisation (some bundled ones) is maintained by superusers.

| action                                    | superuser | admin/editor | contributor | others |
|-------------------------------------------|:---------:|:------------:|:-----------:|:------:|
| see what is public (1)                    | yes       | yes          | yes         | yes    |
| see live organisation-only records        | yes       | yes          | yes         | members|
| see drafts, scheduled, unverified         | yes       | yes          | yes         | no     |
| files of a public record, not embargoed   | yes       | yes          | yes         | yes    |
| files of drafts and embargoed records     | yes       | yes          | yes         | no     |
| create, upload, submit                    | yes       | yes          | yes         | no     |
| edit metadata of a live record            | yes       | yes          | no          | no     |
| mark verified / unverified                | yes       | yes          | no          | no     |
| request changes, approve                  | yes       | yes          | no          | no     |
| publish, unpublish                        | yes       | yes          | no          | no     |

(1) the one rule of selectors.publication_public_queryset. "others" are plain members of the
publisher, other users and anonymous visitors; plain members also see the publisher's live
organisation-only records (selectors.publication_live_queryset), as with datasets.

State still applies: only `submitted` can be approved or sent back, only `approved` published,
only a live record unpublished. An unverified record (`verified=False`) is never approved or
published: the review workflow refuses it with its own message (services/review.py), so that
the reviewer learns why.
"""

from __future__ import annotations

from datetime import datetime

from sdg87.catalog.models import Status
from sdg87.core.actors import Actor
from sdg87.library.models import Publication
from sdg87.library.selectors import (
    publication_files_open,
    publication_live_queryset,
    publication_public_queryset,
)
from sdg87.orgs.models import Role
from sdg87.orgs.roles import EDIT_ROLES, REVIEW_ROLES, is_superuser, role_in

EDITABLE_STATES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


def _role(user: Actor | None, pub: Publication) -> str | None:
    return role_in(user, pub.publisher_id) if pub.publisher_id is not None else None


def is_writer(user: Actor | None, pub: Publication) -> bool:
    """A superuser or one of the publisher's admins, editors and contributors: sees the
    working copy (drafts, files awaiting publication, the audit trail)."""
    return is_superuser(user) or _role(user, pub) in EDIT_ROLES


def is_reviewer(user: Actor | None, pub: Publication) -> bool:
    return is_superuser(user) or _role(user, pub) in REVIEW_ROLES


def can_view_publication(user: Actor | None, pub: Publication, now: datetime | None = None) -> bool:
    """May the user see the publication's page and metadata?"""
    if is_writer(user, pub):
        return True
    if _role(user, pub) == Role.MEMBER:
        return publication_live_queryset(now=now).filter(pk=pub.pk).exists()
    return publication_public_queryset(now=now).filter(pk=pub.pk).exists()


def can_view_files(user: Actor | None, pub: Publication, now: datetime | None = None) -> bool:
    """May the user download the files (the published ones, for visitors)?"""
    if is_writer(user, pub):
        return True
    return can_view_publication(user, pub, now) and publication_files_open(pub, now)


def can_create_publication(user: Actor | None, organisation_id: int) -> bool:
    return is_superuser(user) or role_in(user, organisation_id) in EDIT_ROLES


def can_edit_publication(user: Actor | None, pub: Publication) -> bool:
    """May the user change the metadata and the creators?"""
    if is_reviewer(user, pub):
        return True
    return is_writer(user, pub) and not pub.live and pub.status in EDITABLE_STATES


def can_verify_publication(user: Actor | None, pub: Publication) -> bool:
    """May the user mark the record verified (its facts checked against a source)?"""
    return is_reviewer(user, pub)


def can_upload(user: Actor | None, pub: Publication) -> bool:
    """May the user add or remove files? On a live record new files wait for publication."""
    if is_reviewer(user, pub):
        return True
    return is_writer(user, pub) and (
        pub.status in EDITABLE_STATES or pub.status == Status.PUBLISHED
    )


def can_submit_publication(user: Actor | None, pub: Publication) -> bool:
    return pub.status in EDITABLE_STATES and is_writer(user, pub)


def can_review_publication(user: Actor | None, pub: Publication) -> bool:
    """May the user approve the publication or send it back with requested changes?"""
    return pub.status == Status.SUBMITTED and is_reviewer(user, pub)


def can_publish_publication(user: Actor | None, pub: Publication) -> bool:
    return pub.status == Status.APPROVED and is_reviewer(user, pub)


def can_unpublish_publication(user: Actor | None, pub: Publication) -> bool:
    return pub.live and is_reviewer(user, pub)
