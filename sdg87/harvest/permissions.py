"""Who may register, see and run harvest sources.

| action                                   | superuser | admin | editor | contributor | other |
|------------------------------------------|:---------:|:-----:|:------:|:-----------:|:-----:|
| register a source for an organisation    | yes       | yes   | yes    | no          | no    |
| see its sources, runs and run reports    | yes       | yes   | yes    | no          | no    |
| harvest now, change or pause a source    | yes       | yes   | yes    | no          | no    |

Admins and editors (sdg87.orgs.roles.REVIEW_ROLES) are the roles that may publish the
organisation's datasets (sdg87.catalog.permissions), which is what a harvest does. A run acts as
the editor who registered the source, so every dataset write is checked again there.
"""

from __future__ import annotations

from sdg87.core.actors import Actor
from sdg87.orgs.roles import REVIEW_ROLES, is_superuser, organisation_ids_with_role, role_in


def can_manage_harvest(user: Actor | None, organisation_id: int) -> bool:
    return is_superuser(user) or role_in(user, organisation_id) in REVIEW_ROLES


def harvest_organisation_ids(user: Actor | None) -> list[int] | None:
    """Organisations whose sources the user manages (None: all of them, a superuser)."""
    if is_superuser(user):
        return None
    return organisation_ids_with_role(user, REVIEW_ROLES)
