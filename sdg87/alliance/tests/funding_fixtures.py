"""Fixtures for the funding tests (services, selectors, pages, API): a donor organisation and
another one, one person per role, and a helper that enters a commitment through the services.
Memberships are set through sdg87.orgs.services and the secretariat's role through the roles
service, as the system: the real grant paths. There is no bundled funding data: every
commitment here is made in the test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from sdg87.alliance.models import FundingCommitment, RoleName
from sdg87.alliance.services import funding, roles
from sdg87.alliance.tests.contrib_fixtures import country, make_user
from sdg87.core.models import OutboundMail
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation, OrganisationType, Role
from sdg87.orgs.services import membership_set

FUNDING_ROLES = (
    "anonymous",
    "other_editor",
    "donor_member",
    "donor_editor",
    "secretariat",
    "superuser",
)


@pytest.fixture
def donor(db: Any) -> Organisation:
    return Organisation.objects.create(
        slug="zz-test-donor", name="ZZ Test Donor Fund", type=OrganisationType.FOUNDATION
    )


@pytest.fixture
def other_org(db: Any) -> Organisation:
    return Organisation.objects.create(
        slug="zz-other-org", name="ZZ Other Organisation", type=OrganisationType.NGO
    )


@pytest.fixture
def fund_people(donor: Organisation, other_org: Organisation) -> dict[str, Any]:
    """An anonymous visitor, an editor of another organisation, a member of the donor
    without an edit role, an editor of the donor, the secretariat and a superuser."""
    out: dict[str, Any] = {"anonymous": AnonymousUser()}
    out["other_editor"] = make_user("other_editor")
    membership_set(user=out["other_editor"], organisation=other_org, role=Role.EDITOR)
    out["donor_member"] = make_user("donor_member")
    membership_set(user=out["donor_member"], organisation=donor, role=Role.MEMBER)
    out["donor_editor"] = make_user("donor_editor")
    membership_set(user=out["donor_editor"], organisation=donor, role=Role.CONTRIBUTOR)
    out["secretariat"] = make_user("secretariat")
    roles.alliance_role_grant(actor=None, user=out["secretariat"], role=RoleName.SECRETARIAT)
    out["superuser"] = make_user("root", superuser=True)
    OutboundMail.objects.all().delete()  # each test starts with no mail
    return out


@pytest.fixture
def uganda(db: Any) -> Geography:
    """Uganda as the bundled data has it, or made for tests without the bundled data."""
    return country("UGA", "Uganda")


@pytest.fixture
def kenya(db: Any) -> Geography:
    return country("KEN", "Kenya")


def entry(**extra: Any) -> dict[str, Any]:
    """The arguments of a valid commitment (amount in euros, no rate), changed by `extra`."""
    values: dict[str, Any] = {
        "programme": "Child labour free zones in three districts",
        "amount": Decimal("2500000"),
        "currency": "EUR",
        "start_year": 2024,
        "end_year": 2027,
        "theme": "child_labour",
        "commitment_status": "committed",
        "source_url": "https://example.org/funding/decision-2024.pdf",
    }
    values.update(extra)
    return values


def enter(
    people: dict[str, Any], donor: Organisation, recipient: Geography, **extra: Any
) -> FundingCommitment:
    """A draft entered by the donor's editor."""
    return funding.funding_commitment_create(
        actor=people["donor_editor"], donor=donor, recipient=recipient, **entry(**extra)
    )


def published(
    people: dict[str, Any], donor: Organisation, recipient: Geography, **extra: Any
) -> FundingCommitment:
    """A commitment entered, submitted and published through the services."""
    commitment = enter(people, donor, recipient, **extra)
    funding.funding_commitment_submit(actor=people["donor_editor"], commitment=commitment)
    return funding.funding_commitment_publish(actor=people["secretariat"], commitment=commitment)
