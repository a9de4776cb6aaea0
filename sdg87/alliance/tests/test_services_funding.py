"""The funding services: commitments entered by the donor's editors, reviewed by the
secretariat; the permission matrix over every operation, the validation messages, the audit
entries and the mail."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance import permissions, visibility
from sdg87.alliance.models import AllianceAuditEntry, FundingCommitment, ReviewStatus
from sdg87.alliance.services import funding
from sdg87.alliance.tests.funding_fixtures import *  # noqa: F403
from sdg87.alliance.tests.funding_fixtures import FUNDING_ROLES, enter, entry
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db

EDITOR = {"donor_editor"}
SECRETARIAT = {"secretariat", "superuser"}


def _draft(p: dict[str, Any], donor: Any, uga: Any) -> Any:
    return enter(p, donor, uga)


def _submitted(p: dict[str, Any], donor: Any, uga: Any) -> Any:
    return funding.funding_commitment_submit(
        actor=p["donor_editor"], commitment=_draft(p, donor, uga)
    )


def _published(p: dict[str, Any], donor: Any, uga: Any) -> Any:
    return funding.funding_commitment_publish(
        actor=p["secretariat"], commitment=_submitted(p, donor, uga)
    )


# operation -> (make the object it starts from, do it as `actor`, who may)
OPERATIONS: dict[str, tuple[Callable[..., Any] | None, Callable[..., Any], set[str]]] = {
    "create": (
        None,
        lambda actor, obj, donor, uga: funding.funding_commitment_create(
            actor=actor, donor=donor, recipient=uga, **entry()
        ),
        EDITOR,
    ),
    "update draft": (
        _draft,
        lambda actor, obj, donor, uga: funding.funding_commitment_update(
            actor=actor, commitment=obj, data={"programme": "Renamed"}
        ),
        EDITOR,
    ),
    "submit": (
        _draft,
        lambda actor, obj, donor, uga: funding.funding_commitment_submit(
            actor=actor, commitment=obj
        ),
        EDITOR,
    ),
    "publish": (
        _submitted,
        lambda actor, obj, donor, uga: funding.funding_commitment_publish(
            actor=actor, commitment=obj
        ),
        SECRETARIAT,
    ),
    "return": (
        _submitted,
        lambda actor, obj, donor, uga: funding.funding_commitment_return(
            actor=actor, commitment=obj, message="Give the decision's page number"
        ),
        SECRETARIAT,
    ),
    "withdraw draft": (
        _draft,
        lambda actor, obj, donor, uga: funding.funding_commitment_withdraw(
            actor=actor, commitment=obj
        ),
        EDITOR | SECRETARIAT,
    ),
    "withdraw published": (
        _published,
        lambda actor, obj, donor, uga: funding.funding_commitment_withdraw(
            actor=actor, commitment=obj
        ),
        EDITOR | SECRETARIAT,
    ),
    "update published": (
        _published,
        lambda actor, obj, donor, uga: funding.funding_commitment_update(
            actor=actor, commitment=obj, data={"programme": "Changed after publication"}
        ),
        set(),
    ),
}


@pytest.mark.parametrize("role", FUNDING_ROLES)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_matrix(
    role: str, operation: str, fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    """Allowed roles succeed and are audited; the others get PermissionDenied and nothing is
    written (no new audit entry, no new row)."""
    make, do, allowed = OPERATIONS[operation]
    obj = make(fund_people, donor, uganda) if make else None
    entries = AllianceAuditEntry.objects.filter(subject_type="funding").count()
    rows = FundingCommitment.objects.count()
    actor = fund_people[role]
    if role in allowed:
        result = do(actor, obj, donor, uganda)
        assert isinstance(result, FundingCommitment)
        assert AllianceAuditEntry.objects.filter(subject_type="funding").count() == entries + 1
    else:
        with pytest.raises(PermissionDenied):
            do(actor, obj, donor, uganda)
        assert AllianceAuditEntry.objects.filter(subject_type="funding").count() == entries
        assert FundingCommitment.objects.count() == rows
        if obj is not None:
            fresh = FundingCommitment.objects.get(pk=obj.pk)
            assert (fresh.status, fresh.live, fresh.programme) == (
                obj.status,
                obj.live,
                obj.programme,
            )


@pytest.mark.parametrize("role", FUNDING_ROLES)
def test_working_copies_seen_by_the_donor_editors_and_the_secretariat(
    role: str, fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    """A draft is seen by the donor's editors and the secretariat only; once published, by all."""
    commitment = _submitted(fund_people, donor, uganda)
    actor = fund_people[role]
    assert permissions.can_view_funding(actor, commitment) == (role in EDITOR | SECRETARIAT)
    published = funding.funding_commitment_publish(
        actor=fund_people["secretariat"], commitment=commitment
    )
    assert permissions.can_view_funding(actor, published)


def test_create_makes_a_draft_audited_and_not_public(
    fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    """A new commitment is a draft by its author, not public, audited against the recipient."""
    commitment = enter(fund_people, donor, uganda, currency="eur")
    assert commitment.currency == "EUR"
    assert commitment.status == ReviewStatus.DRAFT and not commitment.live
    assert commitment.created_by == fund_people["donor_editor"]
    assert commitment.usd_rate is None and commitment.usd_rate_source == ""
    assert not visibility.public_funding().filter(pk=commitment.pk).exists()
    entry_ = AllianceAuditEntry.objects.get(subject_type="funding", subject_id=commitment.pk)
    assert (entry_.action, entry_.to_status, entry_.country_id) == ("create", "draft", uganda.pk)
    assert entry_.actor == fund_people["donor_editor"]


def test_the_review_path_is_audited_and_mailed(
    fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    """Submit mails the secretariat; return needs a message and mails the donor's editors;
    publish makes it public; withdraw takes it down; each step is one audit entry."""
    fund_people["donor_member"].email = "member@example.org"
    commitment = enter(fund_people, donor, uganda)
    funding.funding_commitment_submit(actor=fund_people["donor_editor"], commitment=commitment)
    assert list(OutboundMail.objects.values_list("recipient", flat=True)) == [
        "secretariat@example.org"
    ]
    with pytest.raises(ValidationError) as info:
        funding.funding_commitment_return(
            actor=fund_people["secretariat"], commitment=commitment, message="  "
        )
    assert "message" in info.value.message_dict
    funding.funding_commitment_return(
        actor=fund_people["secretariat"], commitment=commitment, message="Which decision?"
    )
    returned = OutboundMail.objects.filter(subject__startswith="Changes requested").get()
    # the donor's editors hear about it, not its members without an edit role
    assert returned.recipient == "donor_editor@example.org"
    assert "Which decision?" in returned.body
    funding.funding_commitment_update(
        actor=fund_people["donor_editor"],
        commitment=commitment,
        data={"source_url": "https://example.org/funding/decision-2024.pdf#page=4"},
    )
    funding.funding_commitment_submit(actor=fund_people["donor_editor"], commitment=commitment)
    published = funding.funding_commitment_publish(
        actor=fund_people["secretariat"], commitment=commitment
    )
    assert published.live and published.status == ReviewStatus.PUBLISHED
    assert visibility.public_funding().filter(pk=commitment.pk).exists()
    withdrawn = funding.funding_commitment_withdraw(
        actor=fund_people["donor_editor"], commitment=published, message="Programme cancelled"
    )
    assert not withdrawn.live and withdrawn.status == ReviewStatus.WITHDRAWN
    assert not visibility.public_funding().filter(pk=commitment.pk).exists()
    actions = list(
        AllianceAuditEntry.objects.filter(subject_type="funding", subject_id=commitment.pk)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )
    assert actions == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("request_changes", "submitted", "changes_requested"),
        ("edit", "changes_requested", "changes_requested"),
        ("submit", "changes_requested", "submitted"),
        ("publish", "submitted", "published"),
        ("withdraw", "published", "withdrawn"),
    ]


def test_a_withdrawn_commitment_cannot_be_published_or_submitted(
    fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    commitment = enter(fund_people, donor, uganda)
    funding.funding_commitment_withdraw(actor=fund_people["donor_editor"], commitment=commitment)
    with pytest.raises(PermissionDenied):
        funding.funding_commitment_submit(actor=fund_people["donor_editor"], commitment=commitment)
    with pytest.raises(PermissionDenied):
        funding.funding_commitment_publish(actor=fund_people["secretariat"], commitment=commitment)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", Decimal("0"), "more than zero"),
        ("amount", Decimal("-5"), "more than zero"),
        ("amount", "NaN", "as a number"),
        ("amount", "Infinity", "as a number"),
        ("amount", float("inf"), "as a number"),
        ("amount", "a lot", "as a number"),
        ("amount", Decimal("100000000000000"), "at most 99999999999999.99"),
        ("amount", Decimal("10.005"), "two decimals"),
        ("currency", "US", "ISO 4217"),
        ("currency", "ABC", "ISO 4217"),
        ("currency", "XAU", "ISO 4217"),
        ("currency", "", "ISO 4217"),
        ("start_year", 1989, "between 1990 and"),
        ("end_year", 2300, "between 1990 and"),
        ("end_year", "soon", "between 1990 and"),
        ("end_year", 2023, "comes before the first"),
        ("source_url", "javascript:alert(1)", "http or https"),
        ("source_url", "ftp://example.org/x.pdf", "http or https"),
        ("source_url", "", "http or https"),
        ("programme", "", "required"),
        ("programme", "<b>Big</b> programme", "HTML"),
        ("programme", "x" * 301, "At most 300"),
        ("theme", "poverty", "what the funding is against"),
        ("commitment_status", "maybe", "stage"),
    ],
)
def test_validation_messages(
    fund_people: dict[str, Any], donor: Any, uganda: Any, field: str, value: Any, message: str
) -> None:
    """Each bad value is refused with a message on its own field; nothing is stored."""
    with pytest.raises(ValidationError) as info:
        enter(fund_people, donor, uganda, **{field: value})
    assert field in info.value.message_dict
    assert message in " ".join(info.value.message_dict[field])
    assert not FundingCommitment.objects.exists()
    assert not AllianceAuditEntry.objects.filter(subject_type="funding").exists()


@pytest.mark.parametrize(
    ("rate", "source", "field", "message"),
    [
        (Decimal("1.08"), "", "usd_rate_source", "where the exchange rate comes from"),
        (None, "ECB reference rate, 2 January 2024", "usd_rate", "Give the exchange rate too"),
        (Decimal("0"), "ECB", "usd_rate", "more than zero"),
        (Decimal("-1.1"), "ECB", "usd_rate", "more than zero"),
        (Decimal("20000"), "ECB", "usd_rate", "at most 10000"),
        ("NaN", "ECB", "usd_rate", "as a number"),
        (Decimal("1.123456789"), "ECB", "usd_rate", "eight decimals"),
        (Decimal("1.08"), "<a href='x'>ECB</a>", "usd_rate_source", "HTML"),
    ],
)
def test_a_rate_needs_its_source_and_a_source_its_rate(
    fund_people: dict[str, Any],
    donor: Any,
    uganda: Any,
    rate: Any,
    source: str,
    field: str,
    message: str,
) -> None:
    """No conversion without both the rate and where it comes from; rates are finite and
    positive."""
    with pytest.raises(ValidationError) as info:
        enter(fund_people, donor, uganda, usd_rate=rate, usd_rate_source=source)
    assert message in " ".join(info.value.message_dict[field])


def test_a_stated_rate_is_kept_with_its_source(
    fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    commitment = enter(
        fund_people,
        donor,
        uganda,
        usd_rate="1.0845",
        usd_rate_source="ECB euro reference rate, 2 January 2024",
    )
    commitment.refresh_from_db()
    assert commitment.usd_rate == Decimal("1.0845")
    assert commitment.usd_rate_source == "ECB euro reference rate, 2 January 2024"
    # clearing both removes the conversion
    funding.funding_commitment_update(
        actor=fund_people["donor_editor"],
        commitment=commitment,
        data={"usd_rate": None, "usd_rate_source": ""},
    )
    commitment.refresh_from_db()
    assert commitment.usd_rate is None and commitment.usd_rate_source == ""


def test_us_dollars_need_no_rate(fund_people: dict[str, Any], donor: Any, uganda: Any) -> None:
    """An amount in US dollars is stored without a rate; a rate other than 1 is refused."""
    enter(fund_people, donor, uganda, currency="USD")
    with pytest.raises(ValidationError) as info:
        enter(fund_people, donor, uganda, currency="USD", usd_rate="0.9", usd_rate_source="x")
    assert "needs no rate" in " ".join(info.value.message_dict["usd_rate"])


def test_several_errors_are_reported_together(
    fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        enter(fund_people, donor, uganda, amount="-1", currency="XX", source_url="nope")
    assert {"amount", "currency", "source_url"} <= set(info.value.message_dict)


def test_the_recipient_is_a_country(fund_people: dict[str, Any], donor: Any, uganda: Any) -> None:
    from sdg87.geo.models import Geography, GeographyKind

    world, _created = Geography.objects.get_or_create(
        code="ZZW", defaults={"kind": GeographyKind.WORLD, "name_en": "ZZ World"}
    )
    with pytest.raises(ValidationError) as info:
        enter(fund_people, donor, world)
    assert "recipient" in info.value.message_dict


def test_update_refuses_unknown_fields(
    fund_people: dict[str, Any], donor: Any, uganda: Any
) -> None:
    commitment = enter(fund_people, donor, uganda)
    with pytest.raises(ValidationError):
        funding.funding_commitment_update(
            actor=fund_people["donor_editor"], commitment=commitment, data={"live": True}
        )
    commitment.refresh_from_db()
    assert not commitment.live


def test_currency_codes_come_from_iso_4217() -> None:
    codes = funding.currency_codes()
    assert {"EUR", "USD", "UGX", "NPR", "XOF", "GBP", "JPY"} <= set(codes)
    assert not {"XAU", "XTS", "XXX"} & set(codes)
