"""Sourcing-list screenings: an uploaded list of (good, country) rows matched against the DOL
List of Goods (sdg87.supplychains.screening_services).

A screening is private. Until it is saved to an organisation it belongs to the browser
session (or, through the API, to whoever holds its `token`) and expires (`expires_at`); the
cleanup task deletes it with its rows. The uploaded file is kept only until it is read
(`upload` is emptied by the task). Once saved, only the organisation's members see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Screening")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScreeningChannel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")


class Screening(models.Model):
    token = models.CharField(max_length=64, unique=True, help_text="Unguessable id in URLs")
    channel = models.CharField(max_length=3, choices=ScreeningChannel.choices)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screenings",
        help_text="Saved to this organisation: visible to its members only",
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=4, blank=True)
    upload = models.BinaryField(blank=True, help_text="The file, until the task has read it")
    status = models.CharField(
        max_length=8, choices=ScreeningStatus.choices, default=ScreeningStatus.QUEUED
    )
    row_count = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="Why the file was refused")
    summary = models.JSONField(default=dict, blank=True)
    edition = models.CharField(max_length=40, blank=True, help_text="Latest edition used")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def progress_percent(self) -> int:
        if self.status == ScreeningStatus.DONE:
            return 100
        if not self.row_count:
            return 0
        return min(99, self.processed_rows * 100 // self.row_count)


class ScreeningRow(models.Model):
    """One row of the list as screened (sdg87.supplychains.matching codes)."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(help_text="Row in the file, the header being row 1")
    good_input = models.CharField(max_length=200, blank=True)
    country_input = models.CharField(max_length=200, blank=True)
    supplier = models.CharField(max_length=200, blank=True)
    volume = models.FloatField(null=True, blank=True)
    good = models.CharField(max_length=120, blank=True, help_text="DOL good name matched")
    good_rule = models.CharField(max_length=10, blank=True)
    good_score = models.FloatField(null=True, blank=True)
    iso3 = models.CharField(max_length=3, blank=True)
    country_name = models.CharField(max_length=200, blank=True)
    country_rule = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=16)
    reason = models.CharField(max_length=20, blank=True)
    child_labour = models.BooleanField(default=False)
    forced_labour = models.BooleanField(default=False)
    forced_child_labour = models.BooleanField(default=False)
    first_edition = models.CharField(max_length=40, blank=True)
    last_edition = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["screening_id", "row"]
        indexes = [models.Index(fields=["screening", "row"], name="screeningrow_row")]

    def __str__(self) -> str:
        return f"{self.good_input} / {self.country_input} (row {self.row})"

    @property
    def needs_confirmation(self) -> bool:
        return self.good_rule == "fuzzy"


class ScheduledRun(models.Model):
    """The pending run of a self-rescheduling task (one row per schedule, e.g. the hourly
    expiry of unsaved screenings): the task backend's id of the run enqueued last, so that
    asking for the schedule again enqueues nothing while that run waits or runs."""

    name = models.CharField(max_length=60, unique=True)
    task_id = models.CharField(max_length=64, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.task_id or '-'} after {self.run_after}"
