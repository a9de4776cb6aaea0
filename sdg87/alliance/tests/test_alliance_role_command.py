"""`manage.py alliance_role`: grant, revoke and list roles as the system."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sdg87.alliance import permissions
from sdg87.alliance.models import AllianceAuditEntry, AllianceRole
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.alliance.tests.contrib_fixtures import make_user

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("alliance_role", *args, stdout=out)
    return out.getvalue()


def test_grant_list_revoke_a_focal_point(uga: Any) -> None:
    user = make_user("amina")
    out = _run("grant", "--username", "amina", "--role", "focal_point", "--country", "uga")
    assert "granted: amina focal_point UGA" in out
    assert permissions.is_focal_point(user, uga.pk)
    entry = AllianceAuditEntry.objects.get(subject_type="role", action="grant")
    assert entry.actor is None and entry.country == uga  # the system acted
    assert "amina\tfocal_point UGA" in _run("list", "--country", "UGA")
    assert "revoked" in _run(
        "revoke", "--username", "amina", "--role", "focal_point", "--country", "UGA"
    )
    assert not AllianceRole.objects.filter(user=user).exists()


def test_secretariat_role_has_no_country(uga: Any) -> None:
    make_user("sec1")
    _run("grant", "--username", "sec1", "--role", "secretariat")
    with pytest.raises(CommandError, match="one country"):
        _run("grant", "--username", "sec1", "--role", "secretariat", "--country", "UGA")


@pytest.mark.parametrize(
    "args",
    [
        ("grant", "--username", "nobody", "--role", "reviewer"),
        ("grant", "--username", "amina", "--role", "focal_point"),
        ("grant", "--username", "amina", "--role", "focal_point", "--country", "ZZZ"),
        ("grant", "--role", "reviewer"),
    ],
)
def test_errors_are_reported(uga: Any, args: tuple[str, ...]) -> None:
    make_user("amina")
    with pytest.raises(CommandError):
        _run(*args)
    assert not AllianceRole.objects.exists()
