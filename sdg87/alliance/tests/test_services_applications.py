"""Applications to join the Alliance 8.7: anyone applies (validated, throttled per address,
audited, the secretariat mailed and the applicant acknowledged in their language); only the
secretariat decides; accepting makes the organisation a partner through organisation_upsert,
declining needs a note; the applicant hears either way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from sdg87.alliance import partner_selectors
from sdg87.alliance.models import (
    ActionGroup,
    AllianceAuditEntry,
    ApplicationStatus,
    PartnerApplication,
    Verification,
)
from sdg87.alliance.services import applications
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.models import OutboundMail
from sdg87.orgs.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db

APPLICANT = "director@kinder-rights.example.org"


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    """Rate-limit counts live in the cache."""
    cache.clear()
    yield
    cache.clear()


def _group(slug: str = "supply_chains_t", verification: str = Verification.VERIFIED) -> Any:
    return ActionGroup.objects.create(
        slug=slug,
        name=f"Group {slug}",
        group_type="action_group",
        verification=verification,
        source_url="https://example.org/groups",
    )


def _submit(**extra: Any) -> PartnerApplication:
    values: dict[str, Any] = {
        "organisation_name": "Kinder Rights Uganda",
        "organisation_type": OrganisationType.NGO,
        "contact_name": "Grace Atim",
        "contact_email": APPLICANT,
        "motivation": "We run school re-entry programmes for children withdrawn from work.",
        "website": "https://kinder-rights.example.org/",
        "language": "en",
        "client_ip": "192.0.2.10",
    }
    values.update(extra)
    return applications.application_submit(**values)


# --- submitting ----------------------------------------------------------------------------------


def test_submit_stores_audits_and_mails_both_sides(people: Any, uga: Any) -> None:
    group = _group()
    app = _submit(country=uga, action_groups=[group])
    assert app.status == ApplicationStatus.PENDING
    assert list(app.action_groups.all()) == [group]
    entry = AllianceAuditEntry.objects.get(subject_type="application", subject_id=app.pk)
    assert entry.action == "submit" and entry.to_status == "pending" and entry.actor is None
    to_secretariat = OutboundMail.objects.get(recipient="secretariat@example.org")
    assert "Kinder Rights Uganda" in to_secretariat.subject
    assert APPLICANT in to_secretariat.body and "school re-entry" in to_secretariat.body
    assert f"/partners/applications/{app.pk}/" in to_secretariat.body
    assert "Group supply_chains_t" in to_secretariat.body
    ack = OutboundMail.objects.get(recipient=APPLICANT)
    assert ack.subject == "Your application to join the Alliance 8.7"
    # Nobody else hears of it (not the focal points, not the reviewer).
    assert OutboundMail.objects.count() == 2


def test_acknowledgement_in_the_applicants_language(people: Any) -> None:
    """Sent in the language of the page the applicant used, whatever the current one."""
    with translation.override("en"):
        _submit(language="fr")
    with translation.override("fr"):
        expected = _("Your application to join the Alliance 8.7")
    assert OutboundMail.objects.get(recipient=APPLICANT).subject == expected


def test_without_a_secretariat_role_the_staff_hear_of_it(db: Any) -> None:
    from django.contrib.auth.models import User

    User.objects.create_user("staffer", "staff@example.org", "pw", is_staff=True)
    _submit()
    assert OutboundMail.objects.filter(recipient="staff@example.org").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "not-an-address"),
        ("contact_email", "a@b"),
        ("contact_email", "x" * 250 + "@example.org"),
        ("motivation", "m" * 3001),
        ("organisation_name", "n" * 301),
        ("contact_name", "c" * 201),
        ("motivation", "<script>alert(1)</script> please"),
        ("organisation_name", "   "),
        ("organisation_type", "cartel"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(people: Any, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _submit(**{field: value})
    assert field in caught.value.message_dict
    assert not PartnerApplication.objects.exists()
    assert not OutboundMail.objects.exists()
    assert not AllianceAuditEntry.objects.filter(subject_type="application").exists()


def test_a_group_that_is_not_public_is_refused(people: Any) -> None:
    hidden = _group("hidden", Verification.UNVERIFIED)
    with pytest.raises(ValidationError) as caught:
        _submit(action_groups=[hidden])
    assert "action_groups" in caught.value.message_dict
    assert not PartnerApplication.objects.exists()


def test_the_longest_accepted_motivation_is_stored(people: Any) -> None:
    app = _submit(motivation="m" * 3000)
    assert len(app.motivation) == 3000


@override_settings(SDG87_ACCOUNT_REQUEST_IP_LIMIT=2)
def test_rate_limit_per_address(people: Any) -> None:
    """Two a day from one address; the third is refused with a retry time and stores
    nothing; another address may still apply."""
    _submit(organisation_name="One")
    _submit(organisation_name="Two")
    with pytest.raises(ValidationError) as caught:
        _submit(organisation_name="Three")
    assert caught.value.code == "throttled"
    assert (caught.value.params or {})["retry_after"] > 0
    assert PartnerApplication.objects.count() == 2
    _submit(organisation_name="Four", client_ip="198.51.100.7")
    assert PartnerApplication.objects.count() == 3


# --- deciding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("other_focal_point", False),
        ("focal_point", False),
        ("reviewer", False),
        ("secretariat", True),
        ("superuser", True),
    ],
)
def test_only_the_secretariat_decides(people: Any, role: str, allowed: bool) -> None:
    app = _submit()
    actor = people[role]
    assert applications.permissions.can_see_applications(actor) is allowed
    assert applications.permissions.can_decide_application(actor, app) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            applications.application_decide(actor=actor, application=app, decision="accept")
        app.refresh_from_db()
        assert app.status == ApplicationStatus.PENDING and app.organisation is None
        assert not Organisation.objects.filter(name="Kinder Rights Uganda").exists()
        assert not AllianceAuditEntry.objects.filter(action="accept").exists()
    else:
        decided = applications.application_decide(actor=actor, application=app, decision="accept")
        assert decided.status == ApplicationStatus.ACCEPTED


def test_accept_creates_the_organisation_as_a_partner(people: Any, uga: Any) -> None:
    app = _submit(country=uga, language="es")
    OutboundMail.objects.all().delete()
    decided = applications.application_decide(
        actor=people["secretariat"], application=app, decision="accept", note="Welcome."
    )
    org = decided.organisation
    assert org is not None
    assert org.name == "Kinder Rights Uganda" and org.type == OrganisationType.NGO
    assert org.country == uga and org.website == "https://kinder-rights.example.org/"
    assert org.alliance87_role == "partner"
    assert "accepted by the Alliance 8.7 secretariat" in org.alliance87_role_evidence
    assert "Welcome." in org.alliance87_role_evidence
    assert decided.decided_by == people["secretariat"] and decided.decided_at is not None
    entry = AllianceAuditEntry.objects.get(subject_type="application", action="accept")
    assert (entry.from_status, entry.to_status) == ("pending", "accepted")
    assert entry.actor == people["secretariat"]
    mail = OutboundMail.objects.get(recipient=APPLICANT)
    with translation.override("es"):
        assert mail.subject == _("Welcome to the Alliance 8.7")
    assert "Welcome." in mail.body and "/partners/" in mail.body
    found = next(p for p in partner_selectors.partner_list() if p.organisation.pk == org.pk)
    assert found.criteria == ["role"]


def test_accept_links_an_existing_organisation_and_keeps_a_stronger_role(people: Any) -> None:
    gcg = Organisation.objects.create(
        slug="gov-test",
        name="Government of Testland",
        type=OrganisationType.GOVERNMENT,
        alliance87_role="gcg_member",
        alliance87_role_evidence="Listed as a GCG member",
    )
    plain = Organisation.objects.create(slug="ngo-test", name="NGO Test", type="ngo")
    first = applications.application_decide(
        actor=people["secretariat"],
        application=_submit(organisation_name="Testland"),
        decision="accept",
        organisation=gcg,
    )
    gcg.refresh_from_db()
    assert first.organisation == gcg
    assert (gcg.alliance87_role, gcg.alliance87_role_evidence) == (
        "gcg_member",
        "Listed as a GCG member",
    )
    applications.application_decide(
        actor=people["secretariat"],
        application=_submit(organisation_name="NGO Test", client_ip="198.51.100.9"),
        decision="accept",
        organisation=plain,
    )
    plain.refresh_from_db()
    assert plain.alliance87_role == "partner" and plain.name == "NGO Test"
    assert Organisation.objects.filter(name__in=["Testland", "Kinder Rights Uganda"]).count() == 0


def test_decline_needs_a_note_and_tells_the_applicant(people: Any) -> None:
    app = _submit()
    with pytest.raises(ValidationError) as caught:
        applications.application_decide(
            actor=people["secretariat"], application=app, decision="decline"
        )
    assert "decision_note" in caught.value.message_dict
    OutboundMail.objects.all().delete()
    decided = applications.application_decide(
        actor=people["secretariat"],
        application=app,
        decision="decline",
        note="We could not find work of the organisation on SDG 8.7.",
    )
    assert decided.status == ApplicationStatus.DECLINED and decided.organisation is None
    assert not Organisation.objects.filter(name="Kinder Rights Uganda").exists()
    mail = OutboundMail.objects.get(recipient=APPLICANT)
    assert "could not find work" in mail.body
    assert AllianceAuditEntry.objects.filter(action="decline", to_status="declined").exists()


def test_a_decided_application_is_not_decided_again(people: Any) -> None:
    app = _submit()
    applications.application_decide(actor=people["secretariat"], application=app, decision="accept")
    with pytest.raises(ValidationError):
        applications.application_decide(
            actor=people["secretariat"], application=app, decision="decline", note="No."
        )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED
    assert Organisation.objects.filter(name="Kinder Rights Uganda").count() == 1


def test_bad_decisions_are_refused(people: Any) -> None:
    app = _submit()
    with pytest.raises(ValidationError):
        applications.application_decide(
            actor=people["secretariat"], application=app, decision="maybe"
        )
    with pytest.raises(ValidationError):
        applications.application_decide(
            actor=people["secretariat"], application=app, decision="accept", note="n" * 2001
        )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.PENDING
