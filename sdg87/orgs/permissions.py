"""Who may decide publisher account requests.

| action                              | staff, superuser | org admin        | other / anon |
|-------------------------------------|------------------|------------------|--------------|
| ask for an account                  | yes              | yes              | yes          |
| see the queue of requests           | every request    | their orgs' only | no           |
| decide a request for an organisation| yes              | their orgs' only | no           |
| decide a proposed new organisation  | yes              | no               | no           |

The secretariat is the site's staff (`is_staff`, or superusers).
tests/test_account_requests.py::test_permission_matrix walks this table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdg87.core.actors import Actor
from sdg87.orgs.models import Role
from sdg87.orgs.roles import organisation_ids_with_role, role_in

if TYPE_CHECKING:
    from sdg87.orgs.models import AccountRequest

ADMIN_ROLES = frozenset({Role.ADMIN})


def is_secretariat(user: Actor | None) -> bool:
    """Staff and superusers (signed in and active)."""
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser)
    )


def administered_organisation_ids(user: Actor | None) -> list[int]:
    """Organisations where the user is an administrator."""
    return organisation_ids_with_role(user, ADMIN_ROLES)


def can_see_account_requests(user: Actor | None) -> bool:
    return is_secretariat(user) or bool(administered_organisation_ids(user))


def can_decide_account_request(user: Actor | None, account_request: AccountRequest) -> bool:
    """The secretariat decides every request; an organisation's administrators decide the
    requests for their organisation (not proposals of a new one)."""
    if is_secretariat(user):
        return True
    if account_request.organisation_id is None:
        return False
    return role_in(user, account_request.organisation_id) == Role.ADMIN
