"""Fixtures for the contribution tests (permissions, services, pages, command): two countries,
one person per role, a bundled public action of Uganda. Imported by name by the test modules.

Roles are granted through the roles service as the system (what `manage.py alliance_role`
does), so every test also runs the real grant path.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from sdg87.alliance.models import Plan, ReviewStatus, RoadmapAction, RoleName, Verification
from sdg87.alliance.services import roles
from sdg87.core.models import OutboundMail
from sdg87.geo.models import Geography, GeographyKind

ROLES = ("anonymous", "other_focal_point", "focal_point", "reviewer", "secretariat", "superuser")


def country(iso3: str, name: str) -> Geography:
    found, _created = Geography.objects.get_or_create(
        code=iso3, defaults={"kind": GeographyKind.COUNTRY, "iso3": iso3, "name_en": name}
    )
    return found


@pytest.fixture
def uga(db: Any) -> Geography:
    return country("UGA", "Uganda")


@pytest.fixture
def ken(db: Any) -> Geography:
    return country("KEN", "Kenya")


def make_user(name: str, *, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser(name, f"{name}@example.org", "pw-" + name)
    return User.objects.create_user(name, f"{name}@example.org", "pw-" + name)


@pytest.fixture
def people(uga: Geography, ken: Geography) -> dict[str, Any]:
    """One person per role: focal points of Uganda and of Kenya, a reviewer, the
    secretariat, a superuser without Alliance roles, and an anonymous visitor."""
    out: dict[str, Any] = {"anonymous": AnonymousUser()}
    out["focal_point"] = make_user("fp_uga")
    roles.alliance_role_grant(
        actor=None, user=out["focal_point"], role=RoleName.FOCAL_POINT, country=uga
    )
    out["other_focal_point"] = make_user("fp_ken")
    roles.alliance_role_grant(
        actor=None, user=out["other_focal_point"], role=RoleName.FOCAL_POINT, country=ken
    )
    out["reviewer"] = make_user("reviewer")
    roles.alliance_role_grant(actor=None, user=out["reviewer"], role=RoleName.REVIEWER)
    out["secretariat"] = make_user("secretariat")
    roles.alliance_role_grant(actor=None, user=out["secretariat"], role=RoleName.SECRETARIAT)
    out["superuser"] = make_user("root", superuser=True)
    # The grants' own mails are tested with the roles service; start each test with none.
    OutboundMail.objects.filter(subject__contains="SDG 8.7 platform").delete()
    return out


@pytest.fixture
def bundled_action(uga: Geography) -> RoadmapAction:
    """A bundled, verified, public action of Uganda's plan (as the data load writes them)."""
    plan, _created = Plan.objects.get_or_create(country=uga, title="ZZ test plan of Uganda")
    return RoadmapAction.objects.create(
        plan=plan,
        key="zz-uga-test-1",
        priority_area="Prevention",
        text="Strengthen labour inspection in agriculture",
        source_url="https://example.org/plan",
        quote="Strengthen labour inspection",
        verification=Verification.VERIFIED,
        status=ReviewStatus.PUBLISHED,
        live=True,
    )
