"""Indicator links of roadmap actions: proposed by the country's focal points with the
national baseline and target, accepted or returned by the secretariat, audited, and public
only once accepted (of a public action)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance import visibility
from sdg87.alliance.models import ActionIndicator, AllianceAuditEntry, ChangeReview
from sdg87.alliance.services import indicators
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.alliance.tests.indicator_fixtures import *  # noqa: F403
from sdg87.alliance.tests.indicator_fixtures import link_values
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db


def test_focal_point_proposes_and_secretariat_accepts(
    people: Any, bundled_action: Any, test_series: Any
) -> None:
    """A proposal is stored as given, audited, mailed to the secretariat, and public only
    after the secretariat accepts it."""
    link = indicators.action_indicator_propose(
        actor=people["focal_point"], action=bundled_action, **link_values(test_series)
    )
    assert link.review == ChangeReview.PROPOSED and link.contributed
    assert (link.baseline_year, link.baseline_value) == (2017, 15.0)
    assert (link.target_year, link.target_value) == (2030, 5.0)
    assert link.proposed_by == people["focal_point"]
    assert not visibility.public_action_indicators().filter(pk=link.pk).exists()
    entry = AllianceAuditEntry.objects.get(subject_type="indicator_link", action="propose")
    assert entry.actor == people["focal_point"] and "ZZ_CL_TEST" in entry.message
    assert OutboundMail.objects.filter(recipient="secretariat@example.org").exists()

    indicators.action_indicator_accept(actor=people["secretariat"], link=link, note="fine")
    link.refresh_from_db()
    assert link.review == ChangeReview.ACCEPTED and link.decided_by == people["secretariat"]
    assert visibility.public_action_indicators().filter(pk=link.pk).exists()
    assert AllianceAuditEntry.objects.filter(
        subject_type="indicator_link", subject_id=link.pk, action="accept"
    ).exists()


def test_return_needs_a_note_and_stays_private(
    people: Any, bundled_action: Any, test_series: Any
) -> None:
    link = indicators.action_indicator_propose(
        actor=people["focal_point"], action=bundled_action, **link_values(test_series)
    )
    with pytest.raises(ValidationError):
        indicators.action_indicator_return(actor=people["secretariat"], link=link, note="")
    indicators.action_indicator_return(
        actor=people["secretariat"], link=link, note="The baseline is from another survey."
    )
    link.refresh_from_db()
    assert link.review == ChangeReview.RETURNED
    assert link.review_note == "The baseline is from another survey."
    assert not visibility.public_action_indicators().filter(pk=link.pk).exists()
    # Returned: the same series may be proposed again.
    again = indicators.action_indicator_propose(
        actor=people["focal_point"], action=bundled_action, **link_values(test_series)
    )
    assert again.review == ChangeReview.PROPOSED


@pytest.mark.parametrize("role", ["other_focal_point", "reviewer", "secretariat", "anonymous"])
def test_only_the_countrys_focal_point_proposes(
    people: Any, bundled_action: Any, test_series: Any, role: str
) -> None:
    """Permission is checked before anything is validated or written."""
    with pytest.raises(PermissionDenied):
        indicators.action_indicator_propose(
            actor=people[role], action=bundled_action, **link_values(test_series, series=None)
        )
    assert not ActionIndicator.objects.filter(action=bundled_action).exists()
    assert not AllianceAuditEntry.objects.filter(subject_type="indicator_link").exists()


@pytest.mark.parametrize("role", ["focal_point", "other_focal_point", "reviewer"])
def test_only_the_secretariat_decides(
    people: Any, bundled_action: Any, test_series: Any, role: str
) -> None:
    link = indicators.action_indicator_propose(
        actor=people["focal_point"], action=bundled_action, **link_values(test_series)
    )
    with pytest.raises(PermissionDenied):
        indicators.action_indicator_accept(actor=people[role], link=link)
    link.refresh_from_db()
    assert link.review == ChangeReview.PROPOSED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"series": None}, "series"),
        ({"baseline_value": None}, "baseline_value"),
        ({"baseline_year": None}, "baseline_year"),
        ({"target_year": 1800}, "target_year"),
        ({"target_year": 2015}, "target_year"),
        ({"target_value": None, "target_text": ""}, "target_value"),
        ({"baseline_value": float("nan")}, "baseline_value"),
        ({"target_value": float("inf")}, "target_value"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"target_text": "<b>zero</b>"}, "target_text"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    people: Any, bundled_action: Any, test_series: Any, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        indicators.action_indicator_propose(
            actor=people["focal_point"],
            action=bundled_action,
            **link_values(test_series, **overrides),
        )
    assert field in caught.value.message_dict
    assert not ActionIndicator.objects.filter(action=bundled_action).exists()
    assert not AllianceAuditEntry.objects.filter(subject_type="indicator_link").exists()


def test_a_target_in_words_is_enough(people: Any, bundled_action: Any, test_series: Any) -> None:
    link = indicators.action_indicator_propose(
        actor=people["focal_point"],
        action=bundled_action,
        **link_values(test_series, target_value=None, target_text="eliminated"),
    )
    assert link.target_value is None and link.target_text == "eliminated"


def test_the_same_series_twice_is_refused(
    people: Any, bundled_action: Any, test_series: Any
) -> None:
    indicators.action_indicator_propose(
        actor=people["focal_point"], action=bundled_action, **link_values(test_series)
    )
    with pytest.raises(ValidationError) as caught:
        indicators.action_indicator_propose(
            actor=people["focal_point"], action=bundled_action, **link_values(test_series)
        )
    assert "series" in caught.value.message_dict
    assert ActionIndicator.objects.filter(action=bundled_action).count() == 1
