"""Organisations that publish data, and the people who act for them (Membership roles)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdg87.core.editor_owned import EditorOwnedMixin


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    UN_AGENCY = "un_agency", _("UN agency")
    WORKERS = "workers_organisation", _("Workers' organisation")
    EMPLOYERS = "employers_organisation", _("Employers' organisation")
    BUSINESS = "business", _("Business")
    NGO = "ngo", _("NGO / civil society")
    ACADEMIA = "academia", _("Academia and research")
    FOUNDATION = "foundation", _("Foundation")
    MULTI_STAKEHOLDER = "multi_stakeholder", _("Multi-stakeholder initiative")


ALLIANCE87_ROLES = {
    "gcg_member": _("Member of the Global Coordinating Group"),
    "action_group_member": _("Action Group member"),
    "partner": _("Partner"),
}


class Organisation(EditorOwnedMixin):
    """A data holder. `description` is HTML sanitised with nh3 by the services. The bundled
    list's loader creates organisations; site admins correct them (EDITOR_FIELDS, through
    orgs.services.organisation_update), and a later load keeps their corrections. The slug is
    not editable: it is the loader's key and the organisation's URL."""

    EDITOR_FIELDS = (
        "name",
        "acronym",
        "type",
        "country",
        "website",
        "logo",
        "description",
        "alliance87_role",
        "alliance87_role_evidence",
        "source_url",
    )

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = models.ForeignKey(
        "geo.Geography",
        verbose_name=_("country"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Headquarters country, where verified"),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    alliance87_role = models.CharField(
        _("Alliance 8.7 role"),
        max_length=40,
        blank=True,
        help_text=_("Only roles verified in a cited source are stored"),
    )
    alliance87_role_evidence = models.TextField(blank=True)
    source_url = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def alliance87_role_label(self) -> str:
        return str(ALLIANCE87_ROLES.get(self.alliance87_role, self.alliance87_role))

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Role(models.TextChoices):
    """Ordered from most to least powerful; see sdg87.catalog.permissions for what each may do."""

    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    CONTRIBUTOR = "contributor", _("Contributor")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.role})"


class MembershipAction(models.TextChoices):
    ADD = "add", _("Added")
    CHANGE = "change", _("Role changed")
    REMOVE = "remove", _("Removed")


class MembershipAuditEntry(models.Model):
    """Who gave whom which role in which organisation, and when. Written by
    sdg87.orgs.services only; the names are copied so the entry outlives the membership, the
    user and the organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_audit_entries",
    )
    organisation_slug = models.CharField(_("organisation"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("member"), max_length=150)
    action = models.CharField(_("action"), max_length=16, choices=MembershipAction.choices)
    from_role = models.CharField(_("from role"), max_length=16, blank=True, choices=Role.choices)
    to_role = models.CharField(_("to role"), max_length=16, blank=True, choices=Role.choices)
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
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self) -> str:
        return f"{self.organisation_slug}: {self.username} {self.action} by {self.actor}"
