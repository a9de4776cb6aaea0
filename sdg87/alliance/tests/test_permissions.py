"""The permission matrix: every role x every Alliance service (see
sdg87/alliance/permissions.py). Each cell calls the real service on an object in the state the
operation starts from: the allowed roles succeed, everybody else gets PermissionDenied and
nothing changes (no audit entry)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sdg87.alliance import permissions, visibility
from sdg87.alliance.models import AllianceAuditEntry, RoleName
from sdg87.alliance.services import ratings, replies, roadmap, roles
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.alliance.tests.contrib_fixtures import ROLES, make_user

pytestmark = pytest.mark.django_db

SECRETARIAT = {"secretariat", "superuser"}
FOCAL = {"focal_point"}
FOCAL_OR_SECRETARIAT = FOCAL | SECRETARIAT


def _draft_action(p: dict[str, Any], uga: Any) -> Any:
    return roadmap.roadmap_action_create(
        actor=p["focal_point"], country=uga, priority_area="Prevention", text="Matrix action"
    )


def _submitted_action(p: dict[str, Any], uga: Any) -> Any:
    action = _draft_action(p, uga)
    return roadmap.roadmap_action_submit(actor=p["focal_point"], action=action)


def _published_action(p: dict[str, Any], uga: Any) -> Any:
    action = _submitted_action(p, uga)
    return roadmap.roadmap_action_publish(actor=p["secretariat"], action=action)


def _proposed_change(p: dict[str, Any], uga: Any) -> Any:
    return roadmap.status_change_propose(
        actor=p["focal_point"],
        action=_published_action(p, uga),
        completion="limited",
        as_of=date(2025, 1, 1),
        evidence="Report",
    )


def _draft_reply(p: dict[str, Any], uga: Any) -> Any:
    return replies.reply_create(
        actor=p["focal_point"], country=uga, subject="tip_tier", title="Reply", text="Text"
    )


def _submitted_reply(p: dict[str, Any], uga: Any) -> Any:
    return replies.reply_submit(actor=p["focal_point"], reply=_draft_reply(p, uga))


def _published_reply(p: dict[str, Any], uga: Any) -> Any:
    reply = _submitted_reply(p, uga)
    replies.reply_publish(actor=p["secretariat"], reply=reply)
    reply.refresh_from_db()
    return reply


Op = tuple[
    Callable[[dict[str, Any], Any], Any] | None,  # the subject, made in its starting state
    Callable[[Any, Any, Any], Any],  # (actor, subject, country) -> the service call
    Callable[[Any, Any, Any], bool] | None,  # (actor, subject, country) -> the permission
    set[str],  # the roles allowed
]

OPERATIONS: dict[str, Op] = {
    "roadmap_action_create": (
        None,
        lambda a, s, c: roadmap.roadmap_action_create(
            actor=a, country=c, priority_area="P", text="New"
        ),
        lambda a, s, c: permissions.can_create_action(a, c.pk),
        FOCAL,
    ),
    "roadmap_action_update": (
        _draft_action,
        lambda a, s, c: roadmap.roadmap_action_update(actor=a, action=s, data={"text": "Edit"}),
        lambda a, s, c: permissions.can_edit_action(a, s),
        FOCAL,
    ),
    "roadmap_action_submit": (
        _draft_action,
        lambda a, s, c: roadmap.roadmap_action_submit(actor=a, action=s),
        lambda a, s, c: permissions.can_submit_action(a, s),
        FOCAL,
    ),
    "roadmap_action_publish": (
        _submitted_action,
        lambda a, s, c: roadmap.roadmap_action_publish(actor=a, action=s),
        lambda a, s, c: permissions.can_review_action(a, s),
        SECRETARIAT,
    ),
    "roadmap_action_request_changes": (
        _submitted_action,
        lambda a, s, c: roadmap.roadmap_action_request_changes(actor=a, action=s, message="Fix"),
        lambda a, s, c: permissions.can_review_action(a, s),
        SECRETARIAT,
    ),
    "roadmap_action_withdraw (draft)": (
        _draft_action,
        lambda a, s, c: roadmap.roadmap_action_withdraw(actor=a, action=s),
        lambda a, s, c: permissions.can_withdraw_action(a, s),
        FOCAL_OR_SECRETARIAT,
    ),
    "roadmap_action_withdraw (published)": (
        _published_action,
        lambda a, s, c: roadmap.roadmap_action_withdraw(actor=a, action=s),
        lambda a, s, c: permissions.can_withdraw_action(a, s),
        SECRETARIAT,
    ),
    "status_change_propose": (
        _published_action,
        lambda a, s, c: roadmap.status_change_propose(
            actor=a, action=s, completion="complete", as_of=date(2025, 1, 1), evidence="E"
        ),
        lambda a, s, c: permissions.can_propose_status(a, s),
        FOCAL,
    ),
    "status_change_accept": (
        _proposed_change,
        lambda a, s, c: roadmap.status_change_accept(actor=a, change=s),
        lambda a, s, c: permissions.can_decide_status(a, s),
        SECRETARIAT,
    ),
    "status_change_return": (
        _proposed_change,
        lambda a, s, c: roadmap.status_change_return(actor=a, change=s, note="Why"),
        lambda a, s, c: permissions.can_decide_status(a, s),
        SECRETARIAT,
    ),
    "rating_create": (
        _published_action,
        lambda a, s, c: ratings.rating_create(
            actor=a, action=s, completion="limited", potential="modest", reason="R"
        ),
        lambda a, s, c: permissions.can_rate_action(a, s),
        {"reviewer"},
    ),
    "reply_create": (
        None,
        lambda a, s, c: replies.reply_create(
            actor=a, country=c, subject="dol_level", title="T", text="X"
        ),
        lambda a, s, c: permissions.can_create_reply(a, c.pk),
        FOCAL,
    ),
    "reply_update": (
        _published_reply,
        lambda a, s, c: replies.reply_update(actor=a, reply=s, title="T2", text="X2"),
        lambda a, s, c: permissions.can_edit_reply(a, s),
        FOCAL,
    ),
    "reply_submit": (
        _draft_reply,
        lambda a, s, c: replies.reply_submit(actor=a, reply=s),
        lambda a, s, c: permissions.can_submit_reply(a, s),
        FOCAL,
    ),
    "reply_publish": (
        _submitted_reply,
        lambda a, s, c: replies.reply_publish(actor=a, reply=s),
        lambda a, s, c: permissions.can_review_reply(a, s),
        SECRETARIAT,
    ),
    "reply_request_changes": (
        _submitted_reply,
        lambda a, s, c: replies.reply_request_changes(actor=a, reply=s, message="Form"),
        lambda a, s, c: permissions.can_review_reply(a, s),
        SECRETARIAT,
    ),
    "reply_withdraw (published)": (
        _published_reply,
        lambda a, s, c: replies.reply_withdraw(actor=a, reply=s),
        lambda a, s, c: permissions.can_withdraw_reply(a, s),
        FOCAL_OR_SECRETARIAT,
    ),
    "reply_withdraw (draft)": (
        _draft_reply,
        lambda a, s, c: replies.reply_withdraw(actor=a, reply=s),
        lambda a, s, c: permissions.can_withdraw_reply(a, s),
        FOCAL,
    ),
    "alliance_role_grant": (
        None,
        lambda a, s, c: roles.alliance_role_grant(
            actor=a, user=make_user("grantee"), role=RoleName.REVIEWER
        ),
        lambda a, s, c: permissions.can_manage_roles(a),
        SECRETARIAT,
    ),
    "alliance_role_revoke": (
        lambda p, c: p["reviewer"],
        lambda a, s, c: roles.alliance_role_revoke(actor=a, user=s, role=RoleName.REVIEWER),
        lambda a, s, c: permissions.can_manage_roles(a),
        SECRETARIAT,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_matrix(role: str, operation: str, people: dict[str, Any], uga: Any) -> None:
    """Allowed roles succeed; the others are refused before anything is written."""
    make, call, allowed_fn, allowed_roles = OPERATIONS[operation]
    subject = make(people, uga) if make is not None else None
    actor = people[role]
    allowed = role in allowed_roles
    if allowed_fn is not None:
        assert allowed_fn(actor, subject, uga) is allowed, "permission function"
    before = AllianceAuditEntry.objects.count()
    if allowed:
        call(actor, subject, uga)
        assert AllianceAuditEntry.objects.count() > before
    else:
        with pytest.raises(PermissionDenied):
            call(actor, subject, uga)
        assert AllianceAuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_working_copies_are_seen_only_by_the_country_and_the_secretariat(
    role: str, people: dict[str, Any], uga: Any
) -> None:
    """Drafts and proposals: never in visibility.public_*; on the manage page only for the
    country's focal points and the secretariat."""
    draft = _draft_action(people, uga)
    reply = _draft_reply(people, uga)
    assert not visibility.public_actions().filter(pk=draft.pk).exists()
    assert not visibility.public_replies().filter(pk=reply.pk).exists()
    sees = role in FOCAL_OR_SECRETARIAT
    assert permissions.can_view_action(people[role], draft) is sees
    assert permissions.can_view_reply(people[role], reply) is sees
    assert permissions.can_manage_country(people[role], uga.pk) is sees


def test_drafts_never_reach_the_public_querysets(people: dict[str, Any], uga: Any) -> None:
    """Every non-published state of every contribution stays out of visibility.public_*."""
    draft = _draft_action(people, uga)
    submitted = _submitted_action(people, uga)
    returned = roadmap.roadmap_action_request_changes(
        actor=people["secretariat"], action=_submitted_action(people, uga), message="Fix"
    )
    withdrawn = roadmap.roadmap_action_withdraw(
        actor=people["secretariat"], action=_published_action(people, uga)
    )
    hidden = {draft.pk, submitted.pk, returned.pk, withdrawn.pk}
    assert not visibility.public_actions().filter(pk__in=hidden).exists()
    change = _proposed_change(people, uga)
    returned_change = roadmap.status_change_return(
        actor=people["secretariat"], change=_proposed_change(people, uga), note="No"
    )
    assert (
        not visibility.public_status_changes()
        .filter(pk__in=[change.pk, returned_change.pk])
        .exists()
    )
    # an accepted change of an action that is no longer public is not public either
    accepted = roadmap.status_change_accept(actor=people["secretariat"], change=change)
    roadmap.roadmap_action_withdraw(actor=people["secretariat"], action=accepted.action)
    assert not visibility.public_status_changes().filter(pk=accepted.pk).exists()
    replies_hidden = [_draft_reply(people, uga).pk, _submitted_reply(people, uga).pk]
    assert not visibility.public_replies().filter(pk__in=replies_hidden).exists()
