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
    REQUEST = "request", _("Account requested")
    APPROVE = "approve", _("Account request approved")
    REFUSE = "refuse", _("Account request refused")


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
    # Empty for a request that proposes a new organisation (its name is in `note`).
    organisation_slug = models.CharField(_("organisation"), max_length=80, blank=True)
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
    account_request = models.ForeignKey(
        "AccountRequest",
        verbose_name=_("account request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self) -> str:
        return f"{self.organisation_slug}: {self.username} {self.action} by {self.actor}"


class AccountRequest(models.Model):
    """A visitor's request for a publisher account: who they are, for which organisation (an
    existing one, or a new one they propose) and which role. Written by
    sdg87.orgs.services.account_requests only; decided by the organisation's administrators or
    the secretariat (staff), see sdg87.orgs.permissions.

        pending --approve--> approved   (user and membership created, set-password e-mail)
        pending --refuse---> refused    (the requester is told)
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    # The roles a visitor may ask for (Role.MEMBER gives no publishing rights).
    REQUESTABLE_ROLES = (Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN)

    name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_requests",
    )
    proposed_organisation = models.CharField(
        _("new organisation's name"), max_length=300, blank=True
    )
    proposed_organisation_type = models.CharField(
        _("new organisation's type"), max_length=32, choices=OrganisationType.choices, blank=True
    )
    proposed_organisation_website = models.URLField(
        _("new organisation's website"), max_length=500, blank=True
    )
    position = models.CharField(_("your position"), max_length=200, blank=True)
    role = models.CharField(
        _("role requested"),
        max_length=16,
        choices=[(role.value, role.label) for role in REQUESTABLE_ROLES],
        default=Role.CONTRIBUTOR,
    )
    reason = models.TextField(_("why you need an account"), max_length=2000)
    language = models.CharField(max_length=8, blank=True)  # of the requester's e-mails
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("note to the requester"), blank=True, max_length=2000)
    granted_role = models.CharField(_("role granted"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        constraints = [
            models.CheckConstraint(
                # A proposal names no organisation until it is approved (which creates it).
                condition=(
                    models.Q(proposed_organisation="")
                    | models.Q(organisation__isnull=True)
                    | ~models.Q(status="pending")
                ),
                name="account_request_one_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.organisation_label} ({self.status})"

    @property
    def organisation_label(self) -> str:
        if self.organisation is not None:
            return self.organisation.display_name
        return self.proposed_organisation

    @property
    def proposes_organisation(self) -> bool:
        """Asked for a new organisation (created when the request was approved)."""
        return bool(self.proposed_organisation)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organisation_id is None and not self.proposed_organisation.strip():
            raise ValidationError(
                {"organisation": _("Pick your organisation, or give the name of a new one.")}
            )
        if (
            self.organisation_id is not None
            and self.proposed_organisation.strip()
            and self.status == self.Status.PENDING
        ):
            raise ValidationError(
                {
                    "proposed_organisation": _(
                        "Either pick your organisation from the list or propose a new one, "
                        "not both."
                    )
                }
            )
        if self.organisation_id is None and not self.proposed_organisation_type:
            raise ValidationError(
                {"proposed_organisation_type": _("Say what kind of organisation it is.")}
            )
