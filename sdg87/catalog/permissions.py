"""Who may see and change a dataset. Every view, API endpoint and service asks these.

Roles come from sdg87.orgs Membership in the dataset's publisher organisation (read through
sdg87.orgs.roles, cached per request; EDIT_ROLES are admin, editor and contributor,
REVIEW_ROLES admin and editor):

| action                         | superuser | admin | editor | contributor | member | other/anon |
|--------------------------------|:---------:|:-----:|:------:|:-----------:|:------:|:----------:|
| see live public/metadata_only  | yes       | yes   | yes    | yes         | yes    | yes        |
| see live organisation-only     | yes       | yes   | yes    | yes         | yes    | no         |
| see drafts / scheduled         | yes       | yes   | yes    | yes         | no     | no         |
| see a quarantined dataset      | yes       | yes   | yes    | yes         | no     | no         |
| flag sensitive (quarantine)    | yes       | yes   | yes    | yes         | no     | no         |
| release from quarantine        | yes       | yes   | yes    | no          | no     | no         |
| grant the unprotected file     | yes       | yes   | yes    | no          | no     | no         |
| data of metadata_only/embargo  | yes       | yes   | yes    | yes         | yes    | no         |
| create, upload, submit         | yes       | yes   | yes    | yes         | no     | no         |
| edit metadata of a live dataset| yes       | yes   | yes    | no          | no     | no         |
| request changes, approve       | yes       | yes   | yes    | no          | no     | no         |
| publish, unpublish             | yes       | yes   | yes    | no          | no     | no         |
| retract/restore statistics     | yes       | yes   | yes    | no          | no     | no         |
| see imported statistics        | only while the data is public to anonymous visitors (all)   |

A quarantined dataset (flagged sensitive, ADR 0014) is invisible, metadata and data, to everybody
but the superuser and the publisher's admins, editors and contributors, whatever its state and
visibility, until a disclosure review releases it (sdg87.disclosure).
State still applies: only `submitted` can be approved or sent back, only `approved` published.
`user` is `request.user` (sdg87.core.actors.Actor); None is an anonymous caller.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from sdg87.catalog.models import Dataset, Status, Visibility
from sdg87.core.actors import Actor
from sdg87.orgs.models import Role
from sdg87.orgs.roles import EDIT_ROLES, REVIEW_ROLES, is_superuser, role_in

EDITABLE_STATES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


def is_publicly_live(dataset: Dataset, now: datetime | None = None) -> bool:
    """Published, not withdrawn, and past its scheduled publication time."""
    now = now or timezone.now()
    return dataset.live and (dataset.publish_at is None or dataset.publish_at <= now)


def is_embargoed(dataset: Dataset, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return dataset.embargo_until is not None and dataset.embargo_until > now


def can_view_dataset(user: Actor | None, dataset: Dataset, now: datetime | None = None) -> bool:
    """May the user see the dataset's page and metadata?"""
    if is_superuser(user):
        return True
    role = role_in(user, dataset.publisher_id)
    if role in EDIT_ROLES:
        return True
    if dataset.quarantined:
        return False
    if role == Role.MEMBER:
        return is_publicly_live(dataset, now)
    return is_publicly_live(dataset, now) and dataset.visibility != Visibility.ORGANISATION


def can_view_data(user: Actor | None, dataset: Dataset, now: datetime | None = None) -> bool:
    """May the user download files and see the preview (not just the metadata)?"""
    if not can_view_dataset(user, dataset, now):
        return False
    if is_superuser(user) or role_in(user, dataset.publisher_id) is not None:
        return True
    return dataset.visibility == Visibility.PUBLIC and not is_embargoed(dataset, now)


def can_create_dataset(user: Actor | None, organisation_id: int) -> bool:
    return is_superuser(user) or role_in(user, organisation_id) in EDIT_ROLES


def can_edit_dataset(user: Actor | None, dataset: Dataset) -> bool:
    """May the user change the metadata?"""
    if is_superuser(user):
        return True
    role = role_in(user, dataset.publisher_id)
    if role in REVIEW_ROLES:
        return True
    return role == Role.CONTRIBUTOR and not dataset.live and dataset.status in EDITABLE_STATES


def can_upload(user: Actor | None, dataset: Dataset) -> bool:
    """May the user add or replace files? On a live dataset new files wait for publication."""
    if is_superuser(user):
        return True
    role = role_in(user, dataset.publisher_id)
    if role in REVIEW_ROLES:
        return True
    return role == Role.CONTRIBUTOR and (
        dataset.status in EDITABLE_STATES or dataset.status == Status.PUBLISHED
    )


def can_submit_dataset(user: Actor | None, dataset: Dataset) -> bool:
    if dataset.status not in EDITABLE_STATES:
        return False
    return is_superuser(user) or role_in(user, dataset.publisher_id) in EDIT_ROLES


def can_review_dataset(user: Actor | None, dataset: Dataset) -> bool:
    """May the user approve the dataset or send it back with requested changes?"""
    if dataset.status != Status.SUBMITTED:
        return False
    return is_superuser(user) or role_in(user, dataset.publisher_id) in REVIEW_ROLES


def can_publish_dataset(user: Actor | None, dataset: Dataset) -> bool:
    if dataset.status != Status.APPROVED:
        return False
    return is_superuser(user) or role_in(user, dataset.publisher_id) in REVIEW_ROLES


def can_unpublish_dataset(user: Actor | None, dataset: Dataset) -> bool:
    if not dataset.live:
        return False
    return is_superuser(user) or role_in(user, dataset.publisher_id) in REVIEW_ROLES


def can_see_unpublished_distributions(user: Actor | None, dataset: Dataset) -> bool:
    return is_superuser(user) or role_in(user, dataset.publisher_id) in EDIT_ROLES


def can_retract_statistics(user: Actor | None, dataset: Dataset) -> bool:
    """May the user withdraw (or restore) the statistics imported from a file?"""
    return is_superuser(user) or role_in(user, dataset.publisher_id) in REVIEW_ROLES


def can_flag_sensitive(user: Actor | None, dataset: Dataset) -> bool:
    """May the user put the dataset in quarantine? Anybody who may add files (it only ever
    hides more)."""
    return is_superuser(user) or role_in(user, dataset.publisher_id) in EDIT_ROLES


def can_release_sensitive(user: Actor | None, dataset: Dataset) -> bool:
    """May the user run the disclosure review of a quarantined dataset and release it?"""
    if not dataset.quarantined:
        return False
    return is_superuser(user) or role_in(user, dataset.publisher_id) in REVIEW_ROLES


def can_grant_access(user: Actor | None, dataset: Dataset) -> bool:
    """May the user grant a request for the unprotected file of a sensitive dataset?"""
    return is_superuser(user) or role_in(user, dataset.publisher_id) in REVIEW_ROLES
