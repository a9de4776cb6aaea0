"""Granting and revoking Alliance roles: a focal point for one country, a reviewer, the
secretariat.

The secretariat (or a superuser) grants and revokes roles on the site; the command line
(`manage.py alliance_role`) acts as the system (`actor=None`), which is how the first
secretariat member and focal points are made. Every change writes an AllianceAuditEntry and
tells the person concerned by mail (after commit).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sdg87.alliance import permissions
from sdg87.alliance.models import AllianceRole, RoleName
from sdg87.alliance.services.audit import ROLE, audit_write, notify
from sdg87.core.actors import Actor
from sdg87.geo.models import Geography, GeographyKind


def _allowed(actor: Actor | None) -> None:
    # None is the system (the command line); anybody else needs the secretariat's powers.
    if actor is not None and not permissions.can_manage_roles(actor):
        raise PermissionDenied(_("Only the secretariat grants and revokes Alliance roles."))


def _check(role: str, country: Geography | None) -> None:
    if role not in RoleName.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == RoleName.FOCAL_POINT:
        if country is None:
            raise ValidationError({"country": _("A focal point is named for one country.")})
        if country.kind != GeographyKind.COUNTRY:
            raise ValidationError({"country": _("A focal point is named for a country.")})
    elif country is not None:
        raise ValidationError({"country": _("Only focal points hold their role for one country.")})


def _describe(role: str, country: Geography | None) -> str:
    label = str(RoleName(role).label)
    if country is not None:
        return f"{label} ({country.iso3 or country.code})"
    return label


@transaction.atomic
def alliance_role_grant(
    *, actor: Actor | None, user: User, role: str, country: Geography | None = None
) -> AllianceRole:
    """Give `user` the role (for `country` when a focal point); granting a role already held
    changes nothing and returns the existing row."""
    _allowed(actor)
    _check(role, country)
    # Lock the user's row so that two grants of the same role cannot race.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = AllianceRole.objects.filter(user=user, role=role, country=country).first()
    if existing is not None:
        return existing
    row = AllianceRole(user=user, role=role, country=country)
    row.full_clean()
    row.save()
    audit_write(
        subject_type=ROLE,
        subject=row,
        country_id=country.pk if country else None,
        action="grant",
        actor=actor,
        message=f"{user.get_username()}: {_describe(role, country)}",
    )
    permissions.user_alliance_roles_forget(user)
    if user.email:
        notify(
            recipients=[user.email],
            subject=_("You are now %(role)s on the SDG 8.7 platform")
            % {"role": _describe(role, country)},
            body=_("Sign in to see what you can do: the pages for your role are listed there."),
            label=_describe(role, country),
            iso3=(country.iso3 or "") if country else "",
        )
    return row


@transaction.atomic
def alliance_role_revoke(
    *, actor: Actor | None, user: User, role: str, country: Geography | None = None
) -> bool:
    """Take the role away; returns False when the user did not hold it."""
    _allowed(actor)
    _check(role, country)
    row = (
        AllianceRole.objects.select_for_update()
        .filter(user=user, role=role, country=country)
        .first()
    )
    if row is None:
        return False
    audit_write(
        subject_type=ROLE,
        subject=row,
        country_id=country.pk if country else None,
        action="revoke",
        actor=actor,
        message=f"{user.get_username()}: {_describe(role, country)}",
    )
    row.delete()
    permissions.user_alliance_roles_forget(user)
    return True


def alliance_role_list(*, country: Geography | None = None) -> QuerySet[AllianceRole]:
    """Who holds which role (optionally: the focal points of one country)."""
    rows = AllianceRole.objects.select_related("user", "country").order_by(
        "role", "country__iso3", "user__username"
    )
    if country is not None:
        rows = rows.filter(country=country)
    return rows
