"""Who hears about a dataset's changes, and the mail they get (sent by the task worker)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from sdg87.catalog.models import AuditAction, AuditEntry, Dataset
from sdg87.core.mail import mail_queue
from sdg87.orgs import selectors as org_selectors


def reviewers(dataset: Dataset) -> list[str]:
    """E-mail addresses of the publisher's admins and editors."""
    return org_selectors.organisation_reviewer_emails(organisation_id=dataset.publisher_id)


def authors(dataset: Dataset) -> list[str]:
    """E-mail addresses of the dataset's creator and of everybody who submitted or uploaded."""
    emails: set[str] = set()
    if dataset.created_by_id and dataset.created_by and dataset.created_by.email:
        emails.add(dataset.created_by.email)
    submitters = AuditEntry.objects.filter(
        dataset=dataset, action__in=[AuditAction.SUBMIT, AuditAction.UPLOAD]
    ).exclude(actor=None)
    for email in submitters.values_list("actor__email", flat=True).distinct():
        if email:
            emails.add(email)
    return sorted(emails)


def dataset_notify(*, dataset: Dataset, recipients: Iterable[str], subject: str, body: str) -> None:
    # Queued with this transaction and sent by the task worker (sdg87.core.mail): a mail
    # server that is down, or a title with a line break, never fails the change itself.
    url = settings.SITE_URL.rstrip("/") + dataset.get_absolute_url()
    mail_queue(
        recipients=recipients,
        subject=subject,
        body=f"{body}\n\n{dataset.title}\n{url}\n",
        organisation_id=dataset.publisher_id,
        object_label=dataset.title,
        object_url=dataset.get_absolute_url(),
    )
