"""The review workflow of a dataset: one table of actions, one function that runs them.

    draft --submit--> submitted --approve--> approved --publish--> published
      ^                   |                                           |
      +--changes_requested <-request_changes                          |
    unpublish (a live dataset, any state): live=False, status=draft; the versions remain
    retract / restore (any state): one file's imported statistics withdrawn, or back
    (a new upload to a published dataset puts it back to draft, see distributions.py; it
     stays live with its published files until the next publication)

Every action (`_act`) is one transaction: lock the dataset row, check the permission
(permissions.py) and the transition (the table's `sources`), apply the action's own changes,
set the new status, make the imported statistics as visible as the data now is (actions
that can change that), write the audit entry, hand work to the task worker and queue the
mail (core.mail sends it after commit). The permission functions check the state too (pages
use them to show buttons); a test keeps them and the table in agreement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.catalog import permissions, statistics
from sdg87.catalog.models import AuditAction, Dataset, DatasetVersion, Distribution, Status
from sdg87.catalog.services.audit import audit_write
from sdg87.catalog.services.datasets import dataset_lock
from sdg87.catalog.services.notify import authors, dataset_notify, reviewers
from sdg87.catalog.services.publication import publication_apply
from sdg87.core.actors import Actor

ANY_STATUS = frozenset(Status)


@dataclass(frozen=True)
class Step:
    """One run of an action: what its `apply`, audit message and mail see."""

    dataset: Dataset
    actor: Actor | None  # None: the system (the bundled releases' publication)
    message: str
    now: datetime
    params: dict[str, Any] = field(default_factory=dict)
    result: Any = None


@dataclass(frozen=True)
class Notice:
    """The mail of an action: to whom, subject (with %(title)s), body."""

    to: tuple[Callable[[Dataset], list[str]], ...]
    subject: Promise
    body: Callable[[Step], str]


@dataclass(frozen=True)
class Transition:
    audit: str  # the AuditAction written
    sources: frozenset[str]  # the states it starts from
    target: str | None  # the state it ends in (None: unchanged, the dataset is not saved)
    allowed: Callable[[Actor | None, Dataset], bool]  # permissions.can_*
    denied: Promise  # the PermissionDenied message
    apply: Callable[[Step], Any] | None = None  # the action's own checks and writes
    live_only: bool = False
    syncs_statistics: bool = False  # may change what the imported statistics show
    audit_message: Callable[[Step], str] = lambda step: step.message
    then: Callable[[Step], None] | None = None  # work handed to the task worker
    notice: Notice | None = None

    def starts_from(self, dataset: Dataset) -> bool:
        return dataset.status in self.sources and (dataset.live or not self.live_only)


# --- the actions' own checks and writes -------------------------------------------------------


def _files_ready(step: Step) -> None:
    working = step.dataset.distributions.filter(retired_at__isnull=True)
    invalid = working.filter(is_valid=False).values_list("title", flat=True)
    if invalid:
        raise ValidationError(
            _("Fix the validation errors first: %(files)s") % {"files": ", ".join(invalid)}
        )
    validating = working.filter(is_valid__isnull=True).exclude(file="")
    if validating.exists():
        raise ValidationError(
            _("Some files are still being validated: %(files)s. Try again in a moment.")
            % {"files": ", ".join(validating.values_list("title", flat=True))}
        )


def _changes_said(step: Step) -> None:
    if not step.message.strip():
        raise ValidationError({"message": _("Say what needs to change.")})


def _publication(step: Step) -> DatasetVersion:
    return publication_apply(
        dataset=step.dataset,
        actor=step.actor,
        now=step.now,
        publish_at=step.params.get("publish_at"),
        note=step.message,
        data_updated_at=step.params.get("data_updated_at"),
    )


def _statistics_to_worker(step: Step) -> None:
    # Enqueued inside this transaction, not on commit: with the database backend the task row
    # commits (or rolls back) with the publication, so no publication loses its import, and
    # the worker sees it only once the publication is committed.
    from sdg87.catalog.tasks import distribution_statistics_import_task

    for pk in statistics.distributions_importing(dataset=step.dataset).values_list("pk", flat=True):
        distribution_statistics_import_task.enqueue(distribution_id=pk)


def _withdraw(step: Step) -> None:
    step.dataset.live = False


def _statistics_retracted(retract: bool) -> Callable[[Step], Distribution]:
    def apply(step: Step) -> Distribution:
        distribution: Distribution = step.params["distribution"]
        release = distribution.observations_release
        if release is None:
            raise ValidationError(_("This file has no imported statistics."))
        release.retracted_at = step.now if retract else None
        release.save(update_fields=["retracted_at"])
        return distribution

    return apply


def _statistics_note(step: Step) -> str:
    label = _("statistics retracted") if step.params["retract"] else _("statistics restored")
    note = f" ({step.message})" if step.message else ""
    return f"{label}: {step.result.title}{note}"


# --- the table --------------------------------------------------------------------------------

_REVIEW_DENIED = gettext_lazy("You cannot review this dataset.")
_STATISTICS_DENIED = gettext_lazy(
    "Only an editor of the publisher can retract or restore statistics."
)

TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        audit=AuditAction.SUBMIT,
        sources=frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        target=Status.SUBMITTED,
        allowed=permissions.can_submit_dataset,
        denied=gettext_lazy("This dataset cannot be submitted by you in its current state."),
        apply=_files_ready,
        notice=Notice(
            to=(reviewers,),
            subject=gettext_lazy("Dataset submitted for review: %(title)s"),
            body=lambda s: (
                _("%(user)s submitted a dataset for review.") % {"user": s.actor} + "\n" + s.message
            ),
        ),
    ),
    "request_changes": Transition(
        audit=AuditAction.REQUEST_CHANGES,
        sources=frozenset({Status.SUBMITTED}),
        target=Status.CHANGES_REQUESTED,
        allowed=permissions.can_review_dataset,
        denied=_REVIEW_DENIED,
        apply=_changes_said,
        notice=Notice(
            to=(authors,),
            subject=gettext_lazy("Changes requested: %(title)s"),
            body=lambda s: s.message,
        ),
    ),
    "approve": Transition(
        audit=AuditAction.APPROVE,
        sources=frozenset({Status.SUBMITTED}),
        target=Status.APPROVED,
        allowed=permissions.can_review_dataset,
        denied=_REVIEW_DENIED,
        notice=Notice(
            to=(authors,),
            subject=gettext_lazy("Dataset approved: %(title)s"),
            body=lambda s: s.message or _("The dataset was approved and can now be published."),
        ),
    ),
    "publish": Transition(
        audit=AuditAction.PUBLISH,
        sources=frozenset({Status.APPROVED}),
        target=Status.PUBLISHED,
        syncs_statistics=True,
        allowed=permissions.can_publish_dataset,
        denied=gettext_lazy("Only an editor can publish, and only an approved dataset."),
        apply=_publication,
        audit_message=lambda s: s.message or f"v{s.result.number}",
        then=_statistics_to_worker,
        notice=Notice(
            to=(authors, reviewers),
            subject=gettext_lazy("Dataset published: %(title)s"),
            body=lambda s: _("Version %(number)s was published.") % {"number": s.result.number},
        ),
    ),
    "unpublish": Transition(
        audit=AuditAction.UNPUBLISH,
        sources=ANY_STATUS,
        live_only=True,
        target=Status.DRAFT,
        syncs_statistics=True,
        allowed=permissions.can_unpublish_dataset,
        denied=gettext_lazy("You cannot unpublish this dataset."),
        apply=_withdraw,
        notice=Notice(
            to=(authors, reviewers),
            subject=gettext_lazy("Dataset unpublished: %(title)s"),
            body=lambda s: s.message,
        ),
    ),
    "retract_statistics": Transition(
        audit=AuditAction.EDIT,
        sources=ANY_STATUS,
        target=None,
        syncs_statistics=True,
        allowed=permissions.can_retract_statistics,
        denied=_STATISTICS_DENIED,
        apply=_statistics_retracted(True),
        audit_message=_statistics_note,
    ),
    "restore_statistics": Transition(
        audit=AuditAction.EDIT,
        sources=ANY_STATUS,
        target=None,
        syncs_statistics=True,
        allowed=permissions.can_retract_statistics,
        denied=_STATISTICS_DENIED,
        apply=_statistics_retracted(False),
        audit_message=_statistics_note,
    ),
}


# --- the one function that runs them -----------------------------------------------------------


@transaction.atomic
def _act(name: str, *, actor: Actor, dataset: Dataset, message: str = "", **params: Any) -> Step:
    """Lock -> check permission -> check transition -> apply -> audit -> notify."""
    transition = TRANSITIONS[name]
    dataset = dataset_lock(dataset)
    if not transition.allowed(actor, dataset) or not transition.starts_from(dataset):
        raise PermissionDenied(str(transition.denied))
    step = _apply(transition, Step(dataset, actor, message, timezone.now(), params))
    if transition.notice is not None:
        notice = transition.notice
        dataset_notify(
            dataset=dataset,
            recipients=[email for to in notice.to for email in to(dataset)],
            subject=str(notice.subject) % {"title": dataset.title},
            body=notice.body(step),
        )
    return step


def _apply(transition: Transition, step: Step) -> Step:
    """The writes of an action once it is allowed: its own, the status, statistics
    visibility, the audit entry."""
    dataset, before = step.dataset, step.dataset.status
    if transition.apply is not None:
        step = replace(step, result=transition.apply(step))
    if transition.target is not None:
        dataset.status = transition.target
        dataset.full_clean()
        dataset.save()
    if transition.syncs_statistics:
        statistics.dataset_statistics_sync(dataset=dataset, now=step.now)
    audit_write(
        dataset=dataset,
        action=transition.audit,
        actor=step.actor,
        from_status=before,
        message=transition.audit_message(step),
    )
    if transition.then is not None:
        transition.then(step)
    return step


# --- the actions ------------------------------------------------------------------------------


def dataset_submit(*, actor: Actor, dataset: Dataset, message: str = "") -> Dataset:
    """Send a draft (or a dataset with requested changes) to the organisation's reviewers;
    refused while a file is invalid or still being validated."""
    return _act("submit", actor=actor, dataset=dataset, message=message).dataset


def dataset_request_changes(*, actor: Actor, dataset: Dataset, message: str) -> Dataset:
    """Send a submitted dataset back to its authors, saying what needs to change."""
    return _act("request_changes", actor=actor, dataset=dataset, message=message).dataset


def dataset_approve(*, actor: Actor, dataset: Dataset, message: str = "") -> Dataset:
    """Approve a submitted dataset; an editor then publishes it (now or scheduled)."""
    return _act("approve", actor=actor, dataset=dataset, message=message).dataset


def dataset_publish(
    *,
    actor: Actor,
    dataset: Dataset,
    publish_at: datetime | None = None,
    note: str = "",
) -> DatasetVersion:
    """Publish an approved dataset (optionally scheduled): make it live, release its held
    files and write an immutable version; the task worker then imports the released tidy
    files as observations."""
    step = _act("publish", actor=actor, dataset=dataset, message=note, publish_at=publish_at)
    version: DatasetVersion = step.result
    return version


def dataset_publish_bundled(
    *, dataset: Dataset, note: str, data_updated_at: datetime
) -> DatasetVersion:
    """The publication of a bundled statistics release (system action, called by
    bundled.py inside its transaction): the `publish` action without permission, transition
    check or mail."""
    step = Step(dataset, None, note, timezone.now(), {"data_updated_at": data_updated_at})
    version: DatasetVersion = _apply(TRANSITIONS["publish"], step).result
    return version


def dataset_unpublish(*, actor: Actor, dataset: Dataset, message: str = "") -> Dataset:
    """Withdraw a live dataset from public view; it becomes a draft again. Versions remain."""
    return _act("unpublish", actor=actor, dataset=dataset, message=message).dataset


def distribution_statistics_retract(
    *, actor: Actor, distribution: Distribution, message: str = ""
) -> Distribution:
    """Withdraw one imported file's statistics from every interface (the file itself stays as
    it is). Editors of the publisher only; undone by distribution_statistics_restore."""
    return _act_on_statistics("retract_statistics", actor, distribution, message, retract=True)


def distribution_statistics_restore(
    *, actor: Actor, distribution: Distribution, message: str = ""
) -> Distribution:
    """Undo a retraction: the statistics follow their dataset again."""
    return _act_on_statistics("restore_statistics", actor, distribution, message, retract=False)


def _act_on_statistics(
    action: str, actor: Actor, distribution: Distribution, message: str, *, retract: bool
) -> Distribution:
    step = _act(
        action,
        actor=actor,
        dataset=distribution.dataset,
        message=message,
        distribution=distribution,
        retract=retract,
    )
    result: Distribution = step.result
    return result
