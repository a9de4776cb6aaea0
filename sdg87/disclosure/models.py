"""Disclosure-control reviews of quarantined datasets and the certificates they publish
(issue 13, ADR 0014). Written by sdg87.disclosure.services only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdg87.disclosure.sdc import DEFAULT_K, DEFAULT_MIN_COUNT


class ReviewMode(models.TextChoices):
    MICRODATA = "microdata", _("Microdata (one record per person or case)")
    AGGREGATE = "aggregate", _("Aggregate table (counts)")


class ReviewState(models.TextChoices):
    DECLARED = "declared", _("Declared, waiting for the computation")
    COMPUTED = "computed", _("Risk measured and protection computed")
    FAILED = "failed", _("The computation failed")
    PASSED = "passed", _("Passed: protected file published")


def protected_upload_to(instance: DisclosureReview, filename: str) -> str:
    import uuid

    return f"disclosure/{instance.dataset_id}/{uuid.uuid4().hex}.csv"


class DisclosureReview(models.Model):
    """One reviewer's declaration for one file of a quarantined dataset, the risk measured,
    and the protected file computed from it (kept private until the review passes)."""

    dataset = models.ForeignKey(
        "catalog.Dataset", on_delete=models.CASCADE, related_name="disclosure_reviews"
    )
    source = models.ForeignKey(
        "catalog.Distribution",
        on_delete=models.CASCADE,
        related_name="disclosure_reviews",
        help_text=_("The unprotected file"),
    )
    quasi_identifiers = models.JSONField(_("quasi-identifiers"), default=list)
    sensitive_attribute = models.CharField(_("sensitive attribute"), max_length=200, blank=True)
    k = models.PositiveSmallIntegerField(_("k (smallest group size)"), default=DEFAULT_K)
    l_target = models.PositiveSmallIntegerField(_("l (distinct sensitive values)"), null=True)
    hierarchies = models.JSONField(_("generalisation hierarchies"), default=dict, blank=True)
    # aggregate tables: one label column, count columns; totals are computed and published
    mode = models.CharField(max_length=10, choices=ReviewMode.choices, default=ReviewMode.MICRODATA)
    label_column = models.CharField(_("row label column"), max_length=200, blank=True)
    count_columns = models.JSONField(_("count columns"), default=list, blank=True)
    min_count = models.PositiveSmallIntegerField(_("minimum cell count"), default=DEFAULT_MIN_COUNT)
    table = models.JSONField(default=dict, blank=True)  # the suppressed table, cells marked
    state = models.CharField(
        max_length=12, choices=ReviewState.choices, default=ReviewState.DECLARED
    )
    error = models.TextField(blank=True)
    risk_before = models.JSONField(default=dict, blank=True)
    risk_after = models.JSONField(default=dict, blank=True)
    information_lost = models.JSONField(default=dict, blank=True)
    protected_file = models.FileField(upload_to=protected_upload_to, blank=True, max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        if self.mode == ReviewMode.AGGREGATE:
            return f"{self.dataset_id}: {self.label_column} table (min {self.min_count})"
        return f"{self.dataset_id}: {', '.join(self.quasi_identifiers)} (k={self.k})"


class Certificate(models.Model):
    """What protection was applied to a released sensitive dataset: immutable, public with
    the dataset (JSON and page)."""

    dataset = models.ForeignKey(
        "catalog.Dataset", on_delete=models.CASCADE, related_name="disclosure_certificates"
    )
    review = models.OneToOneField(
        DisclosureReview, on_delete=models.PROTECT, related_name="certificate"
    )
    distribution = models.ForeignKey(
        "catalog.Distribution", on_delete=models.PROTECT, related_name="+"
    )
    version_number = models.PositiveIntegerField()
    method = models.JSONField(default=dict)
    quasi_identifiers = models.JSONField(default=list, blank=True)
    sensitive_attribute = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=10, choices=ReviewMode.choices, default=ReviewMode.MICRODATA)
    k_target = models.PositiveSmallIntegerField(null=True, blank=True)  # microdata only
    k_achieved = models.PositiveIntegerField(null=True, blank=True)
    min_count = models.PositiveSmallIntegerField(null=True, blank=True)  # aggregate tables
    l_achieved = models.PositiveIntegerField(null=True, blank=True)
    cells_suppressed = models.PositiveIntegerField()
    records_removed = models.PositiveIntegerField()
    records_released = models.PositiveIntegerField()
    share_at_risk_before = models.FloatField()
    sha256 = models.CharField(max_length=64)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewer_name = models.CharField(max_length=300)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_at_risk_before__gte=0, share_at_risk_before__lte=1),
                name="certificate_share_is_a_share",
            )
        ]

    def __str__(self) -> str:
        if self.mode == ReviewMode.AGGREGATE:
            return f"{self.dataset_id} v{self.version_number} min={self.min_count}"
        return f"{self.dataset_id} v{self.version_number} k={self.k_achieved}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Certificates are immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disclosure:certificate", kwargs={"pk": self.pk})
