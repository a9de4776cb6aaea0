"""The one transition table of the Alliance's reviewed contributions (roadmap actions, replies,
annual reports, funding commitments), built for each kind on sdg87.core.review:

    draft --submit--> submitted --publish--> published (live)
      ^                   |
      +--changes_requested <-request_changes (the secretariat says what to change)
    withdraw: from draft, submitted, changes requested or published -> withdrawn (not live)

What differs between the kinds is only who may press each button, who hears of it and in
which words, and what a kind adds to a step (`on_submit`, `on_publish`): `review_transitions`
takes those and returns the four transitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise

from sdg87.alliance.models import ReviewStatus
from sdg87.core import review
from sdg87.core.actors import Actor


@dataclass(frozen=True)
class Wording[S: models.Model]:
    """The mail of one transition: its subject line (with %(title)s) and its body."""

    subject: Promise
    body: Callable[[review.Step[S]], str]


def _message(step: review.Step[Any]) -> str:
    return step.message


def _live(step: review.Step[Any]) -> None:
    step.subject.live = True


def _not_live(step: review.Step[Any]) -> None:
    step.subject.live = False


WITHDRAWABLE = frozenset(
    {
        ReviewStatus.DRAFT,
        ReviewStatus.SUBMITTED,
        ReviewStatus.CHANGES_REQUESTED,
        ReviewStatus.PUBLISHED,
    }
)


def review_transitions[S: models.Model](
    *,
    can_submit: Callable[[Actor | None, S], bool],
    can_review: Callable[[Actor | None, S], bool],
    can_withdraw: Callable[[Actor | None, S], bool],
    submit_denied: Promise,
    review_denied: Promise,
    withdraw_denied: Promise,
    owners: tuple[Callable[[S], list[str]], ...],
    secretariat: Callable[[S], list[str]],
    submitted: Wording[S],
    changes_subject: Promise,
    published: Wording[S],
    withdrawn: Wording[S],
    on_submit: Callable[[review.Step[S]], Any] | None = None,
    on_publish: Callable[[review.Step[S]], Any] = _live,
    publish_audit_message: Callable[[review.Step[S]], str] = _message,
) -> dict[str, review.Transition[S]]:
    """The submit / request_changes / publish / withdraw transitions of one kind of
    contribution. `owners` are told of the secretariat's decisions (and of a withdrawal, with
    the secretariat); the secretariat is told of a submission. A request for changes mails its
    message as it is."""
    return {
        "submit": review.Transition(
            audit="submit",
            sources=frozenset({ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED}),
            target=ReviewStatus.SUBMITTED,
            allowed=can_submit,
            denied=submit_denied,
            apply=on_submit,
            notice=review.Notice(to=(secretariat,), subject=submitted.subject, body=submitted.body),
        ),
        "request_changes": review.Transition(
            audit="request_changes",
            sources=frozenset({ReviewStatus.SUBMITTED}),
            target=ReviewStatus.CHANGES_REQUESTED,
            allowed=can_review,
            denied=review_denied,
            apply=review.changes_said,
            notice=review.Notice(to=owners, subject=changes_subject, body=_message),
        ),
        "publish": review.Transition(
            audit="publish",
            sources=frozenset({ReviewStatus.SUBMITTED}),
            target=ReviewStatus.PUBLISHED,
            allowed=can_review,
            denied=review_denied,
            apply=on_publish,
            audit_message=publish_audit_message,
            notice=review.Notice(to=owners, subject=published.subject, body=published.body),
        ),
        "withdraw": review.Transition(
            audit="withdraw",
            sources=WITHDRAWABLE,
            target=ReviewStatus.WITHDRAWN,
            allowed=can_withdraw,
            denied=withdraw_denied,
            apply=_not_live,
            notice=review.Notice(
                to=(*owners, secretariat), subject=withdrawn.subject, body=withdrawn.body
            ),
        ),
    }
