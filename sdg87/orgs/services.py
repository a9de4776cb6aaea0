"""Writes for organisations and memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sdg87.geo.models import Geography
from sdg87.orgs.html import sanitise_html
from sdg87.orgs.models import Membership, Organisation, Role


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
    """Create or update the organisation with this slug; the description is sanitised."""
    organisation = Organisation.objects.filter(slug=slug).first() or Organisation(slug=slug)
    organisation.name = name
    organisation.type = type
    organisation.acronym = acronym
    organisation.country = country
    organisation.website = website
    organisation.description = sanitise_html(description)
    organisation.alliance87_role = alliance87_role
    organisation.alliance87_role_evidence = alliance87_role_evidence
    organisation.source_url = source_url
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_set(*, user: Any, organisation: Organisation, role: str) -> Membership:
    """Give the user `role` in the organisation (one membership per user and organisation)."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
    membership.role = role
    membership.full_clean()
    membership.save()
    if hasattr(user, "_sdg87_org_roles"):
        del user._sdg87_org_roles
    return membership


@transaction.atomic
def membership_remove(*, user: Any, organisation: Organisation) -> None:
    Membership.objects.filter(user=user, organisation=organisation).delete()
    if hasattr(user, "_sdg87_org_roles"):
        del user._sdg87_org_roles
