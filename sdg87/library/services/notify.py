"""Who hears about a publication's changes, and the mail they get (queued with the change,
sent by the task worker after commit: sdg87.core.mail, as for datasets)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from sdg87.catalog.models import AuditAction
from sdg87.core.mail import mail_queue
from sdg87.library.models import Publication, PublicationAuditEntry
from sdg87.orgs import selectors as org_selectors


def reviewers(pub: Publication) -> list[str]:
    """E-mail addresses of the publisher's admins and editors."""
    if pub.publisher_id is None:
        return []
    return org_selectors.organisation_reviewer_emails(organisation_id=pub.publisher_id)


def authors(pub: Publication) -> list[str]:
    """E-mail addresses of the record's creator and of everybody who submitted or uploaded."""
    emails: set[str] = set()
    if pub.created_by_id and pub.created_by and pub.created_by.email:
        emails.add(pub.created_by.email)
    submitters = PublicationAuditEntry.objects.filter(
        publication=pub, action__in=[AuditAction.SUBMIT, AuditAction.UPLOAD]
    ).exclude(actor=None)
    for email in submitters.values_list("actor__email", flat=True).distinct():
        if email:
            emails.add(email)
    return sorted(emails)


def publication_manage_url(pub: Publication) -> str:
    """The record's page for its contributors and reviewers ("" when the contribution pages
    are not installed)."""
    try:
        return reverse("library_contribute:publication_manage", kwargs={"slug": pub.slug})
    except NoReverseMatch:
        return ""


def publication_notify(
    *, publication: Publication, recipients: Iterable[str], subject: str, body: str
) -> None:
    url = publication_manage_url(publication)
    full_url = settings.SITE_URL.rstrip("/") + url if url else ""
    mail_queue(
        recipients=recipients,
        subject=subject,
        body=f"{body}\n\n{publication.title}\n{full_url}\n",
        organisation_id=publication.publisher_id,
        object_label=publication.title,
        object_url=url,
    )
