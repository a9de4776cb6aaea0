"""Independent ratings of roadmap actions.

A reviewer rates a public action's completion (the OGP scale) and its potential for results,
with a reason. Ratings are never edited or merged with the country's self-report: each rating
is a new row, kept, and the latest is the current one (`rating_current`). A focal point of the
action's country never rates it (sdg87.alliance.permissions). A rating is public with its
action at once (the reviewer's own assessment; the country may answer it with a reply).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.alliance import permissions
from sdg87.alliance.models import Completion, Potential, Rating, RoadmapAction
from sdg87.alliance.services.audit import (
    RATING,
    audit_write,
    focal_point_emails,
    notify,
    plain_text,
)
from sdg87.alliance.services.roadmap import action_lock
from sdg87.core.actors import Actor, signed_in_user


@transaction.atomic
def rating_create(
    *, actor: Actor, action: RoadmapAction, completion: str, potential: str, reason: str
) -> Rating:
    """Record a reviewer's rating of the action (the latest rating becomes the current one) and
    tell the country's focal points, who may reply to it."""
    action = action_lock(action)
    if not permissions.can_rate_action(actor, action):
        raise PermissionDenied(
            _("Only an independent reviewer rates public actions, never for their own country.")
        )
    reviewer = signed_in_user(actor)
    if reviewer is None:  # can_rate_action already refuses anonymous callers
        raise PermissionDenied(_("Sign in to rate."))
    errors: dict[str, list[str]] = {}
    if completion not in Completion.values:
        errors["completion"] = [_("Choose a level of completion.")]
    if potential not in Potential.values:
        errors["potential"] = [_("Choose a potential for results.")]
    try:
        text = plain_text(reason, field="reason")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        text = ""
    if errors:
        raise ValidationError(errors)
    rating = Rating(
        action=action, completion=completion, potential=potential, reason=text, reviewer=reviewer
    )
    rating.full_clean()
    rating.save()
    country_id = action.plan.country_id
    audit_write(
        subject_type=RATING,
        subject=rating,
        country_id=country_id,
        action="rate",
        actor=actor,
        message=f"{action.key}: {completion}/{potential}",
    )
    label = f"{action.key}: {action.text[:120]}"
    notify(
        recipients=focal_point_emails(country_id=country_id),
        subject=_("An independent reviewer rated: %(title)s") % {"title": label},
        body=_(
            "Completion: %(completion)s. Potential for results: %(potential)s.\n%(reason)s\n\n"
            "The country may publish a reply to this rating."
        )
        % {
            "completion": rating.get_completion_display(),
            "potential": rating.get_potential_display(),
            "reason": text,
        },
        label=label,
        iso3=str(action.plan.country.iso3 or action.plan.country.code),
    )
    return rating


def rating_current(*, action: RoadmapAction) -> Rating | None:
    """The latest rating of the action (None: not rated)."""
    return action.ratings.order_by("-rated_at", "-id").first()
