"""Funding commitments and programmes against child labour, forced labour and trafficking,
entered by the people with an edit role in the donor organisation and reviewed by the
secretariat (the resources pillar), on the shared machine of sdg87.core.review:

    draft --submit--> submitted --publish--> published (live)
      ^                   |
      +--changes_requested <-request_changes (the secretariat says what to change)
    withdraw: the donor's editors or the secretariat, at any stage -> withdrawn
              (not live; kept with its history)

A published commitment is not edited: the donor withdraws it and enters the corrected one,
so what was public stays in the audit trail.

The amount stays in its own currency (an ISO 4217 code, checked against pycountry's copy of
the ISO 4217 list). A conversion to US dollars exists only when the donor states both the
rate (US dollars per unit of the currency) and where the rate comes from; the platform never
guesses a rate and holds no exchange-rate table. Amounts in US dollars need no rate.

Each service is one transaction: lock the row, check the permission (PermissionDenied, before
anything else), validate (`full_clean()`), save, write an AllianceAuditEntry (subject type
`funding`, the recipient country) and queue the mail to the people concerned (the donor's
editors, the secretariat), sent after commit.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.alliance import permissions
from sdg87.alliance.models import (
    FundingCommitment,
    FundingStatus,
    FundingTheme,
    ReviewStatus,
)
from sdg87.alliance.services.audit import audit_write, plain_text, secretariat_emails
from sdg87.alliance.services.workflow import Wording, review_transitions
from sdg87.core import review
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.mail import mail_queue
from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs.models import Membership, Organisation
from sdg87.orgs.roles import EDIT_ROLES

FUNDING = "funding"  # the audit entries' subject type

type Step = review.Step[FundingCommitment]
Transition = review.Transition[FundingCommitment]

# The largest amount the table stores (16 digits, 2 of them decimals): large enough for any
# programme in any currency (a billion US dollars in Vietnamese dong is about 2.6e13).
MAX_AMOUNT = Decimal("99999999999999.99")
# US dollars per unit of the currency: 8 decimals stored; no currency is worth 10,000 dollars.
MAX_RATE = Decimal("10000")
MIN_YEAR = 1990  # before the first ILO-IPEC programmes (1992)
YEARS_AHEAD = 30
PROGRAMME_LIMIT = 300
RATE_SOURCE_LIMIT = 300
URL_LIMIT = 1000

# ISO 4217 codes that are not money a programme is funded in: precious metals, the testing
# code, "no currency" and the European bond-market units.
NOT_MONEY = frozenset({"XAG", "XAU", "XPD", "XPT", "XTS", "XXX", "XBA", "XBB", "XBC", "XBD"})

_http_url = URLValidator(schemes=["http", "https"])


def currency_codes() -> list[str]:
    """The ISO 4217 alphabetic codes accepted (pycountry's copy of the standard's list)."""
    return sorted(c.alpha_3 for c in pycountry.currencies if c.alpha_3 not in NOT_MONEY)


def currency_name(code: str) -> str:
    found = pycountry.currencies.get(alpha_3=code)
    return str(found.name) if found is not None else code


def _is_currency(code: str) -> bool:
    return code not in NOT_MONEY and pycountry.currencies.get(alpha_3=code) is not None


def commitment_lock(commitment: FundingCommitment) -> FundingCommitment:
    """The commitment re-read with a row lock (inside the caller's transaction)."""
    return (
        FundingCommitment.objects.select_for_update(of=("self",))
        .select_related("donor", "recipient")
        .get(pk=commitment.pk)
    )


def _label(commitment: FundingCommitment) -> str:
    return f"{commitment.donor.name}: {commitment.programme[:120]}"


def donor_editor_emails(*, donor_id: int) -> list[str]:
    """The addresses of the active people with an edit role in the donor organisation."""
    return sorted(
        {
            m.user.email
            for m in Membership.objects.filter(
                organisation_id=donor_id, role__in=EDIT_ROLES
            ).select_related("user")
            if m.user.email and m.user.is_active
        }
    )


def _donor_editors(commitment: FundingCommitment) -> list[str]:
    return donor_editor_emails(donor_id=commitment.donor_id)


def _secretariat(_commitment: FundingCommitment) -> list[str]:
    return secretariat_emails()


def _manage_url() -> str:
    try:
        return reverse("resources:manage")
    except NoReverseMatch:
        return ""


def _notify(commitment: FundingCommitment, recipients: list[str], subject: str, body: str) -> None:
    url = _manage_url()
    full_url = settings.SITE_URL.rstrip("/") + url if url else ""
    label = _label(commitment)
    mail_queue(
        recipients=recipients,
        subject=subject,
        body=f"{body}\n\n{label}\n{full_url}\n",
        organisation_id=commitment.donor_id,
        object_label=label,
        object_url=url,
    )


def _audit(
    commitment: FundingCommitment, action: str, actor: Actor | None, before: str, message: str
) -> None:
    audit_write(
        subject_type=FUNDING,
        subject=commitment,
        country_id=commitment.recipient_id,
        action=action,
        actor=actor,
        from_status=before,
        to_status=commitment.status,
        message=message,
    )


# --- the fields of a commitment ------------------------------------------------------------

FIELDS = frozenset(
    {
        "recipient",
        "programme",
        "amount",
        "currency",
        "usd_rate",
        "usd_rate_source",
        "start_year",
        "end_year",
        "theme",
        "commitment_status",
        "source_url",
    }
)


def _decimal(value: Any) -> Decimal | None:
    """`value` as a finite Decimal, None when it is not a number (NaN and infinities too)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _fields_apply(commitment: FundingCommitment, data: dict[str, Any]) -> None:
    """Set the fields given in `data`, checked together; a ValidationError names every field
    in error."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if "recipient" in data:
        recipient = data["recipient"]
        if not isinstance(recipient, Geography) or recipient.kind != GeographyKind.COUNTRY:
            error("recipient", _("Choose the country that receives the funding."))
        else:
            commitment.recipient = recipient
    if "programme" in data:
        try:
            text = plain_text(data["programme"], field="title")
        except ValidationError as exc:
            for message in exc.message_dict.get("title", []):
                error("programme", message)
        else:
            commitment.programme = text
    if "amount" in data:
        amount = _decimal(data["amount"])
        if amount is None:
            error("amount", _("Enter the amount as a number, e.g. 2500000 or 2500000.50."))
        elif amount <= 0:
            error("amount", _("The amount must be more than zero."))
        elif amount > MAX_AMOUNT:
            error(
                "amount",
                _("The amount can be at most %(max)s in its currency.") % {"max": MAX_AMOUNT},
            )
        elif _places(amount) > 2:
            error("amount", _("Give the amount with at most two decimals."))
        else:
            commitment.amount = amount
    if "currency" in data:
        code = str(data["currency"] or "").strip().upper()
        if not (len(code) == 3 and code.isalpha() and _is_currency(code)):
            error(
                "currency",
                _("Give the currency as its three-letter ISO 4217 code, e.g. EUR, UGX or USD."),
            )
        else:
            commitment.currency = code
    for name in ("start_year", "end_year"):
        if name in data:
            year = _year(data[name])
            last = timezone.localdate().year + YEARS_AHEAD
            if year is None or not MIN_YEAR <= year <= last:
                error(
                    name,
                    _("Give a year between %(first)d and %(last)d.")
                    % {"first": MIN_YEAR, "last": last},
                )
            else:
                setattr(commitment, name, year)
    if "theme" in data:
        if data["theme"] not in FundingTheme.values:
            error("theme", _("Choose what the funding is against."))
        else:
            commitment.theme = data["theme"]
    if "commitment_status" in data:
        if data["commitment_status"] not in FundingStatus.values:
            error("commitment_status", _("Choose the stage of the commitment."))
        else:
            commitment.commitment_status = data["commitment_status"]
    if "source_url" in data:
        url = str(data["source_url"] or "").strip()
        try:
            if not url or len(url) > URL_LIMIT:
                raise ValidationError("bad")
            _http_url(url)
        except ValidationError:
            error(
                "source_url",
                _("Give the web address (http or https) of the document that states it."),
            )
        else:
            commitment.source_url = url
    if "usd_rate" in data or "usd_rate_source" in data:
        _rate_apply(commitment, data, error)
    if (
        commitment.start_year
        and commitment.end_year
        and "start_year" not in errors
        and "end_year" not in errors
        and commitment.end_year < commitment.start_year
    ):
        error("end_year", _("The last year comes before the first."))
    if errors:
        raise ValidationError(errors)


def _rate_apply(commitment: FundingCommitment, data: dict[str, Any], error: Any) -> None:
    """The rate to US dollars and its source: both or neither; none for US dollars."""
    raw_rate = data.get("usd_rate", commitment.usd_rate)
    has_rate = raw_rate not in (None, "")
    source = str(data.get("usd_rate_source", commitment.usd_rate_source) or "")
    try:
        source = plain_text(source, field="title", required=False)
    except ValidationError as exc:
        for message in exc.message_dict.get("title", []):
            error("usd_rate_source", message)
        return
    if not has_rate and not source:
        commitment.usd_rate, commitment.usd_rate_source = None, ""
        return
    if has_rate and not source:
        error("usd_rate_source", _("Say where the exchange rate comes from, or give no rate."))
        return
    if source and not has_rate:
        error("usd_rate", _("Give the exchange rate too, or leave its source empty."))
        return
    rate = _decimal(raw_rate)
    if rate is None:
        error("usd_rate", _("Enter the rate as a number of US dollars per unit, e.g. 1.08."))
    elif rate <= 0 or rate > MAX_RATE:
        error(
            "usd_rate",
            _("The rate must be more than zero and at most %(max)s US dollars per unit.")
            % {"max": MAX_RATE},
        )
    elif _places(rate) > 8:
        error("usd_rate", _("Give the rate with at most eight decimals."))
    elif commitment.currency == "USD" and rate != 1:
        error("usd_rate", _("An amount in US dollars needs no rate."))
    else:
        commitment.usd_rate, commitment.usd_rate_source = rate, source


@transaction.atomic
def funding_commitment_create(
    *,
    actor: Actor,
    donor: Organisation,
    recipient: Geography,
    programme: str,
    amount: Decimal | str,
    currency: str,
    start_year: int,
    end_year: int,
    theme: str,
    commitment_status: str,
    source_url: str,
    usd_rate: Decimal | str | None = None,
    usd_rate_source: str = "",
) -> FundingCommitment:
    """An editor of the donor organisation enters a commitment: a draft, not public until the
    secretariat publishes it."""
    if not permissions.can_create_funding(actor, donor.pk):
        raise PermissionDenied(
            _("Only people with an edit role in the donor organisation can enter its funding.")
        )
    commitment = FundingCommitment(
        donor=donor,
        status=ReviewStatus.DRAFT,
        live=False,
        created_by=signed_in_user(actor),
    )
    _fields_apply(
        commitment,
        {
            "recipient": recipient,
            "programme": programme,
            "amount": amount,
            "currency": currency,
            "start_year": start_year,
            "end_year": end_year,
            "theme": theme,
            "commitment_status": commitment_status,
            "source_url": source_url,
            "usd_rate": usd_rate,
            "usd_rate_source": usd_rate_source,
        },
    )
    commitment.full_clean()
    commitment.save()
    _audit(commitment, "create", actor, "", commitment.programme[:200])
    return commitment


@transaction.atomic
def funding_commitment_update(
    *, actor: Actor, commitment: FundingCommitment, data: dict[str, Any]
) -> FundingCommitment:
    """Change a draft (or returned) commitment; `data` holds the fields to change (FIELDS)."""
    commitment = commitment_lock(commitment)
    if not permissions.can_edit_funding(actor, commitment):
        raise PermissionDenied(_("You cannot edit this commitment in its current state."))
    unknown = set(data) - FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    _fields_apply(commitment, data)
    commitment.full_clean()
    commitment.save()
    _audit(commitment, "edit", actor, commitment.status, ", ".join(sorted(data)))
    return commitment


# --- the review workflow -------------------------------------------------------------------


TRANSITIONS: dict[str, Transition] = review_transitions(
    can_submit=permissions.can_submit_funding,
    can_review=permissions.can_review_funding,
    can_withdraw=permissions.can_withdraw_funding,
    submit_denied=gettext_lazy("This commitment cannot be submitted by you in its current state."),
    review_denied=gettext_lazy("Only the secretariat reviews submitted funding commitments."),
    withdraw_denied=gettext_lazy("You cannot withdraw this commitment."),
    owners=(_donor_editors,),
    secretariat=_secretariat,
    submitted=Wording(
        subject=gettext_lazy("Funding commitment submitted for review: %(title)s"),
        body=lambda s: (
            _("%(user)s submitted a funding commitment for review.") % {"user": s.actor}
            + "\n"
            + s.message
        ),
    ),
    changes_subject=gettext_lazy("Changes requested: %(title)s"),
    published=Wording(
        subject=gettext_lazy("Funding commitment published: %(title)s"),
        body=lambda s: s.message or _("The commitment is now on the public resources page."),
    ),
    withdrawn=Wording(
        subject=gettext_lazy("Funding commitment withdrawn: %(title)s"),
        body=lambda s: s.message or _("The commitment was withdrawn."),
    ),
)


WORKFLOW = review.Workflow[FundingCommitment](
    transitions=TRANSITIONS,
    lock=commitment_lock,
    audit=_audit,
    notify=_notify,
    title=_label,
)


def funding_commitment_submit(
    *, actor: Actor, commitment: FundingCommitment, message: str = ""
) -> FundingCommitment:
    """Send a draft (or returned) commitment to the secretariat."""
    step = review.act(WORKFLOW, "submit", actor=actor, subject=commitment, message=message)
    return step.subject


def funding_commitment_return(
    *, actor: Actor, commitment: FundingCommitment, message: str
) -> FundingCommitment:
    """Return a submitted commitment to the donor's editors, saying what to change."""
    step = review.act(WORKFLOW, "request_changes", actor=actor, subject=commitment, message=message)
    return step.subject


def funding_commitment_publish(
    *, actor: Actor, commitment: FundingCommitment, message: str = ""
) -> FundingCommitment:
    """Publish a submitted commitment: counted on the public pages and in the API from now."""
    step = review.act(WORKFLOW, "publish", actor=actor, subject=commitment, message=message)
    return step.subject


def funding_commitment_withdraw(
    *, actor: Actor, commitment: FundingCommitment, message: str = ""
) -> FundingCommitment:
    """Withdraw a commitment (no longer public nor counted; kept with its history)."""
    step = review.act(WORKFLOW, "withdraw", actor=actor, subject=commitment, message=message)
    return step.subject
