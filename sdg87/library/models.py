"""The knowledge library: publications (research, evaluations, lessons learned, guidance,
legal instruments ...), their authors, files, versions and audit, and the evidence codings
that make the "what works" map.

A publication follows the dataset's editorial model (sdg87.catalog, ADR 0004): `status` is
the review state of the working copy, `live` whether it is published; `publish_at` schedules
and `embargo_until` embargoes; every publication writes an immutable `PublicationVersion`.
Bundled rows marked `unverified` are loaded with `verified=False` and stay drafts: the review
workflow refuses to publish an unverified record. News and events are Wagtail pages
(sdg87.library.pages). See docs/adr/0010-knowledge-library.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.models import Licence, Status, Visibility
from sdg87.library.resource_types import ResourceType
from sdg87.library.vocabulary import Direction, Intervention, Outcome, StudyDesign

ORCID_RE = r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$"
DOI_RE = r"^10\.\d{4,9}/\S+$"


class Publication(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    resource_type = models.CharField(
        _("type"), max_length=40, choices=ResourceType.choices, db_index=True
    )
    publisher = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        help_text=_("The organisation that published it, and whose members maintain the record"),
    )
    publisher_name = models.CharField(
        _("publisher as printed"),
        max_length=500,
        blank=True,
        help_text=_("Several publishers are separated by semicolons"),
    )
    container_title = models.CharField(
        _("journal or series"),
        max_length=300,
        blank=True,
        help_text=_("With volume and pages where printed"),
    )
    issued = models.DateField(_("date of publication"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="en", db_index=True)
    work = models.SlugField(
        _("work"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Editions and translations of the same work share this key"),
    )
    geographies = models.ManyToManyField(
        "geo.Geography",
        verbose_name=_("countries and regions"),
        blank=True,
        related_name="publications",
    )
    themes = models.ManyToManyField(
        "catalog.Theme", verbose_name=_("themes"), blank=True, related_name="publications"
    )
    sdg_targets = models.JSONField(
        _("SDG targets"), default=list, blank=True, help_text=_('For example ["8.7", "16.2"]')
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        db_index=True,
        validators=[RegexValidator(DOI_RE, _("Enter a DOI such as 10.1000/xyz123."))],
    )
    isbns = models.JSONField("ISBN", default=list, blank=True)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    url = models.URLField(
        _("publisher's page"), max_length=1000, blank=True, help_text=_("The publisher's own page")
    )
    copy_url = models.URLField(
        _("copy found at"),
        max_length=1000,
        blank=True,
        help_text=_("A copy elsewhere (a mirror, a repository); never shown as the source"),
    )
    licence = models.CharField(_("licence"), max_length=40, choices=Licence.choices, blank=True)
    related_datasets = models.ManyToManyField(
        "catalog.Dataset", verbose_name=_("related datasets"), blank=True, related_name="+"
    )
    related_indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("related indicators"),
        blank=True,
        related_name="publications",
    )
    related_series = models.ManyToManyField(
        "indicators.Series", verbose_name=_("related series"), blank=True, related_name="+"
    )
    notes = models.TextField(_("editorial notes"), blank=True)
    source_urls = models.JSONField(
        _("sources read"),
        default=list,
        blank=True,
        help_text=_("Where the record's facts were read (provenance)"),
    )
    verified = models.BooleanField(
        _("verified"),
        default=True,
        help_text=_("Title, year and an author seen in a cited source; unverified never publish"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    live = models.BooleanField(default=False, db_index=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    embargo_until = models.DateTimeField(_("embargoed until"), null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    is_bundled = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["live", "-year"], name="library_pub_live_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        """The publisher's page, else the DOI's resolver; empty when neither is known."""
        if self.url:
            return self.url
        return f"https://doi.org/{self.doi}" if self.doi else ""


class Creator(models.Model):
    """An author: a person (family and given names, optional ORCID) or an organisation
    (`name`, and the `organisation` when it is one of the platform's)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="creators")
    position = models.PositiveSmallIntegerField(default=0)
    family = models.CharField(_("family name"), max_length=200, blank=True)
    given = models.CharField(_("given names"), max_length=200, blank=True)
    name = models.CharField(_("organisation name"), max_length=300, blank=True)
    orcid = models.CharField(
        "ORCID",
        max_length=19,
        blank=True,
        validators=[RegexValidator(ORCID_RE, _("Enter an ORCID iD such as 0000-0002-1825-0097."))],
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["publication", "position"]

    def __str__(self) -> str:
        if self.name:
            return self.name
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def is_organisation(self) -> bool:
        return bool(self.name) and not self.family


def publication_file_upload_to(instance: PublicationFile, filename: str) -> str:
    # The stored name never comes from the user: no path, no executable suffix.
    import uuid

    return f"library/{instance.publication.slug}/{uuid.uuid4().hex}.{instance.extension}"


class PublicationFile(models.Model):
    """A file of a publication (PDF or office format), type-sniffed on upload and served as
    an attachment with `X-Content-Type-Options: nosniff`."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(upload_to=publication_file_upload_to, max_length=300)
    original_filename = models.CharField(max_length=255, blank=True)
    extension = models.CharField(max_length=8)
    media_type = models.CharField(max_length=100)
    byte_size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    language = models.CharField(_("language"), max_length=8, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "position", "id"]

    def __str__(self) -> str:
        return self.title or self.original_filename


class PublicationVersion(models.Model):
    """An immutable snapshot written by every publication of the record."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict)

    class Meta:
        ordering = ["publication", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="publication_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication.slug} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Publication versions are immutable")
        super().save(*args, **kwargs)


class PublicationAuditEntry(models.Model):
    """Who changed a publication's editorial state, when, and why."""

    publication = models.ForeignKey(
        Publication, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    publication_slug = models.CharField(max_length=100)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("publication audit entry")
        verbose_name_plural = _("publication audit entries")

    def __str__(self) -> str:
        return f"{self.publication_slug}: {self.action} by {self.actor}"


class EvidenceCoding(models.Model):
    """What a study found: one intervention, one outcome, the design and the direction of the
    effect, with a short verbatim quote from the source read. A publication with a coding is a
    study on the evidence map."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="evidence")
    intervention = models.CharField(
        _("intervention"), max_length=60, choices=Intervention.choices, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=60, choices=Outcome.choices, db_index=True)
    design = models.CharField(_("study design"), max_length=30, choices=StudyDesign.choices)
    direction = models.CharField(_("direction of effect"), max_length=30, choices=Direction.choices)
    finding_quote = models.TextField(_("finding (quoted)"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["publication", "id"]
        verbose_name = _("evidence coding")
        verbose_name_plural = _("evidence codings")

    def __str__(self) -> str:
        return f"{self.publication.slug}: {self.intervention} → {self.outcome}"


class DeletedRecord(models.Model):
    """An OAI-PMH record that was public and is no longer (unpublished, withdrawn or deleted):
    harvesters are told it is deleted, for ever (`deletedRecord` = persistent)."""

    identifier = models.CharField(max_length=300, unique=True)
    datestamp = models.DateTimeField(db_index=True)
    sets = models.JSONField(default=list)

    class Meta:
        ordering = ["datestamp", "id"]

    def __str__(self) -> str:
        return self.identifier


# News and events are Wagtail pages (registered with the app through this import).
from sdg87.library.pages import EventIndexPage, EventPage, NewsIndexPage, NewsPage  # noqa: E402, F401
