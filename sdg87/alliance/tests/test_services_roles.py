"""Granting and revoking Alliance roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance import permissions
from sdg87.alliance.models import AllianceAuditEntry, AllianceRole, RoleName
from sdg87.alliance.services import roles
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.alliance.tests.contrib_fixtures import make_user
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db


def test_secretariat_grants_and_revokes_a_focal_point(people: Any, uga: Any) -> None:
    user = make_user("new_fp")
    assert not permissions.is_focal_point(user, uga.pk)
    row = roles.alliance_role_grant(
        actor=people["secretariat"], user=user, role=RoleName.FOCAL_POINT, country=uga
    )
    assert permissions.is_focal_point(user, uga.pk)  # the cached roles were forgotten
    assert OutboundMail.objects.filter(recipient="new_fp@example.org").exists()
    again = roles.alliance_role_grant(
        actor=people["secretariat"], user=user, role=RoleName.FOCAL_POINT, country=uga
    )
    assert again.pk == row.pk
    assert roles.alliance_role_revoke(
        actor=people["superuser"], user=user, role=RoleName.FOCAL_POINT, country=uga
    )
    assert not permissions.is_focal_point(user, uga.pk)
    assert not roles.alliance_role_revoke(
        actor=people["superuser"], user=user, role=RoleName.FOCAL_POINT, country=uga
    )
    entries = AllianceAuditEntry.objects.filter(subject_type="role").order_by("id")
    assert [e.action for e in entries][-2:] == ["grant", "revoke"]


@pytest.mark.parametrize("role", ["focal_point", "other_focal_point", "reviewer", "anonymous"])
def test_only_the_secretariat_grants(people: Any, uga: Any, role: str) -> None:
    user = make_user("someone")
    with pytest.raises(PermissionDenied):
        roles.alliance_role_grant(actor=people[role], user=user, role=RoleName.REVIEWER)
    with pytest.raises(PermissionDenied):
        roles.alliance_role_revoke(
            actor=people[role], user=people["focal_point"], role=RoleName.FOCAL_POINT, country=uga
        )
    assert not AllianceRole.objects.filter(user=user).exists()


def test_focal_points_need_a_country_and_others_none(uga: Any) -> None:
    user = make_user("x")
    with pytest.raises(ValidationError):
        roles.alliance_role_grant(actor=None, user=user, role=RoleName.FOCAL_POINT)
    with pytest.raises(ValidationError):
        roles.alliance_role_grant(actor=None, user=user, role=RoleName.REVIEWER, country=uga)
    with pytest.raises(ValidationError):
        roles.alliance_role_grant(actor=None, user=user, role="king")
