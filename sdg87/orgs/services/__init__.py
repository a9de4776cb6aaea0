"""Writes for organisations and memberships. Every membership change is audited
(MembershipAuditEntry): who changed whose role, where, from what to what, and when.

Organisations are written by the bundled list's loader (`organisation_upsert`) and by site
admins in the Wagtail admin (`organisation_create`, `organisation_update`). Descriptions are
sanitised here, and every change bumps the data version on commit: organisation names appear in
cached API answers and pages.

Account pages have their own modules: `account_requests` (publisher account requests and
their approval) and `passwords` (password reset and set-password mail).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction

from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.cache import data_version_bump
from sdg87.core.editor_owned import editor_update, unedited
from sdg87.core.html import sanitise_html
from sdg87.geo.models import Geography
from sdg87.orgs.models import (
    Membership,
    MembershipAction,
    MembershipAuditEntry,
    Organisation,
    Role,
)
from sdg87.orgs.roles import user_roles_forget


def _organisation_save(organisation: Organisation) -> Organisation:
    organisation.description = sanitise_html(organisation.description)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_upsert(
    *,
    slug: str,
    name: str,
    type: str,
    acronym: str = "",
    country: Geography | None = None,
    website: str = "",
    description: str = "",
    alliance87_role: str = "",
    alliance87_role_evidence: str = "",
    source_url: str = "",
) -> Organisation:
    """Create or update the organisation with this slug (the bundled list's loader); the
    description is sanitised. A field a site admin corrected (`edited_fields`) keeps the
    admin's value. The logo is never touched. The loader bumps the data version once per
    load step."""
    values: dict[str, object] = {
        "name": name,
        "type": type,
        "acronym": acronym,
        "country": country,
        "website": website,
        "description": description,
        "alliance87_role": alliance87_role,
        "alliance87_role_evidence": alliance87_role_evidence,
        "source_url": source_url,
    }
    organisation = Organisation.objects.filter(slug=slug).first() or Organisation(slug=slug)
    for field, value in unedited(Organisation, {"slug": slug}, values).items():
        setattr(organisation, field, value)
    return _organisation_save(organisation)


def _refuse_unknown(values: Mapping[str, object]) -> None:
    refused = set(values) - set(Organisation.EDITOR_FIELDS)
    if refused:
        raise ValueError(f"organisation fields not editable: {', '.join(sorted(refused))}")


@transaction.atomic
def organisation_create(*, slug: str, values: Mapping[str, object]) -> Organisation:
    """A new organisation `slug` with `values` (names in Organisation.EDITOR_FIELDS), added
    by a site admin; ValidationError if the slug is taken or a value is invalid."""
    _refuse_unknown(values)
    organisation = Organisation(slug=slug)
    for name, value in values.items():
        setattr(organisation, name, value)
    _organisation_save(organisation)
    data_version_bump()
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, changes: Mapping[str, object]
) -> Organisation:
    """A site admin's correction of an organisation (names in Organisation.EDITOR_FIELDS; any other
    is refused with ValueError). The stored row is re-read and locked, the description
    sanitised and the row validated; the changed fields are remembered so that a later load of
    the bundled list keeps them, and if anything changed the data version is bumped on commit
    so that cached API answers and pages showing the organisation change at once."""
    changes = dict(changes)
    if "description" in changes:
        changes["description"] = sanitise_html(str(changes["description"]))
    return editor_update(Organisation, organisation.pk, changes)[0]


def _audit(
    *,
    membership: Membership,
    actor: Actor | None,
    action: str,
    from_role: str = "",
    to_role: str = "",
) -> MembershipAuditEntry:
    entry = MembershipAuditEntry(
        organisation=membership.organisation,
        organisation_slug=membership.organisation.slug,
        user=membership.user,
        username=membership.user.get_username(),
        actor=signed_in_user(actor),
        action=action,
        from_role=from_role,
        to_role=to_role,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def membership_set(
    *, user: User, organisation: Organisation, role: str, actor: Actor | None = None
) -> Membership:
    """Give the user `role` in the organisation (one membership per user and organisation).

    Every change of role is audited with `actor` (None: the system, e.g. data loading or the
    command line); setting the role a user already holds changes nothing and writes nothing.
    The admin's membership views call this too (sdg87.orgs.wagtail_hooks).
    """
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership = (
        Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    )
    from_role = membership.role if membership is not None else ""
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
    elif from_role == role:
        user_roles_forget(user)
        return membership
    membership.role = role
    membership.full_clean()
    membership.save()
    _audit(
        membership=membership,
        actor=actor,
        action=MembershipAction.CHANGE if from_role else MembershipAction.ADD,
        from_role=from_role,
        to_role=role,
    )
    user_roles_forget(user)
    return membership


@transaction.atomic
def membership_remove(
    *, user: User, organisation: Organisation, actor: Actor | None = None
) -> None:
    """End the user's membership of the organisation (audited; nothing to do if there is none)."""
    membership = (
        Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    )
    if membership is not None:
        _audit(
            membership=membership,
            actor=actor,
            action=MembershipAction.REMOVE,
            from_role=membership.role,
        )
        membership.delete()
    user_roles_forget(user)
