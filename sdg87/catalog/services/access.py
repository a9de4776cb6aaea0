"""Requests for the data of a metadata-only (or embargoed) dataset."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.catalog import permissions
from sdg87.catalog.models import AccessRequest, AuditAction, Dataset, Distribution
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
    terms_accepted: bool = False,
) -> AccessRequest:
    """Ask the publisher for the data of a metadata-only (or embargoed) dataset.

    Each request e-mails the publisher, so requests are throttled (settings
    SDG87_ACCESS_REQUEST_*_LIMIT): per client address per hour (per account, higher, when signed
    in), per e-mail address and dataset per day, and per dataset per day. A refused request
    raises ValidationError(code="throttled"), stores nothing and sends nothing. `user` is who
    asks (None: an anonymous caller).

    For a sensitive dataset (ADR 0014) the request is for its unprotected file: the requester
    signs in and accepts the terms (`terms_accepted`), and an editor grants it
    (access_request_grant) before any download (original_download)."""
    from sdg87.core.client_ip import rate_subject
    from sdg87.core.ratelimit import Limit, hit_all

    if not permissions.can_view_dataset(user, dataset):
        raise PermissionDenied(_("Dataset not found."))
    requester = signed_in_user(user)
    if dataset.sensitive:
        problems: dict[str, list[str]] = {}
        if requester is None:
            problems["email"] = [_("Sign in to request the unprotected file.")]
        if not terms_accepted:
            problems["terms_accepted"] = [_("Accept the terms of use to send the request.")]
        if problems:
            raise ValidationError(problems)
    request = AccessRequest(
        dataset=dataset,
        name=name,
        email=email,
        organisation=organisation,
        reason=reason,
        user=requester,
        terms_accepted_at=timezone.now() if terms_accepted else None,
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


@transaction.atomic
def access_request_grant(*, actor: Actor, access_request: AccessRequest) -> AccessRequest:
    """An editor of the publisher grants a signed-in requester who accepted the terms access to
    the unprotected file of a sensitive dataset."""
    locked = (
        AccessRequest.objects.select_for_update()
        .select_related("dataset")
        .get(pk=access_request.pk)
    )
    dataset = locked.dataset
    if not permissions.can_grant_access(actor, dataset):
        raise PermissionDenied(_("Only an editor of the publisher can grant access."))
    if not dataset.sensitive or locked.user_id is None or locked.terms_accepted_at is None:
        raise ValidationError(_("Only a signed-in request with the terms accepted can be granted."))
    if locked.granted_at is None:
        locked.granted_at = timezone.now()
        locked.granted_by = signed_in_user(actor)
        locked.save(update_fields=["granted_at", "granted_by"])
        audit_write(
            dataset=dataset, action=AuditAction.ACCESS_GRANT, actor=actor, message=locked.email
        )
    return locked


def original_files(*, user: Actor | None, dataset: Dataset) -> list[Distribution]:
    """The unprotected (retired) files of a sensitive dataset the user was granted."""
    requester = signed_in_user(user)
    if not dataset.sensitive or requester is None:
        return []
    granted = AccessRequest.objects.filter(
        dataset=dataset,
        user=requester,
        granted_at__isnull=False,
        terms_accepted_at__isnull=False,
    ).exists()
    if not granted:
        return []
    return list(dataset.distributions.filter(retired_at__isnull=False).exclude(file=""))


@transaction.atomic
def original_download(*, actor: Actor | None, dataset: Dataset, pk: int) -> Distribution:
    """Open the way to one unprotected file for a granted requester; every call is audited
    (who, which file, its sha256)."""
    dist = next((d for d in original_files(user=actor, dataset=dataset) if d.pk == pk), None)
    if dist is None:
        raise PermissionDenied(_("File not found"))
    audit_write(
        dataset=dataset,
        action=AuditAction.ORIGINAL_DOWNLOAD,
        actor=actor,
        message=f"{dist.pk} {dist.sha256}",
    )
    return dist
