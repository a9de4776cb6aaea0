"""Publishing the Global Coordinating Group's assessment of its goals.

After a meeting the secretariat publishes the assessment of every goal at a date: each goal's
row as computed then from live data (sdg87.alliance.gcg_selectors) is written into one
GoalAssessment and kept as it was; later data never changes a published assessment (the page
shows the live computation beside it). No service edits or deletes an assessment.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.alliance import gcg_selectors
from sdg87.alliance.models import (
    AllianceAuditEntry,
    AllianceRole,
    GCGMeeting,
    GoalAssessment,
    RoleName,
)
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.cache import data_version_bump

GOAL_ASSESSMENT = "goal_assessment"


def can_publish_assessment(*, actor: Actor | None) -> bool:
    user = signed_in_user(actor)
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return AllianceRole.objects.filter(user=user, role=RoleName.SECRETARIAT).exists()


@transaction.atomic
def goal_assessment_publish(
    *, actor: Actor | None, meeting: GCGMeeting | None, as_of: date
) -> GoalAssessment:
    """Compute every goal at `as_of` and keep the rows as a dated assessment, attached to the
    meeting after which it is published. Only the secretariat (or a superuser) publishes."""
    if not can_publish_assessment(actor=actor):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat publishes assessments."))
    user = signed_in_user(actor)
    rows = [row.as_json() for row in gcg_selectors.goal_rows(as_of=as_of)]
    if not rows:
        raise ValidationError(_("There is no goal to assess."))
    assessment = GoalAssessment(meeting=meeting, as_of=as_of, published_by=user, rows=rows)
    assessment.full_clean()
    assessment.save()
    AllianceAuditEntry.objects.create(
        subject_type=GOAL_ASSESSMENT,
        subject_id=assessment.pk,
        action="publish",
        to_status="published",
        actor=user,
        message=_("Assessment of %(count)s goals as of %(date)s")
        % {"count": len(rows), "date": as_of.isoformat()},
    )
    data_version_bump()
    return assessment
