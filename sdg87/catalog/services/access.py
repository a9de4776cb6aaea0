"""Requests for the data of a metadata-only (or embargoed) dataset."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.catalog import permissions
from sdg87.catalog.models import AccessRequest, AuditAction, Dataset
from sdg87.catalog.services.audit import audit_write
from sdg87.catalog.services.notify import dataset_notify, reviewers
from sdg87.core.actors import Actor, signed_in_user


@transaction.atomic
def access_request_create(
    *,
    dataset: Dataset,
    name: str,
    email: str,
    reason: str,
    organisation: str = "",
    user: Actor | None = None,
    client_ip: str = "",
) -> AccessRequest:
    """Ask the publisher for the data of a metadata-only (or embargoed) dataset.

    Each request e-mails the publisher, so requests are throttled (settings
    SDG87_ACCESS_REQUEST_*_LIMIT): per client address per hour (per account, higher, when signed
    in), per e-mail address and dataset per day, and per dataset per day. A refused request
    raises ValidationError(code="throttled"), stores nothing and sends nothing. `user` is who
    asks (None: an anonymous caller)."""
    from sdg87.core.client_ip import rate_subject
    from sdg87.core.ratelimit import Limit, hit_all

    if not permissions.can_view_dataset(user, dataset):
        raise PermissionDenied(_("Dataset not found."))
    requester = signed_in_user(user)
    request = AccessRequest(
        dataset=dataset,
        name=name,
        email=email,
        organisation=organisation,
        reason=reason,
        user=requester,
    )
    request.full_clean()
    hour, day = 3600, 86400
    if requester is not None:
        sender = Limit(
            "access-request-user",
            settings.SDG87_ACCESS_REQUEST_USER_LIMIT,
            hour,
            _("You have sent too many access requests. Please try again in an hour."),
        )
        sender_key = str(requester.pk)
    else:
        sender = Limit(
            "access-request-ip",
            settings.SDG87_ACCESS_REQUEST_IP_LIMIT,
            hour,
            _("Too many access requests from your network. Please try again in an hour."),
        )
        sender_key = rate_subject(client_ip)
    refused = hit_all(
        [
            (sender, sender_key),
            (
                Limit(
                    "access-request-email",
                    settings.SDG87_ACCESS_REQUEST_EMAIL_LIMIT,
                    day,
                    _(
                        "This e-mail address has already asked for this dataset several times "
                        "today. Please wait for the publisher's answer."
                    ),
                ),
                f"{dataset.pk}:{email.strip().lower()}",
            ),
            (
                Limit(
                    "access-request-dataset",
                    settings.SDG87_ACCESS_REQUEST_DATASET_LIMIT,
                    day,
                    _(
                        "This dataset has received too many access requests today. "
                        "Please try again tomorrow."
                    ),
                ),
                str(dataset.pk),
            ),
        ]
    )
    if refused is not None:
        raise ValidationError(str(refused.message), code="throttled")
    request.save()
    audit_write(dataset=dataset, action=AuditAction.ACCESS_REQUEST, actor=user, message=email)
    recipients = reviewers(dataset) + ([dataset.contact_email] if dataset.contact_email else [])
    dataset_notify(
        dataset=dataset,
        recipients=recipients,
        subject=_("Data access request: %(title)s") % {"title": dataset.title},
        body=f"{name} <{email}> {organisation}\n\n{reason}",
    )
    return request
