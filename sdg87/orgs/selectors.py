"""Reads for organisations and the roles users hold in them.

Other apps build on these (catalog counts each organisation's datasets on top of
`organisation_list`); this app never reads their content.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from sdg87.core.actors import Actor
from sdg87.orgs.models import Membership, Organisation
from sdg87.orgs.roles import EDIT_ROLES, REVIEW_ROLES, is_superuser, organisation_ids_with_role


def organisation_list() -> QuerySet[Organisation]:
    """All organisations, by name, with their country."""
    return Organisation.objects.select_related("country").order_by("name")


def organisation_get(*, slug: str) -> Organisation | None:
    return Organisation.objects.select_related("country", "logo").filter(slug=slug).first()


def user_organisations(
    *, user: Actor | None, roles: Iterable[str] = EDIT_ROLES
) -> QuerySet[Organisation]:
    """Organisations where the user holds one of `roles` (all, for superusers; none for an
    anonymous visitor, or None)."""
    if is_superuser(user):
        return Organisation.objects.order_by("name")
    ids = organisation_ids_with_role(user, set(roles))
    return Organisation.objects.filter(id__in=ids).order_by("name")


def managed_organisation_ids(*, user: Actor | None) -> list[int]:
    """Organisations whose administrators/editors include the user (sdg87.core.mail shows them
    the organisation's unsent notifications)."""
    return organisation_ids_with_role(user, REVIEW_ROLES)


def organisation_reviewer_emails(*, organisation_id: int) -> list[str]:
    """E-mail addresses of the organisation's administrators and editors (REVIEW_ROLES), who
    hear about its content awaiting review; people without an address are left out."""
    return list(
        Membership.objects.filter(organisation_id=organisation_id, role__in=REVIEW_ROLES)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
