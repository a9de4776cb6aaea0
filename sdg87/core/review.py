"""A review workflow as data: a table of Transitions and one runner, `act`.

The catalog's datasets (sdg87.catalog.services.review) and the library's publications
(sdg87.library.services.review) are reviewed through this same machine; each names what
differs in a `Workflow`: how its row is locked, how its audit entry is written, who hears
about a change, and its transition table. Both keep the editorial model of ADR 0004: `status`
is the review state of the working copy, `live` whether it is published.

Every action (`act`) is one transaction: lock the row, check the permission and the
transition (the table's `sources`, and `live_only`), apply the action's own changes, set the
new status (`full_clean()` then `save()`), run the transition's `after_save` (e.g. the
catalog's statistics visibility), write the audit entry, run `then` (work handed to the task
worker) and queue the mail (sdg87.core.mail sends it after commit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sdg87.core.actors import Actor


@dataclass(frozen=True)
class Step[S: models.Model]:
    """One run of an action: what its `apply`, audit message and mail see."""

    subject: S  # the reviewed object (a dataset, a publication), locked
    actor: Actor | None  # None: the system (e.g. the bundled releases' publication)
    message: str
    now: datetime
    params: dict[str, Any] = field(default_factory=dict)
    result: Any = None


@dataclass(frozen=True)
class Notice[S: models.Model]:
    """The mail of an action: to whom, subject (with %(title)s), body."""

    to: tuple[Callable[[S], list[str]], ...]
    subject: Promise
    body: Callable[[Step[S]], str]


def _message(step: Step[Any]) -> str:
    return step.message


@dataclass(frozen=True)
class Transition[S: models.Model]:
    audit: str  # the audit action written
    sources: frozenset[str]  # the states it starts from
    target: str | None  # the state it ends in (None: unchanged, the row is not saved)
    allowed: Callable[[Actor | None, S], bool]  # the permission function
    denied: Promise  # the PermissionDenied message
    apply: Callable[[Step[S]], Any] | None = None  # the action's own checks and writes
    live_only: bool = False
    after_save: Callable[[Step[S]], None] | None = None  # after the status, before the audit
    audit_message: Callable[[Step[S]], str] = _message
    then: Callable[[Step[S]], None] | None = None  # work handed to the task worker
    notice: Notice[S] | None = None

    def starts_from(
        self, subject: S, *, status_field: str = "status", live_field: str = "live"
    ) -> bool:
        return getattr(subject, status_field) in self.sources and (
            bool(getattr(subject, live_field)) or not self.live_only
        )


@dataclass(frozen=True)
class Workflow[S: models.Model]:
    """What differs between the kinds of reviewed objects."""

    transitions: dict[str, Transition[S]]
    # the row re-read with a lock, inside the action's transaction
    lock: Callable[[S], S]
    # (subject, action, actor, from_status, message): write the audit entry
    audit: Callable[[S, str, Actor | None, str, str], object]
    # (subject, recipients, subject line, body): queue the mail
    notify: Callable[[S, list[str], str, str], None]
    title: Callable[[S], str] = str
    status_field: str = "status"
    live_field: str = "live"

    def starts_from(self, transition: Transition[S], subject: S) -> bool:
        return transition.starts_from(
            subject, status_field=self.status_field, live_field=self.live_field
        )


@transaction.atomic
def act[S: models.Model](
    workflow: Workflow[S], name: str, *, actor: Actor, subject: S, message: str = "", **params: Any
) -> Step[S]:
    """Lock -> check permission -> check transition -> apply -> audit -> notify."""
    transition = workflow.transitions[name]
    subject = workflow.lock(subject)
    if not transition.allowed(actor, subject) or not workflow.starts_from(transition, subject):
        raise PermissionDenied(str(transition.denied))
    step = apply(workflow, transition, Step(subject, actor, message, timezone.now(), params))
    if transition.notice is not None:
        notice = transition.notice
        workflow.notify(
            subject,
            [email for to in notice.to for email in to(subject)],
            str(notice.subject) % {"title": workflow.title(subject)},
            notice.body(step),
        )
    return step


def apply[S: models.Model](
    workflow: Workflow[S], transition: Transition[S], step: Step[S]
) -> Step[S]:
    """The writes of an action once it is allowed: its own, the status, `after_save`, the
    audit entry, `then`. Called by `act`, and directly by system actions that skip the
    permission, the transition check and the mail (the caller holds the transaction)."""
    subject = step.subject
    before = getattr(subject, workflow.status_field)
    if transition.apply is not None:
        step = replace(step, result=transition.apply(step))
    if transition.target is not None:
        setattr(subject, workflow.status_field, transition.target)
        subject.full_clean()
        subject.save()
    if transition.after_save is not None:
        transition.after_save(step)
    workflow.audit(subject, transition.audit, step.actor, before, transition.audit_message(step))
    if transition.then is not None:
        transition.then(step)
    return step


def changes_said(step: Step[Any]) -> None:
    """The check of every "request changes" transition: the reviewer says what to change."""
    if not step.message.strip():
        raise ValidationError({"message": _("Say what needs to change.")})
