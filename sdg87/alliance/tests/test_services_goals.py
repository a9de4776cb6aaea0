"""Publishing the GCG assessment: the secretariat (or a superuser) only, every goal's row as
computed then, audited, and kept as it was when the data or the goals change later."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance.models import (
    AllianceAuditEntry,
    AllianceRole,
    GCGMeeting,
    Goal,
    GoalAssessment,
    RoleName,
)
from sdg87.alliance.services.goals import goal_assessment_publish
from sdg87.geo.models import Geography
from sdg87.indicators.models import Release

GOAL = "sdg-8-7-end-child-labour-2025"


def _user(name: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(name, **extra)


def _secretariat():
    user = _user("secretariat")
    AllianceRole.objects.create(user=user, role=RoleName.SECRETARIAT)
    return user


@pytest.mark.django_db
def test_only_the_secretariat_or_a_superuser_publishes(bundled_data: None) -> None:
    reviewer = _user("reviewer")
    AllianceRole.objects.create(user=reviewer, role=RoleName.REVIEWER)
    focal = _user("focal")
    AllianceRole.objects.create(
        user=focal, role=RoleName.FOCAL_POINT, country=Geography.objects.get(iso3="UGA")
    )
    inactive = _user("gone", is_active=False)
    AllianceRole.objects.create(user=inactive, role=RoleName.SECRETARIAT)
    for actor in (None, AnonymousUser(), _user("plain"), reviewer, focal, inactive):
        with pytest.raises(PermissionDenied):
            goal_assessment_publish(actor=actor, meeting=None, as_of=date(2025, 6, 1))
    assert not GoalAssessment.objects.exists()
    admin = _user("root", is_superuser=True)
    assert goal_assessment_publish(actor=admin, meeting=None, as_of=date(2025, 6, 1)).pk


@pytest.mark.django_db
def test_publish_keeps_every_goal_row_and_is_audited(bundled_data: None) -> None:
    secretariat = _secretariat()
    meeting = GCGMeeting.objects.get(number=9)
    assessment = goal_assessment_publish(
        actor=secretariat, meeting=meeting, as_of=date(2021, 6, 10)
    )
    assert assessment.meeting == meeting and assessment.published_by == secretariat
    assert [r["goal"] for r in assessment.rows] == list(
        Goal.objects.order_by("target_date", "key").values_list("key", flat=True)
    )
    row = next(r for r in assessment.rows if r["goal"] == GOAL)
    assert row["status"] == "deterioration"
    assert row["current"]["value"] == pytest.approx(160.0)
    assert row["current"]["date"] == "2020-12-31"
    assert row["baseline"]["value"] == pytest.approx(151.6)
    entry = AllianceAuditEntry.objects.get(subject_type="goal_assessment")
    assert (entry.subject_id, entry.actor, entry.action) == (assessment.pk, secretariat, "publish")


@pytest.mark.django_db
def test_a_published_assessment_is_never_recomputed(bundled_data: None) -> None:
    """Changing the goal and the data afterwards leaves the published rows as they were."""
    assessment = goal_assessment_publish(
        actor=_secretariat(), meeting=None, as_of=date(2021, 6, 10)
    )
    kept = assessment.rows
    Goal.objects.filter(key=GOAL).update(target_value=100.0, title="Changed")
    Release.objects.filter(code="ilo-unicef-cl-ge-2021").update(is_public=False)
    assessment.refresh_from_db()
    assert assessment.rows == kept
    row = next(r for r in assessment.rows if r["goal"] == GOAL)
    assert row["target_value"] == 0.0 and row["title"] != "Changed"


@pytest.mark.django_db
def test_nothing_to_publish_without_goals(bundled_data: None) -> None:
    Goal.objects.all().delete()
    with pytest.raises(ValidationError):
        goal_assessment_publish(actor=_secretariat(), meeting=None, as_of=date(2025, 1, 1))
    assert not GoalAssessment.objects.exists()
