from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataLoad(models.Model):
    """Record of a bundled-data load step, so `load-data` can skip what is already loaded."""

    key = models.CharField(max_length=100, unique=True)
    checksum = models.CharField(max_length=64, help_text="sha256 over the step's input files")
    rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.rows} rows)"


class OutboundMail(models.Model):
    """One notification e-mail to one person, written in the transaction of the change it
    reports and sent afterwards by the task worker (sdg87.core.mail), so that a mail server
    that is down never undoes or breaks the change. Failures stay here for editors to see."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    # Whose editors may see and retry this mail (None: superusers only).
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_label = models.CharField(_("about"), max_length=255, blank=True)
    object_url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="core_mail_org_status")]
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject} ({self.status})"


class TranslationOrigin(models.TextChoices):
    """Who wrote a translation: the publisher of the English text (an official version, cited)
    or this platform's editors (shown to visitors as an editorial translation)."""

    PUBLISHER = "publisher", _("Publisher's version")
    EDITORIAL = "editorial", _("Editorial translation")


class Translation(models.Model):
    """One field of one row (or one term of a vocabulary) in one language: ADR 0008.

    Object rows name a model row by content type and id and a field of it
    (`core.translations.registry` says which fields may be translated). Term rows
    (content type empty) translate a term of a vocabulary shared by many rows, e.g. the name of
    a good in the US Department of Labor list (`field` = vocabulary, `term` = the English key).
    `source_text` is the English the translation was made from: when the English changes, the
    translation is out of date and pages fall back to the English (core.translations.selectors).
    Written only by core.translations.services, which check permission and audit."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("content type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    field = models.CharField(_("field or vocabulary"), max_length=64)
    term = models.CharField(
        _("term"), max_length=200, blank=True, help_text=_("Vocabulary rows only: the English term")
    )
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("translation"))
    source_text = models.TextField(
        _("English text translated"),
        blank=True,
        help_text=_("The English this translation was made from"),
    )
    origin = models.CharField(_("origin"), max_length=10, choices=TranslationOrigin.choices)
    citation = models.CharField(
        _("citation"),
        max_length=300,
        blank=True,
        help_text=_("The publisher's document this translation is quoted from"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for translations loaded from data/translations"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["field", "term", "object_id", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                condition=models.Q(content_type__isnull=False),
                name="core_translation_object_unique",
            ),
            models.UniqueConstraint(
                fields=["field", "term", "language"],
                condition=models.Q(content_type__isnull=True),
                name="core_translation_term_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(content_type__isnull=False, object_id__isnull=False, term="")
                    | (
                        models.Q(content_type__isnull=True, object_id__isnull=True)
                        & ~models.Q(term="")
                    )
                ),
                name="core_translation_object_or_term",
            ),
            models.CheckConstraint(
                condition=~models.Q(origin="publisher") | ~models.Q(citation=""),
                name="core_translation_publisher_cited",
            ),
        ]

    def __str__(self) -> str:
        target = self.term or str(self.content_object or f"#{self.object_id}")
        return f"{target[:80]} · {self.field} [{self.language}]"


class TranslationAuditEntry(models.Model):
    """Who set or cleared which translation, from what to what, and when. Written by
    core.translations.services only; the target is copied as text so that the entry outlives
    the row it describes."""

    class Action(models.TextChoices):
        SET = "set", _("Set")
        CLEAR = "clear", _("Cleared")

    target = models.CharField(_("translated"), max_length=300)
    field = models.CharField(_("field or vocabulary"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    origin = models.CharField(_("origin"), max_length=10, blank=True)
    old_text = models.TextField(_("before"), blank=True)
    new_text = models.TextField(_("after"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for changes made by the system (data loading, command line)"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("translation change")
        verbose_name_plural = _("translation changes")

    def __str__(self) -> str:
        return f"{self.target} {self.field} [{self.language}] {self.action} by {self.actor}"
