"""The roadmap services: contributed actions through review, status changes with evidence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sdg87.alliance import visibility
from sdg87.alliance.models import (
    AllianceAuditEntry,
    ChangeReview,
    Completion,
    Funding,
    ReviewStatus,
    RoadmapAction,
    Verification,
)
from sdg87.alliance.services import roadmap
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db


def _create(people: dict[str, Any], uga: Any, **extra: Any) -> RoadmapAction:
    values: dict[str, Any] = {
        "priority_area": "Prevention",
        "text": "Train 200 district labour officers",
        "timeline": "2025-2026",
    }
    values.update(extra)
    return roadmap.roadmap_action_create(actor=people["focal_point"], country=uga, **values)


def test_create_makes_a_contributed_draft_keyed_by_country(people: Any, uga: Any) -> None:
    """A new action is a draft, `contributed`, keyed <iso3>-p<id>, not public, audited."""
    action = _create(
        people,
        uga,
        budget_amount=Decimal("150000"),
        budget_currency="ugx",
        funding=Funding.PARTLY,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 6, 30),
    )
    assert action.key == f"uga-p{action.pk}"
    assert action.verification == Verification.CONTRIBUTED
    assert action.status == ReviewStatus.DRAFT and not action.live
    assert action.budget_currency == "UGX"
    assert action.created_by == people["focal_point"]
    assert action.plan.country == uga
    assert not visibility.public_actions().filter(pk=action.pk).exists()
    entry = AllianceAuditEntry.objects.get(subject_type="action", subject_id=action.pk)
    assert (entry.action, entry.to_status, entry.actor) == ("create", "draft", action.created_by)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "<b>bold</b> claim"),
        ("text", "see <a href='x'>here</a>"),
        ("text", "x" * 4001),
        ("text", "   "),
        ("priority_area", ""),
        ("budget_currency", "US"),
        ("source_url", "javascript:alert(1)"),
    ],
)
def test_create_refuses_bad_text(people: Any, uga: Any, field: str, value: str) -> None:
    """Plain text only, bounded lengths, required fields, real currency codes and web links."""
    with pytest.raises(ValidationError) as info:
        _create(people, uga, **{field: value})
    assert field in info.value.message_dict
    assert not RoadmapAction.objects.filter(verification=Verification.CONTRIBUTED).exists()


def test_create_keeps_plain_text_with_angle_brackets_in_words(people: Any, uga: Any) -> None:
    """Comparisons written in words are plain text, not markup."""
    action = _create(people, uga, text="Cut child labour to < 5% by 2030 and > 90% enrolment")
    assert "< 5%" in action.text


def test_end_before_start_is_refused(people: Any, uga: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _create(people, uga, start_date=date(2026, 1, 1), end_date=date(2025, 1, 1))
    assert "end_date" in info.value.message_dict


def test_review_cycle_publish_and_request_changes(people: Any, uga: Any) -> None:
    """draft -> submitted -> changes_requested -> submitted -> published (live); mail goes
    to the secretariat on submission and to the focal points on each decision."""
    action = _create(people, uga)
    roadmap.roadmap_action_submit(actor=people["focal_point"], action=action, message="please")
    assert OutboundMail.objects.filter(recipient="secretariat@example.org").count() == 1
    with pytest.raises(ValidationError):  # saying what to change is required
        roadmap.roadmap_action_request_changes(
            actor=people["secretariat"], action=action, message=" "
        )
    action = roadmap.roadmap_action_request_changes(
        actor=people["secretariat"], action=action, message="Name the ministry."
    )
    assert action.status == ReviewStatus.CHANGES_REQUESTED
    roadmap.roadmap_action_update(
        actor=people["focal_point"], action=action, data={"responsible_body": "MGLSD"}
    )
    roadmap.roadmap_action_submit(actor=people["focal_point"], action=action)
    action = roadmap.roadmap_action_publish(actor=people["secretariat"], action=action)
    assert action.status == ReviewStatus.PUBLISHED and action.live
    assert visibility.public_actions().filter(pk=action.pk).exists()
    to_fp = OutboundMail.objects.filter(recipient="fp_uga@example.org")
    assert to_fp.count() == 2  # changes requested, published
    assert not OutboundMail.objects.filter(recipient="fp_ken@example.org").exists()
    actions = list(
        AllianceAuditEntry.objects.filter(subject_type="action", subject_id=action.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "request_changes", "edit", "submit", "publish"]


def test_published_action_cannot_be_edited_or_resubmitted(people: Any, uga: Any) -> None:
    action = _create(people, uga)
    roadmap.roadmap_action_submit(actor=people["focal_point"], action=action)
    roadmap.roadmap_action_publish(actor=people["secretariat"], action=action)
    with pytest.raises(PermissionDenied):
        roadmap.roadmap_action_update(
            actor=people["focal_point"], action=action, data={"text": "changed"}
        )
    with pytest.raises(PermissionDenied):
        roadmap.roadmap_action_submit(actor=people["focal_point"], action=action)


def test_withdrawal(people: Any, uga: Any) -> None:
    """The focal point withdraws an unpublished action; only the secretariat a published one."""
    draft = _create(people, uga)
    draft = roadmap.roadmap_action_withdraw(actor=people["focal_point"], action=draft)
    assert draft.status == ReviewStatus.WITHDRAWN and not draft.live
    live = _create(people, uga, text="Another action")
    roadmap.roadmap_action_submit(actor=people["focal_point"], action=live)
    roadmap.roadmap_action_publish(actor=people["secretariat"], action=live)
    with pytest.raises(PermissionDenied):
        roadmap.roadmap_action_withdraw(actor=people["focal_point"], action=live)
    live = roadmap.roadmap_action_withdraw(
        actor=people["secretariat"], action=live, message="duplicate"
    )
    assert not live.live
    assert not visibility.public_actions().filter(pk=live.pk).exists()


def test_bundled_actions_are_not_edited_or_withdrawn(people: Any, bundled_action: Any) -> None:
    with pytest.raises(PermissionDenied):
        roadmap.roadmap_action_update(
            actor=people["focal_point"], action=bundled_action, data={"text": "x"}
        )
    with pytest.raises(PermissionDenied):
        roadmap.roadmap_action_withdraw(actor=people["secretariat"], action=bundled_action)


def test_status_change_accepted_joins_the_public_history(people: Any, bundled_action: Any) -> None:
    """A proposed change is not public; once accepted it is, with its evidence and decider."""
    change = roadmap.status_change_propose(
        actor=people["focal_point"],
        action=bundled_action,
        completion=Completion.SUBSTANTIAL,
        as_of=date(2025, 3, 31),
        evidence="Inspectorate annual report: 140 of 200 officers trained.",
        evidence_url="https://example.org/report.pdf",
    )
    assert change.review == ChangeReview.PROPOSED
    assert not visibility.public_status_changes().filter(pk=change.pk).exists()
    assert OutboundMail.objects.filter(recipient="secretariat@example.org").exists()
    change = roadmap.status_change_accept(actor=people["secretariat"], change=change)
    assert change.review == ChangeReview.ACCEPTED
    assert change.decided_by == people["secretariat"] and change.decided_at is not None
    assert visibility.public_status_changes().filter(pk=change.pk).exists()
    with pytest.raises(PermissionDenied):  # decided once
        roadmap.status_change_return(actor=people["secretariat"], change=change, note="no")


def test_status_change_returned_needs_a_note(people: Any, bundled_action: Any) -> None:
    change = roadmap.status_change_propose(
        actor=people["focal_point"],
        action=bundled_action,
        completion=Completion.COMPLETE,
        as_of=date(2025, 3, 31),
        evidence="Done.",
    )
    with pytest.raises(ValidationError):
        roadmap.status_change_return(actor=people["secretariat"], change=change, note="")
    change = roadmap.status_change_return(
        actor=people["secretariat"], change=change, note="Link the report."
    )
    assert change.review == ChangeReview.RETURNED and change.review_note == "Link the report."
    assert OutboundMail.objects.filter(
        recipient="fp_uga@example.org", subject__contains="returned"
    ).exists()
    assert not visibility.public_status_changes().filter(pk=change.pk).exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("evidence_url", {"evidence_url": "ftp://example.org/x"}),
        ("evidence_url", {"evidence_url": "not a link"}),
        ("evidence", {"evidence": ""}),
        ("evidence", {"evidence": "<script>x</script>"}),
        ("completion", {"completion": "half"}),
        ("as_of", {"as_of": timezone.localdate() + timedelta(days=2)}),
    ],
)
def test_status_change_validation(
    people: Any, bundled_action: Any, field: str, kwargs: dict[str, Any]
) -> None:
    values: dict[str, Any] = {
        "completion": Completion.LIMITED,
        "as_of": date(2025, 1, 1),
        "evidence": "Report",
    }
    values.update(kwargs)
    with pytest.raises(ValidationError) as info:
        roadmap.status_change_propose(actor=people["focal_point"], action=bundled_action, **values)
    assert field in info.value.message_dict


def test_other_country_focal_point_cannot_touch_uganda(people: Any, bundled_action: Any) -> None:
    with pytest.raises(PermissionDenied):
        roadmap.status_change_propose(
            actor=people["other_focal_point"],
            action=bundled_action,
            completion=Completion.COMPLETE,
            as_of=date(2025, 1, 1),
            evidence="x",
        )
    assert not AllianceAuditEntry.objects.filter(subject_type="status_change").exists()
