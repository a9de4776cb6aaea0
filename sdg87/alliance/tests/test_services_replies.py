"""The right of reply: focal points write, the secretariat reviews the form, every
publication is dated and kept as a version."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.alliance import visibility
from sdg87.alliance.models import AllianceAuditEntry, ReplySubject, ReviewStatus
from sdg87.alliance.services import ratings, replies
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db

TEXT = "The Government of Uganda notes the 2024 tier placement and responds as follows."


def _draft(people: Any, uga: Any, **extra: Any) -> Any:
    values: dict[str, Any] = {
        "subject": ReplySubject.TIP_TIER,
        "subject_ref": "2024",
        "title": "Response to the 2024 TIP Report",
        "text": TEXT,
    }
    values.update(extra)
    return replies.reply_create(actor=people["focal_point"], country=uga, **values)


def test_draft_submit_publish_writes_a_dated_version(people: Any, uga: Any) -> None:
    reply = _draft(people, uga)
    assert not visibility.public_replies().filter(pk=reply.pk).exists()
    replies.reply_submit(actor=people["focal_point"], reply=reply)
    assert OutboundMail.objects.filter(recipient="secretariat@example.org").exists()
    version = replies.reply_publish(actor=people["secretariat"], reply=reply)
    reply.refresh_from_db()
    assert reply.live and reply.status == ReviewStatus.PUBLISHED
    assert reply.published_at == version.published_at
    assert (version.title, version.text) == (reply.title, TEXT)
    assert visibility.public_replies().filter(pk=reply.pk).exists()
    assert replies.reply_public_version(reply=reply) == version


def test_editing_a_published_reply_keeps_the_published_text_until_reviewed(
    people: Any, uga: Any
) -> None:
    """The edit is a working copy; the public keeps the last published version, then a new
    version joins the history."""
    reply = _draft(people, uga)
    replies.reply_submit(actor=people["focal_point"], reply=reply)
    first = replies.reply_publish(actor=people["secretariat"], reply=reply)
    reply = replies.reply_update(
        actor=people["focal_point"], reply=reply, title=reply.title, text=TEXT + " Updated."
    )
    assert reply.status == ReviewStatus.DRAFT and reply.live
    assert replies.reply_public_version(reply=reply) == first
    public = visibility.public_replies().get(pk=reply.pk)
    assert public.text == TEXT  # what public pages read is still the published text
    assert replies.reply_working_text(reply=reply)[1] == TEXT + " Updated."
    replies.reply_submit(actor=people["focal_point"], reply=reply)
    second = replies.reply_publish(actor=people["secretariat"], reply=reply)
    assert replies.reply_public_version(reply=reply) == second
    assert visibility.public_replies().get(pk=reply.pk).text == TEXT + " Updated."
    assert [v.text for v in reply.versions.order_by("published_at")] == [TEXT, TEXT + " Updated."]


def test_form_review_can_return_with_a_reason(people: Any, uga: Any) -> None:
    reply = _draft(people, uga)
    replies.reply_submit(actor=people["focal_point"], reply=reply)
    with pytest.raises(ValidationError):
        replies.reply_request_changes(actor=people["secretariat"], reply=reply, message="")
    reply = replies.reply_request_changes(
        actor=people["secretariat"], reply=reply, message="Sign with the ministry's name."
    )
    assert reply.status == ReviewStatus.CHANGES_REQUESTED
    assert OutboundMail.objects.filter(recipient="fp_uga@example.org").exists()


def test_only_the_countrys_focal_points_write(people: Any, uga: Any) -> None:
    for role in ("other_focal_point", "secretariat", "superuser", "reviewer", "anonymous"):
        with pytest.raises(PermissionDenied):
            replies.reply_create(
                actor=people[role], country=uga, subject=ReplySubject.TIP_TIER, title="x", text="y"
            )
    reply = _draft(people, uga)
    replies.reply_submit(actor=people["focal_point"], reply=reply)
    with pytest.raises(PermissionDenied):  # the focal point cannot publish its own reply
        replies.reply_publish(actor=people["focal_point"], reply=reply)


def test_reply_to_a_rating_names_a_public_rating_of_the_country(
    people: Any, uga: Any, bundled_action: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        _draft(people, uga, subject=ReplySubject.RATING, subject_ref="999999")
    assert "subject_ref" in info.value.message_dict
    rating = ratings.rating_create(
        actor=people["reviewer"],
        action=bundled_action,
        completion="limited",
        potential="modest",
        reason="Little evidence.",
    )
    reply = _draft(people, uga, subject=ReplySubject.RATING, subject_ref=str(rating.pk))
    assert reply.subject_ref == str(rating.pk)
    assert replies.rating_options(country=uga) == [rating]


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("text", {"text": "<p>formatted</p>"}),
        ("text", {"text": "x" * 20001}),
        ("title", {"title": ""}),
        ("subject_ref", {"subject_ref": "last year"}),
        ("subject", {"subject": "weather"}),
    ],
)
def test_reply_validation(people: Any, uga: Any, field: str, extra: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        _draft(people, uga, **extra)
    assert field in info.value.message_dict


def test_withdrawal_takes_a_reply_off_the_profile(people: Any, uga: Any) -> None:
    reply = _draft(people, uga)
    replies.reply_submit(actor=people["focal_point"], reply=reply)
    replies.reply_publish(actor=people["secretariat"], reply=reply)
    reply = replies.reply_withdraw(actor=people["focal_point"], reply=reply)
    assert not reply.live and reply.status == ReviewStatus.WITHDRAWN
    assert not visibility.public_replies().filter(pk=reply.pk).exists()
    assert reply.versions.count() == 1  # the history stays
    actions = list(
        AllianceAuditEntry.objects.filter(subject_type="reply", subject_id=reply.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "publish", "withdraw"]
