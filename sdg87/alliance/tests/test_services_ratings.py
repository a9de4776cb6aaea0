"""Independent ratings: reviewers only, never a focal point of the country; every rating kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance import visibility
from sdg87.alliance.models import AllianceAuditEntry, Completion, Potential, RoleName
from sdg87.alliance.services import ratings, roles
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db


def _rate(actor: Any, action: Any, **extra: Any) -> Any:
    values = {
        "completion": Completion.LIMITED,
        "potential": Potential.MODEST,
        "reason": "Training began in 3 of 12 districts (inspectorate report, p. 4).",
    }
    values.update(extra)
    return ratings.rating_create(actor=actor, action=action, **values)


def test_each_rating_is_kept_and_the_latest_is_current(people: Any, bundled_action: Any) -> None:
    first = _rate(people["reviewer"], bundled_action)
    second = _rate(people["reviewer"], bundled_action, completion=Completion.SUBSTANTIAL)
    assert bundled_action.ratings.count() == 2
    assert ratings.rating_current(action=bundled_action) == second
    assert set(visibility.public_ratings().filter(action=bundled_action)) == {first, second}
    assert AllianceAuditEntry.objects.filter(subject_type="rating").count() == 2
    assert OutboundMail.objects.filter(recipient="fp_uga@example.org").count() == 2


def test_a_reason_is_required(people: Any, bundled_action: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _rate(people["reviewer"], bundled_action, reason="  ")
    assert "reason" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        _rate(people["reviewer"], bundled_action, potential="huge")
    assert "potential" in info.value.message_dict


def test_a_focal_point_of_the_country_never_rates_even_as_reviewer(
    people: Any, bundled_action: Any, uga: Any
) -> None:
    """Independence: the reviewer role does not let a country rate its own actions."""
    roles.alliance_role_grant(
        actor=None, user=people["reviewer"], role=RoleName.FOCAL_POINT, country=uga
    )
    with pytest.raises(PermissionDenied):
        _rate(people["reviewer"], bundled_action)
    with pytest.raises(PermissionDenied):
        _rate(people["focal_point"], bundled_action)


def test_a_focal_point_of_another_country_who_reviews_may_rate(
    people: Any, bundled_action: Any
) -> None:
    roles.alliance_role_grant(actor=None, user=people["other_focal_point"], role=RoleName.REVIEWER)
    assert (
        _rate(people["other_focal_point"], bundled_action).reviewer == people["other_focal_point"]
    )


def test_drafts_are_not_rated(people: Any, uga: Any) -> None:
    from sdg87.alliance.services import roadmap

    draft = roadmap.roadmap_action_create(
        actor=people["focal_point"], country=uga, priority_area="P", text="Draft action"
    )
    with pytest.raises(PermissionDenied):
        _rate(people["reviewer"], draft)
