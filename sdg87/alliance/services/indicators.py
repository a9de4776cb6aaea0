"""Indicators linked to a roadmap action by the country's focal points: the statistical series
the action should move, with the national baseline and target the plan sets for it.

A link is proposed by a focal point of the action's country and reviewed by the secretariat,
like a status change (sdg87.alliance.services.roadmap):

    proposed --accept--> accepted (public once its action is public; the accountability view
        |                          draws the series' observations for the country against it)
        +----return----> returned (with the secretariat's note)

Bundled links (data/alliance87/roadmap_actions.csv) are loaded accepted and are never touched
here. Each service is one transaction: lock the row, check the permission (PermissionDenied,
before anything else), validate (`full_clean()`), save, write an AllianceAuditEntry and queue
the mail, sent after commit.
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.alliance import permissions
from sdg87.alliance.models import ActionIndicator, ChangeReview, RoadmapAction
from sdg87.alliance.services.audit import (
    audit_write,
    focal_point_emails,
    notify,
    plain_text,
    secretariat_emails,
)
from sdg87.alliance.services.roadmap import action_lock
from sdg87.core.actors import Actor, signed_in_user
from sdg87.indicators.models import Series

INDICATOR_LINK = "indicator_link"  # subject type of the audit entries
YEARS = (1950, 2100)  # plausible baseline and target years
_http_url = URLValidator(schemes=["http", "https"])


def _label(link: ActionIndicator) -> str:
    return f"{link.action.key}: {link.label[:120]}"


def _iso3(action: RoadmapAction) -> str:
    return str(action.plan.country.iso3 or action.plan.country.code)


def _year(value: int | None, field: str, errors: dict[str, list[str]]) -> int | None:
    if value is None:
        errors.setdefault(field, []).append(_("This field is required."))
        return None
    if not YEARS[0] <= value <= YEARS[1]:
        errors.setdefault(field, []).append(
            _("Give a year between %(first)d and %(last)d.") % {"first": YEARS[0], "last": YEARS[1]}
        )
    return value


def _number(value: float | None, field: str, errors: dict[str, list[str]]) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        errors.setdefault(field, []).append(_("Give a finite number."))
        return None
    return number


@transaction.atomic
def action_indicator_propose(
    *,
    actor: Actor,
    action: RoadmapAction,
    series: Series | None,
    baseline_year: int | None,
    baseline_value: float | None,
    target_year: int | None,
    target_value: float | None = None,
    target_text: str = "",
    label: str = "",
    source_url: str = "",
) -> ActionIndicator:
    """A focal point links a statistical series to an action, with the national baseline
    (value and year) and target (a year and a value, or the target in the plan's words); the
    secretariat accepts or returns it."""
    action = action_lock(action)
    if not permissions.can_link_indicator(actor, action):
        raise PermissionDenied(
            _("Only a focal point of this country can link indicators to its actions.")
        )
    errors: dict[str, list[str]] = {}
    if series is None:
        errors["series"] = [_("Choose the statistical series.")]
    elif (
        ActionIndicator.objects.filter(action=action, series=series)
        .exclude(review=ChangeReview.RETURNED)
        .exists()
    ):
        errors["series"] = [_("This series is already linked to the action (or proposed).")]
    b_year = _year(baseline_year, "baseline_year", errors)
    t_year = _year(target_year, "target_year", errors)
    b_value = _number(baseline_value, "baseline_value", errors)
    if baseline_value is None:
        errors.setdefault("baseline_value", []).append(_("This field is required."))
    t_value = _number(target_value, "target_value", errors)
    texts: dict[str, str] = {}
    for name, value, required in (("title", label, False), ("target_text", target_text, False)):
        try:
            texts[name] = plain_text(value, field=name, required=required)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            texts[name] = ""
    if t_value is None and not texts["target_text"] and "target_value" not in errors:
        errors["target_value"] = [_("Give the target as a number, or in the plan's words.")]
    if b_year and t_year and t_year <= b_year:
        errors.setdefault("target_year", []).append(_("The target year comes after the baseline."))
    url = (source_url or "").strip()
    if url:
        try:
            _http_url(url)
        except ValidationError:
            errors["source_url"] = [_("Enter a web address (http or https).")]
    if errors:
        raise ValidationError(errors)
    assert series is not None
    link = ActionIndicator(
        action=action,
        series=series,
        label=(texts["title"] or series.name)[:300],
        baseline_year=b_year,
        baseline_value=b_value,
        target_year=t_year,
        target_value=t_value,
        target_text=texts["target_text"],
        source_url=url,
        contributed=True,
        review=ChangeReview.PROPOSED,
        proposed_by=signed_in_user(actor),
        created_at=timezone.now(),
    )
    link.full_clean()
    link.save()
    audit_write(
        subject_type=INDICATOR_LINK,
        subject=link,
        country_id=action.plan.country_id,
        action="propose",
        actor=actor,
        to_status=link.review,
        message=f"{action.key}: {series.code} {b_value} ({b_year}) -> "
        f"{t_value if t_value is not None else texts['target_text']} ({t_year})",
    )
    notify(
        recipients=secretariat_emails(),
        subject=_("Indicator proposed for an action: %(title)s") % {"title": _label(link)},
        body=_("%(user)s linked a statistical series with a baseline and a target.")
        % {"user": actor},
        label=_label(link),
        iso3=_iso3(action),
    )
    return link


def _decide(
    *, actor: Actor, link: ActionIndicator, to: str, note: str, note_required: bool
) -> ActionIndicator:
    link = (
        ActionIndicator.objects.select_for_update(of=("self",))
        .select_related("action", "action__plan", "action__plan__country", "series")
        .get(pk=link.pk)
    )
    if not permissions.can_decide_indicator(actor, link):
        raise PermissionDenied(_("Only the secretariat decides on proposed indicator links."))
    text = plain_text(note, field="message", required=note_required)
    before = link.review
    link.review = to
    link.review_note = text
    link.decided_by = signed_in_user(actor)
    link.decided_at = timezone.now()
    link.full_clean()
    link.save()
    country_id = link.action.plan.country_id
    audit_write(
        subject_type=INDICATOR_LINK,
        subject=link,
        country_id=country_id,
        action="accept" if to == ChangeReview.ACCEPTED else "return",
        actor=actor,
        from_status=before,
        to_status=to,
        message=text,
    )
    subject = (
        _("Indicator link accepted: %(title)s")
        if to == ChangeReview.ACCEPTED
        else _("Indicator link returned: %(title)s")
    )
    notify(
        recipients=focal_point_emails(country_id=country_id),
        subject=subject % {"title": _label(link)},
        body=text,
        label=_label(link),
        iso3=_iso3(link.action),
    )
    return link


@transaction.atomic
def action_indicator_accept(
    *, actor: Actor, link: ActionIndicator, note: str = ""
) -> ActionIndicator:
    """Accept a proposed link: the action's public page draws the series against it."""
    return _decide(actor=actor, link=link, to=ChangeReview.ACCEPTED, note=note, note_required=False)


@transaction.atomic
def action_indicator_return(*, actor: Actor, link: ActionIndicator, note: str) -> ActionIndicator:
    """Return a proposed link to the country, saying why (a note is required)."""
    return _decide(actor=actor, link=link, to=ChangeReview.RETURNED, note=note, note_required=True)
