"""The data directory: datasets (DCAT-AP 3 metadata), distributions, versions and audit.

Editorial state follows Wagtail's page model: `live` says whether the dataset has been
published (and not unpublished since); `status` is the review state of the working copy.
A live dataset can carry unpublished changes (new distributions with `published=False`,
possibly `replaces` a published one) that are held until the next publication, which retires
the replaced files (`retired_at`). See docs/adr/0004-dataset-review-workflow.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager


class Licence(models.TextChoices):
    CC_BY_4_0 = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_3_0_IGO = "CC-BY-3.0-IGO", _("Creative Commons Attribution 3.0 IGO")
    CC_BY_SA_4_0 = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC0_1_0 = "CC0-1.0", _("Creative Commons Zero 1.0 (public domain dedication)")
    ODBL_1_0 = "ODbL-1.0", _("Open Data Commons Open Database License 1.0")
    PDDL_1_0 = "PDDL-1.0", _("Open Data Commons Public Domain Dedication and License 1.0")
    PUBLIC_DOMAIN_US_GOV = "public-domain-us-gov", _("Public domain (US Government work)")
    OTHER_ATTRIBUTION = "other-attribution", _("Other (attribution required)")
    OTHER_CLOSED = "other-closed", _("Other (not open)")


LICENCE_URLS: dict[str, str] = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-3.0-IGO": "https://creativecommons.org/licenses/by/3.0/igo/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
    "public-domain-us-gov": "https://www.usa.gov/government-copyright",
}


class ThemeCode(models.TextChoices):
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    MODERN_SLAVERY = "modern_slavery", _("Modern slavery")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    FORCED_MARRIAGE = "forced_marriage", _("Forced and child marriage")
    SUPPLY_CHAINS = "supply_chains", _("Supply chains")
    MIGRATION = "migration", _("Migration")
    RULE_OF_LAW = "rule_of_law", _("Rule of law and governance")
    CONFLICT_HUMANITARIAN = "conflict_humanitarian", _("Conflict and humanitarian settings")
    EDUCATION = "education", _("Education")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    POPULATION = "population", _("Population")
    MEASUREMENT = "measurement", _("Measurement and statistics")


class Frequency(models.TextChoices):
    """EU 'frequency' authority table (DCAT-AP dct:accrualPeriodicity), lower-cased."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Annual")
    BIENNIAL = "biennial", _("Every two years")
    TRIENNIAL = "triennial", _("Every three years")
    QUADRENNIAL = "quadrennial", _("Every four years")
    QUINQUENNIAL = "quinquennial", _("Every five years")
    IRREGULAR = "irregular", _("Irregular")
    NEVER = "never", _("Never (not updated)")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    ORGANISATION = "organisation", _("Organisation members only")
    METADATA_ONLY = "metadata_only", _("Metadata public, data on request")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Theme(models.Model):
    """A theme (DCAT theme, CKAN group). Rows are created by a data migration from ThemeCode."""

    code = models.CharField(max_length=40, unique=True, choices=ThemeCode.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return str(ThemeCode(self.code).label) if self.code in ThemeCode.values else self.code


class Dataset(models.Model):
    slug = models.SlugField(
        _("name"), max_length=100, unique=True, help_text=_("URL name, e.g. 'child-labour-2024'")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Sanitised HTML"))
    publisher = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    contact_name = models.CharField(_("contact point"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=40, choices=Licence.choices, default=Licence.CC_BY_4_0
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="datasets"
    )
    keywords = TaggableManager(verbose_name=_("keywords"), blank=True)
    spatial = models.ManyToManyField(
        "geo.Geography",
        verbose_name=_("spatial coverage"),
        blank=True,
        related_name="datasets",
    )
    temporal_start = models.DateField(_("temporal coverage start"), null=True, blank=True)
    temporal_end = models.DateField(_("temporal coverage end"), null=True, blank=True)
    frequency = models.CharField(
        _("update frequency"), max_length=16, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    identifier = models.CharField(_("identifier"), max_length=300, blank=True)
    related_publications = models.TextField(
        _("related publications"), blank=True, help_text=_("One reference or URL per line")
    )
    related_series = models.ManyToManyField(
        "indicators.Series", verbose_name=_("related series"), blank=True, related_name="datasets"
    )
    release = models.ForeignKey(
        "indicators.Release",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
        help_text=_("The statistics release this dataset describes, if any"),
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text=_(
            "A newer edition of the same report or data. A superseded dataset is kept, marked "
            "'Superseded by …' and never counted as needing an update."
        ),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    live = models.BooleanField(
        default=False, db_index=True, help_text=_("Published and not withdrawn since")
    )
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Scheduled publication time")
    )
    # Personal or case-level data (issue 13): flagged at upload or by a reviewer, the dataset is
    # quarantined, seen by its organisation's editors only, until a disclosure-control review
    # releases a protected file (sdg87.disclosure); a new file puts it back in quarantine.
    sensitive = models.BooleanField(
        _("contains personal or case-level data"),
        default=False,
        help_text=_("Released only after a disclosure-control review"),
    )
    quarantined = models.BooleanField(
        _("in quarantine"),
        default=False,
        db_index=True,
        help_text=_("Hidden from everybody but the publisher's editors until a review passes"),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Data files are withheld from the public until this time"),
    )
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    data_updated_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the data last changed; drives freshness")
    )
    is_bundled = models.BooleanField(default=False, help_text=_("Created from bundled data"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        indexes = [models.Index(fields=["live", "visibility"], name="dataset_live_vis")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:dataset_detail", kwargs={"slug": self.slug})

    @property
    def data_updated_year_only(self) -> bool:
        """The data's update is known by its year only: a bundled release without a
        publication date is stored on 31 December of its year (services/bundled.py), a day
        nobody published on, so pages show the year."""
        release = self.release if self.release_id else None
        return bool(self.is_bundled and release is not None and release.released_on is None)

    def clean(self) -> None:
        # A chain may be long (2010 -> 2013 -> 2017) but never loops back. Read from the
        # database: the related objects in memory may be stale.
        seen = {self.pk}
        newer_id = self.superseded_by_id
        while newer_id is not None:
            if newer_id in seen:
                raise ValidationError(
                    {
                        "superseded_by": _(
                            "A dataset cannot be superseded by itself or by an older edition "
                            "of itself."
                        )
                    }
                )
            seen.add(newer_id)
            newer_id = (
                Dataset.objects.filter(pk=newer_id)
                .values_list("superseded_by_id", flat=True)
                .first()
            )

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")


_url_validator = URLValidator(schemes=["http", "https"])


def validate_link(value: str) -> None:
    """An absolute http(s) URL, or a path on this site (kept relative so that it follows the
    host and port the platform is served on)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    _url_validator(value)


def distribution_upload_to(instance: Distribution, filename: str) -> str:
    # The stored name never comes from the user: it cannot carry a path or an executable suffix.
    import uuid

    ext = {
        "CSV": "csv",
        "XLSX": "xlsx",
        "JSON": "json",
        "SDMX-CSV": "csv",
        "SDMX-JSON": "json",
        "SDMX-ML": "xml",
    }.get(instance.format, "bin")
    return f"catalog/{instance.dataset.slug}/{uuid.uuid4().hex}.{ext}"


class Distribution(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=distribution_upload_to, blank=True, max_length=300)
    original_filename = models.CharField(max_length=255, blank=True)
    url = models.CharField(
        _("URL"),
        max_length=1000,
        blank=True,
        validators=[validate_link],
        help_text=_("An http(s) address, or a path on this site such as /api/v1/observations?…"),
    )
    format = models.CharField(_("format"), max_length=20, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    byte_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    data_dictionary = models.JSONField(
        default=list, blank=True, help_text=_("[{name, type, description}] per column")
    )
    primary_key = models.CharField(
        max_length=200, blank=True, help_text=_("Column that identifies a row, for 'what changed'")
    )
    validation_report = models.JSONField(default=dict, blank=True)
    is_valid = models.BooleanField(null=True, blank=True)
    preview = models.JSONField(default=dict, blank=True, help_text=_("{header, rows} (first 20)"))
    row_count = models.PositiveIntegerField(null=True, blank=True)
    map_to_observations = models.BooleanField(
        default=False, help_text=_("Import this tidy CSV as observations when published")
    )
    observations_release = models.ForeignKey(
        "indicators.Release", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published = models.BooleanField(
        default=False, help_text=_("Part of the live dataset (False = held until next publish)")
    )
    # A new file for a published one is a new row pointing at it: the published row stays
    # online, unchanged, until the next publication retires it (published=False, retired_at
    # set, file kept as part of the old version). See services.distribution_upload.
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replacements",
        help_text=_("The published file this one replaces at the next publication"),
    )
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a publication replaced this file (kept as part of older versions)"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_tabular(self) -> bool:
        # SDMX data reads as a table of its observations (uploads.SDMX_TABLE_HEADER)
        tabular = {"CSV", "XLSX", "JSON", "SDMX-CSV", "SDMX-JSON", "SDMX-ML"}
        return self.format in tabular and bool(self.file)

    @property
    def is_validating(self) -> bool:
        """An uploaded file whose validation (in the task worker) has not finished."""
        return bool(self.file) and self.is_valid is None

    @property
    def is_pending(self) -> bool:
        """Part of the working copy only: held until the next publication."""
        return not self.published and self.retired_at is None


class DatasetVersion(models.Model):
    """An immutable snapshot written by every publication. Never updated after creation."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict)
    distributions = models.JSONField(
        default=list,
        help_text=_("[{id, title, format, sha256, byte_size, key_column, row_hashes}]"),
    )

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Dataset versions are immutable")
        super().save(*args, **kwargs)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    UPLOAD = "upload", _("File uploaded")
    SUBMIT = "submit", _("Submitted for review")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    APPROVE = "approve", _("Approved")
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Unpublished")
    DELETE = "delete", _("Deleted")
    ACCESS_REQUEST = "access_request", _("Access requested")
    QUARANTINE = "quarantine", _("Flagged as sensitive (quarantine)")
    RELEASE = "release", _("Released after disclosure review")
    ACCESS_GRANT = "access_grant", _("Access granted")
    ORIGINAL_DOWNLOAD = "original_download", _("Unprotected file downloaded")


class AuditEntry(models.Model):
    """Who changed a dataset's editorial state, when, and why."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    dataset_slug = models.CharField(max_length=100)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.dataset_slug}: {self.action} by {self.actor}"


class AccessRequest(models.Model):
    """A request for the data of a metadata-only dataset, sent to the publisher."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="access_requests")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    reason = models.TextField(_("intended use"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The unprotected file of a sensitive dataset (ADR 0014): terms accepted by the requester,
    # then granted by an editor of the publisher; every download is an audit entry.
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.dataset_id}"
