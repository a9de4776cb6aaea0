"""Who holds which role where: role sets and the per-request cache of a user's roles.

Memberships (sdg87.orgs.models.Membership) give a user one role per organisation. What each
role may do with the content of other apps is decided there (e.g. sdg87.catalog.permissions
for datasets); this module only answers "which role does this user hold in that organisation".
The roles are read once per user object (so once per request) and cached on it;
sdg87.orgs.services forgets the cache whenever it changes a membership.
"""

from __future__ import annotations

from sdg87.core.actors import Actor
from sdg87.orgs.models import Membership, Role

# Roles that may create and change an organisation's content.
EDIT_ROLES = frozenset({Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR})
# Roles that may review and publish it, and see (and resend) its unsent notifications.
REVIEW_ROLES = frozenset({Role.ADMIN, Role.EDITOR})

_CACHE_ATTRIBUTE = "_sdg87_org_roles"


def is_superuser(user: Actor | None) -> bool:
    """Is `user` a superuser? (None, an anonymous caller or the system, is not.)"""
    return user is not None and user.is_superuser


def user_roles(user: Actor | None) -> dict[int, str]:
    """{organisation_id: role} for the user, cached on the user object for the request
    (none for an anonymous visitor, or None)."""
    if user is None or not user.is_authenticated:
        return {}
    cached: dict[int, str] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def user_roles_forget(user: Actor) -> None:
    """Drop the cached roles, so the next question reads the memberships again."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def role_in(user: Actor | None, organisation_id: int) -> str | None:
    return user_roles(user).get(organisation_id)


def organisation_ids_with_role(user: Actor | None, roles: frozenset[str] | set[str]) -> list[int]:
    """Ids of the organisations where the user holds one of `roles` (none for anonymous)."""
    return sorted(org for org, role in user_roles(user).items() if role in roles)
