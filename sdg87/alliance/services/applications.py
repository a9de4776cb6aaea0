"""Applications to join the Alliance 8.7: an organisation applies through the public form, the
secretariat decides.

    (visitor) --submit--> pending --accept--> accepted (the organisation is a partner)
                             |
                             +----decline---> declined (with a note)

`application_submit` validates the input (plain text, lengths, a real e-mail address, a known
organisation type, public Action Groups only), is throttled per client address like the
publisher account requests (sdg87.orgs.services.account_requests: the same setting,
`SDG87_ACCOUNT_REQUEST_IP_LIMIT` per day, counted in its own scope), stores the application,
audits it (AllianceAuditEntry, subject_type "application") and queues two mails, sent after
commit: one to the secretariat, one acknowledging receipt to the applicant in the language of
the page they applied from.

`application_decide` is the secretariat's (sdg87.alliance.permissions.can_decide_application):
one transaction that locks the application, checks the permission and the state, and

- accept: creates the organisation, or links the one the secretariat chose, through
  sdg87.orgs.services.organisation_upsert with the Alliance role "partner" and the decision
  as its evidence. An organisation that already holds a verified role (a GCG member, an
  Action Group member) keeps it and its evidence: accepting an application never lowers a
  role. Fields a site admin corrected stay as corrected (organisation_upsert's rule).
- decline: needs a note saying why, which the applicant receives.

Either way the applicant is mailed in their language and the decision is audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sdg87.alliance import permissions
from sdg87.alliance.models import SHOWN, ActionGroup, ApplicationStatus, PartnerApplication
from sdg87.alliance.services.audit import audit_write, plain_text, secretariat_emails
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.client_ip import rate_subject
from sdg87.core.mail import mail_queue
from sdg87.core.ratelimit import Limit
from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs import selectors as org_selectors
from sdg87.orgs.models import Organisation, OrganisationType
from sdg87.orgs.services import organisation_upsert

APPLICATION = "application"  # AllianceAuditEntry.subject_type
PARTNER_ROLE = "partner"
DAY = 86400
ACCEPT, DECLINE = "accept", "decline"

# Longest accepted text per field (characters), as the model declares them.
LIMITS = {
    "organisation_name": 300,
    "contact_name": 200,
    "contact_email": 254,
    "website": 500,
    "motivation": 3000,
    "decision_note": 2000,
}


def _text(value: str, *, field: str, required: bool = True) -> str:
    """Plain text (no markup, no NUL) of at most LIMITS[field] characters."""
    text = (value or "").replace("\r\n", "\n").strip()
    limit = LIMITS[field]
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)d characters (this text has %(count)d).")
                % {"limit": limit, "count": len(text)}
            }
        )
    return plain_text(text, field=field, required=required)


def _email(value: str) -> str:
    address = (value or "").strip()
    if len(address) > LIMITS["contact_email"]:
        raise ValidationError({"contact_email": _("This e-mail address is too long.")})
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"contact_email": _("Enter a valid e-mail address.")}) from None
    return address


def _limit() -> Limit:
    return Limit(
        "partner-application-ip",
        settings.SDG87_ACCOUNT_REQUEST_IP_LIMIT,
        DAY,
        _("Too many applications from your network today. Please try again tomorrow."),
    )


def _recipients() -> list[str]:
    """The Alliance secretariat (the role); the platform's staff when nobody holds it yet."""
    return secretariat_emails() or sorted(set(org_selectors.secretariat_emails()))


def _detail_url(application: PartnerApplication) -> str:
    return reverse("partners:application_detail", kwargs={"pk": application.pk})


# --- applying ----------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    organisation_name: str,
    organisation_type: str,
    contact_name: str,
    contact_email: str,
    motivation: str,
    country: Geography | None = None,
    website: str = "",
    action_groups: Iterable[ActionGroup] = (),
    language: str = "",
    client_ip: str = "",
) -> PartnerApplication:
    """Store an application to join (see the module docstring). Invalid input raises
    ValidationError naming the field; too many applications from one address in a day raise
    ValidationError(code="throttled", params={"retry_after": seconds}) and store nothing."""
    if organisation_type not in OrganisationType.values:
        raise ValidationError({"organisation_type": _("Choose one of the types offered.")})
    if country is not None and country.kind != GeographyKind.COUNTRY:
        raise ValidationError({"country": _("Choose a country.")})
    groups = list(action_groups)
    public = set(
        ActionGroup.objects.filter(
            verification__in=SHOWN, pk__in=[g.pk for g in groups]
        ).values_list("pk", flat=True)
    )
    if any(g.pk not in public for g in groups):
        raise ValidationError({"action_groups": _("Choose among the Action Groups listed.")})
    application = PartnerApplication(
        organisation_name=_text(organisation_name, field="organisation_name"),
        organisation_type=organisation_type,
        country=country,
        website=_text(website, field="website", required=False),
        contact_name=_text(contact_name, field="contact_name"),
        contact_email=_email(contact_email),
        motivation=_text(motivation, field="motivation"),
        language=(language or translation.get_language() or settings.LANGUAGE_CODE)[:8],
    )
    application.full_clean()
    limit = _limit()
    subject = rate_subject(client_ip)
    if limit.exceeded(subject):
        raise ValidationError(
            str(limit.message), code="throttled", params={"retry_after": limit.retry_after()}
        )
    if limit.limit > 0:
        limit.hit(subject)
    application.save()
    application.action_groups.set(groups)
    audit_write(
        subject_type=APPLICATION,
        subject=application,
        country_id=application.country_id,
        action="submit",
        actor=None,
        to_status=ApplicationStatus.PENDING,
        message=application.organisation_name,
    )
    _mail_secretariat(application, groups)
    _mail_acknowledgement(application)
    return application


def _mail_secretariat(application: PartnerApplication, groups: list[ActionGroup]) -> None:
    url = _detail_url(application)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _(
                "%(name)s <%(email)s> applies for %(organisation)s (%(type)s) to join the "
                "Alliance 8.7."
            )
            % {
                "name": application.contact_name,
                "email": application.contact_email,
                "organisation": application.organisation_name,
                "type": OrganisationType(application.organisation_type).label,
            },
        ]
        if application.country is not None:
            lines.append(_("Country: %(country)s") % {"country": application.country.name_en})
        if application.website:
            lines.append(_("Website: %(url)s") % {"url": application.website})
        if groups:
            lines.append(
                _("Action Groups of interest: %(groups)s")
                % {"groups": ", ".join(g.name for g in groups)}
            )
        body = "\n".join(lines) + "\n\n" + application.motivation + "\n\n"
        body += _("Accept or decline it here: %(url)s") % {
            "url": settings.SITE_URL.rstrip("/") + url
        }
        mail_queue(
            recipients=_recipients(),
            subject=_("Application to join the Alliance 8.7: %(organisation)s")
            % {"organisation": application.organisation_name},
            body=body + "\n",
            object_label=application.organisation_name,
            object_url=url,
        )


def _mail_acknowledgement(application: PartnerApplication) -> None:
    with translation.override(application.language or settings.LANGUAGE_CODE):
        body = _(
            "Thank you for applying for %(organisation)s to join the Alliance 8.7. The "
            "Alliance 8.7 secretariat has received your application and will tell you its "
            "decision by e-mail."
        ) % {"organisation": application.organisation_name}
        mail_queue(
            recipients=[application.contact_email],
            subject=_("Your application to join the Alliance 8.7"),
            body=body + "\n",
            object_label=application.organisation_name,
        )


# --- deciding ----------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _evidence(application: PartnerApplication, *, on: str, note: str) -> str:
    """The role's evidence, stored in the platform's default language like the bundled ones."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Application to join the Alliance 8.7 accepted by the Alliance 8.7 secretariat on "
            "%(date)s."
        ) % {"date": on}
    return text + (" " + note if note else "")


def _accept(
    application: PartnerApplication, *, organisation: Organisation | None, note: str
) -> Organisation:
    on = timezone.localdate().isoformat()
    evidence = _evidence(application, on=on, note=note)
    if organisation is None:
        return organisation_upsert(
            slug=_unique_slug(application.organisation_name),
            name=application.organisation_name,
            type=application.organisation_type,
            country=application.country,
            website=application.website,
            alliance87_role=PARTNER_ROLE,
            alliance87_role_evidence=evidence,
            source_url=application.website,
        )
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    keeps_role = bool(org.alliance87_role)
    return organisation_upsert(
        slug=org.slug,
        name=org.name,
        type=org.type,
        acronym=org.acronym,
        country=org.country,
        website=org.website,
        description=org.description,
        alliance87_role=org.alliance87_role if keeps_role else PARTNER_ROLE,
        alliance87_role_evidence=org.alliance87_role_evidence if keeps_role else evidence,
        source_url=org.source_url,
    )


def _mail_decision(application: PartnerApplication) -> None:
    with translation.override(application.language or settings.LANGUAGE_CODE):
        if application.status == ApplicationStatus.ACCEPTED:
            subject = _("Welcome to the Alliance 8.7")
            body = _(
                "The Alliance 8.7 secretariat has accepted the application of %(organisation)s "
                "to join the Alliance 8.7. Your organisation is now listed among the partners: "
                "%(url)s"
            ) % {
                "organisation": application.organisation_name,
                "url": settings.SITE_URL.rstrip("/") + reverse("partners:index"),
            }
        else:
            subject = _("Your application to join the Alliance 8.7")
            body = _(
                "The Alliance 8.7 secretariat has not accepted the application of "
                "%(organisation)s to join the Alliance 8.7."
            ) % {"organisation": application.organisation_name}
        if application.decision_note:
            body += "\n\n" + application.decision_note
        mail_queue(
            recipients=[application.contact_email],
            subject=subject,
            body=body + "\n",
            organisation_id=application.organisation_id,
            object_label=application.organisation_name,
        )


@transaction.atomic
def application_decide(
    *,
    actor: Actor,
    application: PartnerApplication,
    decision: str,
    note: str = "",
    organisation: Organisation | None = None,
) -> PartnerApplication:
    """Accept or decline a pending application (see the module docstring). `organisation`:
    accept by linking this existing organisation instead of creating one. PermissionDenied for
    anyone but the secretariat (or a superuser); ValidationError for an unknown decision, an
    application already decided, a decline without a note or a note too long."""
    locked = PartnerApplication.objects.select_for_update().get(pk=application.pk)
    if not permissions.can_see_applications(actor):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat decides applications."))
    if decision not in {ACCEPT, DECLINE}:
        raise ValidationError({"decision": _("Choose to accept or to decline.")})
    if not permissions.can_decide_application(actor, locked):
        raise ValidationError(_("This application has already been decided."))
    clean_note = _text(note, field="decision_note", required=decision == DECLINE)
    before = locked.status
    if decision == ACCEPT:
        locked.organisation = _accept(locked, organisation=organisation, note=clean_note)
        locked.status = ApplicationStatus.ACCEPTED
    else:
        locked.status = ApplicationStatus.DECLINED
    locked.decision_note = clean_note
    locked.decided_by = signed_in_user(actor)
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save()
    audit_write(
        subject_type=APPLICATION,
        subject=locked,
        country_id=locked.country_id,
        action=decision,
        actor=actor,
        from_status=before,
        to_status=locked.status,
        message=clean_note,
    )
    _mail_decision(locked)
    return locked
