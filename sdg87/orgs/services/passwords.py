"""Password reset by e-mail, and the set-password link of a new account.

The link is Django's (a token that ends when the password changes, after
PASSWORD_RESET_TIMEOUT, or when the user signs in); the mail goes through the outbox
(sdg87.core.mail, sent by the task worker after commit), never straight to the mail server.

A reset request answers the same whether or not the address belongs to someone (no user
enumeration). It is throttled per client address per hour (SDG87_PASSWORD_RESET_IP_LIMIT,
refused with ValidationError(code="throttled")), and per e-mail address per day
(SDG87_PASSWORD_RESET_EMAIL_LIMIT, silently: telling would say the address is known).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from sdg87.core.client_ip import rate_subject
from sdg87.core.mail import mail_queue
from sdg87.core.ratelimit import Limit

logger = logging.getLogger("sdg87.security")

HOUR, DAY = 3600, 86400


def password_set_url(user: User) -> str:
    """The absolute link at which `user` chooses a new password (valid until used, until the
    password changes, or PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def _valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // DAY)


def password_mail_queue(*, user: User, subject: str, intro: str) -> None:
    """Queue the mail with `user`'s set-password link. organisation_id stays empty: the link
    opens the account, so only superusers may see the mail in the outbox."""
    body = "\n\n".join(
        [
            intro,
            password_set_url(user),
            _("Your user name is: %(username)s") % {"username": user.get_username()},
            _("The link works once and for %(days)s days.") % {"days": _valid_days()},
        ]
    )
    mail_queue(
        recipients=[user.email],
        subject=subject,
        body=body + "\n",
        object_label=_("Password for %(username)s") % {"username": user.get_username()},
    )


def _reset_candidates(email: str) -> list[User]:
    # Accounts made from an approved request have no password until their owner sets one:
    # they may ask for a new link too (Django's form leaves them out).
    return list(
        get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).order_by("pk")
    )


@transaction.atomic
def password_reset_request(*, email: str, client_ip: str = "") -> int:
    """Queue a reset link to every active account with this e-mail address; returns how many
    were queued (for tests and logs only: callers must not tell the visitor)."""
    address_limit = Limit(
        "password-reset-ip",
        settings.SDG87_PASSWORD_RESET_IP_LIMIT,
        HOUR,
        _("Too many password reset requests from your network. Please try again later."),
    )
    email_limit = Limit("password-reset-email", settings.SDG87_PASSWORD_RESET_EMAIL_LIMIT, DAY)
    subject, mailbox = rate_subject(client_ip), email.strip().lower()
    if address_limit.exceeded(subject):
        raise ValidationError(
            str(address_limit.message),
            code="throttled",
            params={"retry_after": address_limit.retry_after()},
        )
    # Every request counts against its address, even one that mails nobody.
    if address_limit.limit > 0:
        address_limit.hit(subject)
    if email_limit.exceeded(mailbox):
        # Not said to the visitor: that would tell that the address has an account.
        logger.warning("Password reset refused: a mailbox reached its daily limit (%s)", subject)
        return 0
    if email_limit.limit > 0:
        email_limit.hit(mailbox)
    users = _reset_candidates(email)
    for user in users:
        password_mail_queue(
            user=user,
            subject=_("Reset your password"),
            intro=_(
                "Someone (we hope you) asked to reset the password of your account on the "
                "SDG 8.7 Knowledge Platform. To choose a new password, open this link. If you "
                "did not ask, ignore this e-mail: your password stays as it is."
            ),
        )
    return len(users)
