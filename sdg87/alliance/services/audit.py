"""What every Alliance service shares: the audit entry, the mail to the people concerned, the
row locks and the plain-text rule.

Every change to a contribution writes one AllianceAuditEntry (who, what, from which state to
which, the message). Mail goes through sdg87.core.mail: queued with the change, sent by the
task worker once the transaction commits, so a rolled-back change sends nothing.

Text written by contributors is stored as plain text: HTML markup is refused (pages escape
what they show; nothing is ever rendered as HTML), NUL characters too, and every field has a
length limit (LIMITS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from sdg87.alliance.models import AllianceAuditEntry, AllianceRole, RoleName
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.cache import data_version_bump
from sdg87.core.mail import mail_queue
from sdg87.core.textsafe import is_safe_text

# Subject types of the audit entries.
ACTION, STATUS_CHANGE, RATING, REPLY, ROLE = "action", "status_change", "rating", "reply", "role"

# Longest accepted text per field (characters).
LIMITS = {
    "text": 4000,
    "priority_area": 200,
    "responsible_body": 500,
    "timeline": 120,
    "evidence": 4000,
    "reason": 4000,
    "message": 4000,
    "title": 300,
    "reply": 20000,
    "subject_ref": 40,
    "target_text": 300,
}

# A tag, a comment or a doctype: "<b>", "</p>", "<a href", "<!--", "<br/>".
_MARKUP = re.compile(r"<\s*(?:/\s*)?[a-zA-Z!?][^>]*>|<\s*[a-zA-Z]+[\s/]")


def plain_text(value: str, *, field: str, required: bool = True) -> str:
    """The value stripped of surrounding white space, or a ValidationError naming `field`:
    empty when required, too long, containing HTML markup or a NUL."""
    text = (value or "").replace("\r\n", "\n").strip()
    limit = LIMITS.get(field, 4000)
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)d characters (this text has %(count)d).")
                % {"limit": limit, "count": len(text)}
            }
        )
    if _MARKUP.search(text):
        raise ValidationError(
            {field: _("Write plain text: HTML tags are not accepted. Put links as addresses.")}
        )
    if not is_safe_text(text):
        raise ValidationError({field: _("This text contains a character that cannot be stored.")})
    return text


def audit_write(
    *,
    subject_type: str,
    subject: Model,
    country_id: int | None,
    action: str,
    actor: Actor | None,
    from_status: str = "",
    to_status: str = "",
    message: str = "",
) -> AllianceAuditEntry:
    """Record one change (`actor` None: the system, e.g. the command line)."""
    entry = AllianceAuditEntry(
        subject_type=subject_type,
        subject_id=subject.pk,
        country_id=country_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=signed_in_user(actor),
        message=message[: LIMITS["message"]],
    )
    entry.full_clean()
    entry.save()
    data_version_bump()  # a change can change what the public pages and API show
    return entry


def audit_list(*, subject_type: str, subject_id: int) -> list[AllianceAuditEntry]:
    return list(
        AllianceAuditEntry.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# --- who hears about a change --------------------------------------------------------------


def _emails(users: Iterable[User]) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def focal_point_emails(*, country_id: int) -> list[str]:
    return _emails(
        r.user
        for r in AllianceRole.objects.filter(
            role=RoleName.FOCAL_POINT, country_id=country_id
        ).select_related("user")
    )


def secretariat_emails() -> list[str]:
    return _emails(
        r.user
        for r in AllianceRole.objects.filter(role=RoleName.SECRETARIAT).select_related("user")
    )


def manage_url(*, iso3: str) -> str:
    """The country's contributors' page ("" when the pages are not installed)."""
    try:
        return reverse("pathfinder_manage", kwargs={"iso3": iso3.upper()})
    except NoReverseMatch:
        return ""


def notify(*, recipients: Iterable[str], subject: str, body: str, label: str, iso3: str) -> None:
    """Queue a mail about one contribution (sent after commit)."""
    url = manage_url(iso3=iso3)
    full_url = settings.SITE_URL.rstrip("/") + url if url else ""
    mail_queue(
        recipients=recipients,
        subject=subject,
        body=f"{body}\n\n{label}\n{full_url}\n",
        object_label=label,
        object_url=url,
    )
