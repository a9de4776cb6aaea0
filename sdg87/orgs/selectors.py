"""Reads for organisations and the roles users hold in them.

Other apps build on these (catalog counts each organisation's datasets on top of
`organisation_list`); this app never reads their content.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from sdg87.core.actors import Actor
from sdg87.orgs.models import AccountRequest, Membership, Organisation, Role
from sdg87.orgs.permissions import administered_organisation_ids, is_secretariat
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


def account_request_list(
    *, user: Actor | None, status: str | None = None
) -> QuerySet[AccountRequest]:
    """The account requests the user may decide (sdg87.orgs.permissions): every request for
    the secretariat, their organisations' for administrators, none for anyone else; newest
    first, optionally of one status."""
    qs = AccountRequest.objects.select_related("organisation", "decided_by")
    if status is not None:
        qs = qs.filter(status=status)
    if is_secretariat(user):
        return qs
    return qs.filter(organisation_id__in=administered_organisation_ids(user))


def account_request_get(*, user: Actor | None, pk: int) -> AccountRequest | None:
    """One request the user may decide, or None (also for a request they may not see)."""
    return account_request_list(user=user).filter(pk=pk).first()


def organisation_admin_emails(*, organisation_id: int) -> list[str]:
    """E-mail addresses of the organisation's administrators (they decide account requests)."""
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id, role=Role.ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def secretariat_emails() -> list[str]:
    """E-mail addresses of the active staff and superusers."""
    return list(
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
