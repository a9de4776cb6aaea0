"""Reads of disclosure control. A certificate is public exactly when its dataset is
(catalog.permissions.can_view_dataset); reviews only to who may release the dataset."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sdg87.catalog import permissions
from sdg87.catalog.models import Dataset
from sdg87.core.actors import Actor
from sdg87.disclosure.models import Certificate, DisclosureReview


def certificate_get(*, user: Actor | None, pk: int) -> Certificate | None:
    cert = (
        Certificate.objects.select_related("dataset", "distribution", "dataset__publisher")
        .filter(pk=pk)
        .first()
    )
    if cert is None or not permissions.can_view_dataset(user, cert.dataset):
        return None
    return cert


def certificate_latest(*, dataset: Dataset) -> Certificate | None:
    return Certificate.objects.filter(dataset=dataset).order_by("-issued_at", "-id").first()


def review_list(*, dataset: Dataset) -> QuerySet[DisclosureReview]:
    return (
        DisclosureReview.objects.filter(dataset=dataset)
        .select_related("source")
        .order_by("-created_at", "-id")
    )


def certificate_document(cert: Certificate, *, dataset_url: str, url: str) -> dict[str, Any]:
    """The machine-readable certificate."""
    return {
        "@type": "DisclosureControlCertificate",
        "id": url,
        "dataset": {"title": cert.dataset.title, "url": dataset_url},
        "version": cert.version_number,
        "distribution": {"title": cert.distribution.title, "sha256": cert.sha256},
        "method": cert.method,
        "quasi_identifiers": cert.quasi_identifiers,
        "sensitive_attribute": cert.sensitive_attribute or None,
        "mode": cert.mode,
        "k_target": cert.k_target,
        "k_achieved": cert.k_achieved,
        "l_achieved": cert.l_achieved,
        "min_count": cert.min_count,
        "cells_suppressed": cert.cells_suppressed,
        "cells_suppressed_primary": cert.method.get("cells_suppressed_primary"),
        "cells_suppressed_secondary": cert.method.get("cells_suppressed_secondary"),
        "records_removed": cert.records_removed,
        "records_released": cert.records_released,
        "share_at_risk_before": cert.share_at_risk_before,
        "reviewer": cert.reviewer_name,
        "issued_at": cert.issued_at.isoformat(),
    }
