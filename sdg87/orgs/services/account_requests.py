"""Publisher account requests: a visitor asks, an organisation's administrator or the
secretariat decides.

    (visitor) --create--> pending --approve--> approved
                             |
                             +-----refuse----> refused

`account_request_create` stores the request (throttled per client address), audits it and
tells the people who decide: the organisation's administrators, or the secretariat (staff)
when the organisation has none or a new one is proposed. It answers the same whether or not
the e-mail address has an account (no user enumeration); a second pending request from the
same address for the same organisation is the first one again.

A decision (`_decide`) is one transaction: lock the request, check the permission
(sdg87.orgs.permissions) and the transition (TRANSITIONS' `sources`), apply the action's own
writes, set the new state, write the audit entry (MembershipAuditEntry), queue the mail
(sdg87.core.mail sends it after commit). Approval creates the organisation if it was proposed,
the account if the address has none (without a password: its owner sets one through the
link that is mailed), and the membership (`membership_set`, itself audited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.client_ip import rate_subject
from sdg87.core.mail import mail_queue
from sdg87.core.ratelimit import Limit
from sdg87.orgs import permissions, selectors
from sdg87.orgs.models import (
    AccountRequest,
    Membership,
    MembershipAction,
    MembershipAuditEntry,
    Organisation,
    Role,
)
from sdg87.orgs.services import membership_set, organisation_create
from sdg87.orgs.services.passwords import password_mail_queue

Status = AccountRequest.Status
DAY = 86400
# Most powerful first: approving never lowers a role someone already holds.
ROLE_RANK = {Role.ADMIN: 0, Role.EDITOR: 1, Role.CONTRIBUTOR: 2, Role.MEMBER: 3}


def _audit(
    *,
    account_request: AccountRequest,
    action: str,
    actor: Actor | None,
    user: User | None = None,
    note: str = "",
) -> MembershipAuditEntry:
    organisation = account_request.organisation
    entry = MembershipAuditEntry(
        organisation=organisation,
        organisation_slug=organisation.slug if organisation is not None else "",
        user=user,
        username=user.get_username() if user is not None else account_request.email,
        action=action,
        to_role=account_request.granted_role or account_request.role,
        actor=signed_in_user(actor),
        account_request=account_request,
        note=note,
    )
    entry.full_clean()
    entry.save()
    return entry


def _request_url(account_request: AccountRequest) -> str:
    path = reverse("accounts:request_detail", kwargs={"pk": account_request.pk})
    return settings.SITE_URL.rstrip("/") + path


def _deciders(account_request: AccountRequest) -> list[str]:
    """Who hears of a new request: the organisation's administrators, else the secretariat."""
    if account_request.organisation_id is not None:
        admins = selectors.organisation_admin_emails(
            organisation_id=account_request.organisation_id
        )
        if admins:
            return admins
    return selectors.secretariat_emails()


# --- asking ----------------------------------------------------------------------------------


@transaction.atomic
def account_request_create(
    *,
    name: str,
    email: str,
    reason: str,
    role: str = Role.CONTRIBUTOR,
    organisation: Organisation | None = None,
    proposed_organisation: str = "",
    proposed_organisation_type: str = "",
    proposed_organisation_website: str = "",
    position: str = "",
    client_ip: str = "",
) -> AccountRequest:
    """A visitor's request for a publisher account (see the module docstring). Invalid input
    raises ValidationError; too many requests from one address per day raise
    ValidationError(code="throttled", params={"retry_after": seconds}) and store nothing."""
    email = email.strip()
    account_request = AccountRequest(
        name=name.strip(),
        email=email,
        organisation=organisation,
        proposed_organisation=proposed_organisation.strip() if organisation is None else "",
        proposed_organisation_type=proposed_organisation_type if organisation is None else "",
        proposed_organisation_website=(
            proposed_organisation_website.strip() if organisation is None else ""
        ),
        position=position.strip(),
        role=role,
        reason=reason.strip(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    account_request.full_clean()
    limit = Limit(
        "account-request-ip",
        settings.SDG87_ACCOUNT_REQUEST_IP_LIMIT,
        DAY,
        _("Too many account requests from your network today. Please try again tomorrow."),
    )
    subject = rate_subject(client_ip)
    if limit.exceeded(subject):
        raise ValidationError(
            str(limit.message), code="throttled", params={"retry_after": limit.retry_after()}
        )
    if limit.limit > 0:
        limit.hit(subject)
    same = AccountRequest.objects.filter(
        email__iexact=email,
        status=Status.PENDING,
        organisation=organisation,
        proposed_organisation__iexact=account_request.proposed_organisation,
    ).first()
    if same is not None:
        return same
    account_request.save()
    _audit(account_request=account_request, action=MembershipAction.REQUEST, actor=None)
    mail_queue(
        recipients=_deciders(account_request),
        subject=_("Publisher account requested: %(name)s, %(organisation)s")
        % {"name": account_request.name, "organisation": account_request.organisation_label},
        body=_("%(name)s <%(email)s> asks for a publisher account (%(role)s) for %(organisation)s.")
        % {
            "name": account_request.name,
            "email": account_request.email,
            "role": account_request.get_role_display(),
            "organisation": account_request.organisation_label,
        }
        + f"\n\n{account_request.reason}\n\n"
        + _("Approve or refuse it here: %(url)s") % {"url": _request_url(account_request)}
        + "\n",
        organisation_id=account_request.organisation_id,
        object_label=account_request.organisation_label,
        object_url=reverse("accounts:request_detail", kwargs={"pk": account_request.pk}),
    )
    return account_request


# --- deciding --------------------------------------------------------------------------------


_DENIED = gettext_lazy("You cannot decide this account request.")


@dataclass(frozen=True)
class Decision:
    account_request: AccountRequest
    actor: Actor
    note: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Transition:
    audit: str  # the MembershipAction written
    sources: frozenset[str]
    target: str
    apply: Callable[[Decision], User | None]
    denied: Promise = _DENIED


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_username(email: str) -> str:
    users = get_user_model().objects
    base = email.lower()[:140]
    username, n = base, 2
    while users.filter(username__iexact=username).exists():
        username, n = f"{base}-{n}", n + 1
    return username


def _account_for(account_request: AccountRequest) -> tuple[User, bool]:
    """The active account with the request's address, or a new one without a password;
    (user, created)."""
    users = get_user_model().objects
    existing = users.filter(email__iexact=account_request.email, is_active=True).order_by("pk")
    user = existing.first()
    if user is not None:
        return user, False
    name = account_request.name
    first, _sep, last = name.partition(" ")
    user = users.model(
        username=_unique_username(account_request.email),
        email=account_request.email,
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user, True


def _approve(decision: Decision) -> User:
    account_request = decision.account_request
    role = decision.params.get("role") or account_request.role
    if role not in {r.value for r in AccountRequest.REQUESTABLE_ROLES}:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    if account_request.organisation is None:
        account_request.organisation = organisation_create(
            slug=_unique_slug(account_request.proposed_organisation),
            values={
                "name": account_request.proposed_organisation,
                "type": account_request.proposed_organisation_type,
                "website": account_request.proposed_organisation_website,
            },
        )
    organisation = account_request.organisation
    user, created = _account_for(account_request)
    held = Membership.objects.filter(user=user, organisation=organisation).first()
    if held is not None and ROLE_RANK[Role(held.role)] <= ROLE_RANK[Role(role)]:
        role = held.role  # approving never lowers a role
    else:
        membership_set(user=user, organisation=organisation, role=role, actor=decision.actor)
    account_request.granted_role = role
    account_request.user = user
    with translation.override(account_request.language or settings.LANGUAGE_CODE):
        welcome = _(
            "Your request for a publisher account for %(organisation)s on the SDG 8.7 "
            "Knowledge Platform was approved (role: %(role)s)."
        ) % {"organisation": organisation.display_name, "role": Role(role).label}
        if decision.note:
            welcome += "\n\n" + decision.note
        if created or not user.has_usable_password():
            password_mail_queue(
                user=user,
                subject=_("Your publisher account: choose a password"),
                intro=welcome + "\n\n" + _("To choose your password, open this link:"),
            )
        else:
            login = settings.SITE_URL.rstrip("/") + reverse("catalog:login")
            mail_queue(
                recipients=[user.email],
                subject=_("Your publisher account was approved"),
                body=welcome
                + "\n\n"
                + _("Sign in with your existing account: %(url)s") % {"url": login}
                + "\n",
            )
    return user


def _refuse(decision: Decision) -> None:
    account_request = decision.account_request
    with translation.override(account_request.language or settings.LANGUAGE_CODE):
        body = _(
            "Your request for a publisher account for %(organisation)s on the SDG 8.7 "
            "Knowledge Platform was not approved."
        ) % {"organisation": account_request.organisation_label}
        if decision.note:
            body += "\n\n" + decision.note
        mail_queue(
            recipients=[account_request.email],
            subject=_("Your publisher account request"),
            body=body + "\n",
            organisation_id=account_request.organisation_id,
            object_label=account_request.organisation_label,
        )
    return None


TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(
        audit=MembershipAction.APPROVE,
        sources=frozenset({Status.PENDING}),
        target=Status.APPROVED,
        apply=_approve,
    ),
    "refuse": Transition(
        audit=MembershipAction.REFUSE,
        sources=frozenset({Status.PENDING}),
        target=Status.REFUSED,
        apply=_refuse,
    ),
}


@transaction.atomic
def _decide(
    name: str, *, actor: Actor, account_request: AccountRequest, note: str, **params: Any
) -> AccountRequest:
    """Lock -> check permission -> check transition -> apply -> state -> audit (-> mail)."""
    transition = TRANSITIONS[name]
    locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if not permissions.can_decide_account_request(actor, locked):
        raise PermissionDenied(str(transition.denied))
    if locked.status not in transition.sources:
        raise ValidationError(_("This request has already been decided."))
    decision = Decision(locked, actor, note.strip(), params)
    user = transition.apply(decision)
    locked.status = transition.target
    locked.decided_at = timezone.now()
    locked.decided_by = signed_in_user(actor)
    locked.decision_note = decision.note
    locked.full_clean()
    locked.save()
    _audit(
        account_request=locked, action=transition.audit, actor=actor, user=user, note=decision.note
    )
    return locked


def account_request_approve(
    *, actor: Actor, account_request: AccountRequest, role: str = "", note: str = ""
) -> AccountRequest:
    """Approve a pending request: the proposed organisation is created, the account too if
    the address has none, and the membership given (`role`, default the one asked for; a role
    already held that is more powerful is kept). The requester is mailed a set-password link
    (a new account) or a note (an existing one)."""
    return _decide("approve", actor=actor, account_request=account_request, note=note, role=role)


def account_request_refuse(
    *, actor: Actor, account_request: AccountRequest, note: str = ""
) -> AccountRequest:
    """Refuse a pending request; the requester is told, with `note` if given."""
    return _decide("refuse", actor=actor, account_request=account_request, note=note)
