"""Outbound e-mail: the one module that sends mail.

A service that wants to tell someone about a change calls `mail_queue()` inside its own
transaction: one OutboundMail row per recipient is written with the change, and the
`sdg87.core.tasks.mail_send` task is enqueued when the transaction commits. The task worker
(`manage.py db_worker`) then calls `mail_send()`, which tries the mailer, and on failure
re-enqueues itself with a growing delay, up to MAX_ATTEMPTS; after that the mail is marked
failed and logged. So a mail server that is down, or a subject with a line break, never turns
a saved change into an error. Editors see unsent mail of their organisation on the
"Notifications" page and can send it again (`mail_retry()`).

    queued --claim--> sending --ok--> sent
      ^                  |
      +-- (attempts < MAX_ATTEMPTS, after a delay) --+--> failed --retry--> queued
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.models import OutboundMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, 3rd and 4th failed attempt (seconds): about 1.5 hours in all.
RETRY_DELAYS = (60, 300, 1200, 3600)
SUBJECT_MAX_LENGTH = 150
# A queued or sending mail untouched this long is stuck (no worker, or a worker that died).
STUCK_AFTER = timedelta(minutes=10)

_BREAKING_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def mail_subject_clean(subject: Any) -> str:
    """A one-line subject: line breaks, control characters and runs of white space become one
    space, and the result is cut to SUBJECT_MAX_LENGTH characters. Never raises."""
    text = "".join(
        " " if ch.isspace() or unicodedata.category(ch) in _BREAKING_CATEGORIES else ch
        for ch in str(subject)
    )
    text = " ".join(text.split())
    if len(text) > SUBJECT_MAX_LENGTH:
        text = text[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return text


def _valid_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return "\n" not in address and "\r" not in address


@transaction.atomic
def mail_queue(
    *,
    recipients: Iterable[str],
    subject: str,
    body: str,
    organisation_id: int | None = None,
    object_label: str = "",
    object_url: str = "",
) -> list[OutboundMail]:
    """Queue one mail per recipient (so nobody sees the others' addresses), to be sent by the
    task worker after the surrounding transaction commits. Invalid addresses are logged and
    skipped: a bad address must not undo the change being reported."""
    clean_subject = mail_subject_clean(subject)
    label = mail_subject_clean(object_label)[:255]
    created: list[OutboundMail] = []
    for address in sorted({a.strip() for a in recipients if a and a.strip()}):
        if not _valid_address(address) or len(address) > 254:
            logger.warning("Not mailing an invalid address %r (%s)", address, clean_subject)
            continue
        mail = OutboundMail(
            recipient=address,
            subject=clean_subject,
            body=body,
            organisation_id=organisation_id,
            object_label=label,
            object_url=object_url[:500],
        )
        mail.full_clean()
        mail.save()
        created.append(mail)
    ids = [mail.pk for mail in created]
    if ids:
        transaction.on_commit(lambda: _enqueue_all(ids), robust=True)
    return created


def _enqueue_all(ids: list[int]) -> None:
    for mail_id in ids:
        _enqueue(mail_id=mail_id)


def _enqueue(*, mail_id: int, delay_seconds: int = 0) -> None:
    """Hand the mail to the task worker; a failure to enqueue leaves it queued (and shown as
    stuck to editors after STUCK_AFTER) rather than raising into the caller."""
    from sdg87.core.tasks import mail_send as mail_send_task

    task = mail_send_task
    # Backends that cannot defer (ImmediateBackend in tests) retry at once: still bounded by
    # MAX_ATTEMPTS, because every attempt is counted before it is made.
    if delay_seconds and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    try:
        task.enqueue(mail_id=mail_id)
    except Exception:
        logger.exception("Could not enqueue outbound mail %s", mail_id)


def mail_send(*, mail_id: int) -> str:
    """Make one attempt to send a queued mail; returns its status afterwards. Idempotent: a
    mail that is not queued (sent, failed, being sent, deleted) is left alone."""
    now = timezone.now()
    # Claim the mail with one conditional UPDATE so that two workers never send it twice.
    claimed = OutboundMail.objects.filter(pk=mail_id, status=OutboundMail.Status.QUEUED).update(
        status=OutboundMail.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        mail = OutboundMail.objects.filter(pk=mail_id).first()
        return mail.status if mail else "missing"
    mail = OutboundMail.objects.get(pk=mail_id)
    try:
        message = EmailMessage(
            subject=mail_subject_clean(mail.subject),
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.recipient],
        )
        message.send()
    except Exception as exc:  # any mailer failure is recorded, never raised
        return _record_failure(mail=mail, error=f"{type(exc).__name__}: {exc}")
    mail.status = OutboundMail.Status.SENT
    mail.sent_at = mail.updated_at = timezone.now()
    mail.save(update_fields=["status", "sent_at", "updated_at"])
    return mail.status


def _record_failure(*, mail: OutboundMail, error: str) -> str:
    mail.last_error = error[:2000]
    mail.updated_at = timezone.now()
    if mail.attempts < MAX_ATTEMPTS:
        mail.status = OutboundMail.Status.QUEUED
        delay = RETRY_DELAYS[min(mail.attempts, len(RETRY_DELAYS)) - 1]
        mail.save(update_fields=["status", "last_error", "updated_at"])
        logger.warning(
            "Mail %s to %s failed (attempt %s of %s), retrying in %ss: %s",
            mail.pk,
            mail.recipient,
            mail.attempts,
            MAX_ATTEMPTS,
            delay,
            error,
        )
        _enqueue(mail_id=mail.pk, delay_seconds=delay)
        # The retry may already have run (ImmediateBackend): report the stored status.
        mail.refresh_from_db(fields=["status"])
        return mail.status
    mail.status = OutboundMail.Status.FAILED
    mail.save(update_fields=["status", "last_error", "updated_at"])
    logger.error(
        "Mail %s to %s failed after %s attempts, giving up: %s",
        mail.pk,
        mail.recipient,
        mail.attempts,
        error,
    )
    return mail.status


# --- who sees unsent mail, and resending it ---------------------------------------------------


# Who manages an organisation's mail is the organisations app's business (its administrators
# and editors): sdg87.orgs registers the lookup when it is ready, so core never imports it.
# Until one is registered, only superusers see unsent mail.
ManagerLookup = Callable[[User], Iterable[int]]
_manager_lookup: ManagerLookup | None = None


def mail_manager_lookup_register(lookup: ManagerLookup) -> None:
    """Set the function giving the ids of the organisations whose unsent mail a user may see
    and resend."""
    global _manager_lookup
    _manager_lookup = lookup


def _managed_organisation_ids(user: Actor | None) -> list[int]:
    signed_in = signed_in_user(user)
    if _manager_lookup is None or signed_in is None:
        return []
    return list(_manager_lookup(signed_in))


def mail_can_manage(user: Actor | None, mail: OutboundMail) -> bool:
    """Superusers, and the managers of the mail's organisation (its administrators and editors,
    as registered by sdg87.orgs), may see a mail (with its recipient's address) and resend it."""
    if user is not None and user.is_superuser:
        return True
    return mail.organisation_id is not None and mail.organisation_id in _managed_organisation_ids(
        user
    )


def mail_unsent_list(*, user: Actor | None) -> QuerySet[OutboundMail]:
    """Queued, sending and failed mail the user may see, newest first."""
    qs = OutboundMail.objects.exclude(status=OutboundMail.Status.SENT).select_related(
        "organisation"
    )
    if user is not None and user.is_superuser:
        return qs
    return qs.filter(organisation_id__in=_managed_organisation_ids(user))


def mail_is_retryable(mail: OutboundMail, *, now: datetime | None = None) -> bool:
    """Failed mail, or mail stuck in the queue (no worker ran it within STUCK_AFTER)."""
    if mail.status == OutboundMail.Status.FAILED:
        return True
    now = now or timezone.now()
    return mail.status != OutboundMail.Status.SENT and mail.updated_at <= now - STUCK_AFTER


@transaction.atomic
def mail_retry(*, actor: Actor, mail_id: int) -> OutboundMail:
    """Queue a failed (or stuck) mail again with a fresh set of attempts."""
    mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
    if mail is None or not mail_can_manage(actor, mail):
        raise PermissionDenied(_("Notification not found."))
    if not mail_is_retryable(mail):
        raise ValidationError(_("This notification is not waiting to be sent again."))
    mail.status = OutboundMail.Status.QUEUED
    mail.attempts = 0
    mail.updated_at = timezone.now()
    mail.full_clean()
    mail.save()
    logger.info("Mail %s to %s queued again by %s", mail.pk, mail.recipient, actor)
    pk = mail.pk
    transaction.on_commit(lambda: _enqueue(mail_id=pk), robust=True)
    return mail
