"""Harvest sources (other catalogues), their runs and the provenance of harvested datasets.

A HarvestSource belongs to an organisation: what it harvests becomes datasets of that
organisation, made and changed through the catalog's services (never by writing catalog rows
here). A HarvestedRecord ties one remote record (the source's own id for it) to the dataset it
became, with a hash of the remote content so an unchanged record is not written again. A
HarvestRun is one harvest of one source, with one HarvestRunItem per record it saw (created,
updated, unchanged, removed, skipped or failed, with the reason). See docs/adr/0016-harvesting.md.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    CKAN = "ckan", _("CKAN Action API")
    DCAT = "dcat", _("DCAT-AP catalogue (JSON-LD, Turtle or RDF/XML)")
    SDMX = "sdmx", _("SDMX dataflows (SDMX-ML 2.1 structure message)")


class Schedule(models.TextChoices):
    HOURLY = "hourly", _("Every hour")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MANUAL = "manual", _("Only when asked")


SCHEDULE_INTERVALS: dict[str, timedelta] = {
    Schedule.HOURLY: timedelta(hours=1),
    Schedule.DAILY: timedelta(days=1),
    Schedule.WEEKLY: timedelta(weeks=1),
}


# What an editor can change on a registered source (services.harvest_source_update, the edit
# form); the kind stays.
EDITABLE_FIELDS = ("organisation", "name", "url", "schedule", "remote_filter", "default_licence")


class HarvestSource(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="harvest_sources",
        help_text=_("Harvested datasets are published under this organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of source"), max_length=8, choices=SourceKind.choices)
    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_(
            "CKAN: the site or its /api/3/action/ address; DCAT: the catalogue document; "
            "SDMX: the dataflow list, e.g. https://example.org/sdmx/dataflow/all/all/latest"
        ),
    )
    remote_filter = models.CharField(
        _("filter"),
        max_length=300,
        blank=True,
        help_text=_("CKAN only: a filter query (fq), e.g. organization:ilo"),
    )
    default_licence = models.CharField(
        _("licence when the source gives none"), max_length=40, default="other-attribution"
    )
    schedule = models.CharField(
        _("schedule"), max_length=8, choices=Schedule.choices, default=Schedule.DAILY
    )
    active = models.BooleanField(_("active"), default=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    # The harvest acts as this editor: every dataset write is checked against their role.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("harvest:source_detail", kwargs={"pk": self.pk})


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    PARTIAL = "partial", _("Finished with failed records")
    FAILED = "failed", _("Failed")


class HarvestRun(models.Model):
    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField(blank=True, help_text=_("Why the whole run failed"))
    note = models.TextField(blank=True, help_text=_("What the run noticed, e.g. a short listing"))
    seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("harvest:run_detail", kwargs={"pk": self.pk})


class Outcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    REMOVED = "removed", _("Removed at the source")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class HarvestRunItem(models.Model):
    run = models.ForeignKey(HarvestRun, on_delete=models.CASCADE, related_name="items")
    remote_id = models.CharField(max_length=500)
    title = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    dataset = models.ForeignKey(
        "catalog.Dataset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.remote_id}: {self.outcome}"


class HarvestedRecord(models.Model):
    """Where a harvested dataset came from: the source, its remote id and original link."""

    source = models.ForeignKey(HarvestSource, on_delete=models.PROTECT, related_name="records")
    remote_id = models.CharField(max_length=500)
    dataset = models.OneToOneField(
        "catalog.Dataset", on_delete=models.CASCADE, related_name="harvested_record"
    )
    original_url = models.URLField(max_length=1000, blank=True)
    content_hash = models.CharField(max_length=64)
    first_harvested_at = models.DateTimeField()
    last_harvested_at = models.DateTimeField()
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the record was no longer at the source")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "remote_id"], name="harvest_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.remote_id}"


class SourceAction(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CHANGED = "changed", _("Changed")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    RUN_REQUESTED = "run", _("Harvest asked for")


class HarvestSourceAuditEntry(models.Model):
    """Who registered, changed, paused, resumed or ran a source, and when. Written by
    sdg87.harvest.services only; the name is copied so the entry outlives the source."""

    source = models.ForeignKey(
        HarvestSource, on_delete=models.SET_NULL, null=True, related_name="audit_entries"
    )
    source_name = models.CharField(_("source"), max_length=200)
    action = models.CharField(_("action"), max_length=12, choices=SourceAction.choices)
    # {"field": [before, after]} for a change
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("harvest source change")
        verbose_name_plural = _("harvest source changes")

    def __str__(self) -> str:
        return f"{self.source_name}: {self.action}"
