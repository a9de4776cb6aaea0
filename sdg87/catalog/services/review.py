"""The review workflow of a dataset: one table of actions, one function that runs them.

    draft --submit--> submitted --approve--> approved --publish--> published
      ^                   |                                           |
      +--changes_requested <-request_changes                          |
    unpublish (a live dataset, any state): live=False, status=draft; the versions remain
    retract / restore (any state): one file's imported statistics withdrawn, or back
    quarantine (any state): flagged sensitive, hidden from all but the publisher's editors
    release (a quarantined dataset, any state): the disclosure review passed; its protected
      file is published alone, every other file retired (ADR 0014)
    (a new upload to a published dataset puts it back to draft, see distributions.py; it
     stays live with its published files until the next publication)

Every action (`_act`, run by the generic machine sdg87.core.review, which the library's
publications share) is one transaction: lock the dataset row, check the permission
(permissions.py) and the transition (the table's `sources`), apply the action's own changes,
set the new status, make the imported statistics as visible as the data now is (actions
that can change that: `after_save`), write the audit entry, hand work to the task worker and
queue the mail (core.mail sends it after commit). The permission functions check the state
too (pages use them to show buttons); a test keeps them and the table in agreement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.catalog import permissions, statistics
from sdg87.catalog.models import AuditAction, Dataset, DatasetVersion, Distribution, Status
from sdg87.catalog.services.audit import audit_write
from sdg87.catalog.services.datasets import dataset_lock
from sdg87.catalog.services.notify import authors, dataset_notify, reviewers
from sdg87.catalog.services.publication import publication_apply
from sdg87.core import review
from sdg87.core.actors import Actor

ANY_STATUS = frozenset(Status)

type Step = review.Step[Dataset]
Notice = review.Notice[Dataset]
Transition = review.Transition[Dataset]


# --- the actions' own checks and writes -------------------------------------------------------


def _files_ready(step: Step) -> None:
    working = step.subject.distributions.filter(retired_at__isnull=True)
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


def _publication(step: Step) -> DatasetVersion:
    return publication_apply(
        dataset=step.subject,
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

    for pk in statistics.distributions_importing(dataset=step.subject).values_list("pk", flat=True):
        distribution_statistics_import_task.enqueue(distribution_id=pk)


def _statistics_sync(step: Step) -> None:
    statistics.dataset_statistics_sync(dataset=step.subject, now=step.now)


def _withdraw(step: Step) -> None:
    step.subject.live = False


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


def _quarantine(step: Step) -> None:
    dataset = step.subject
    dataset.sensitive = True
    dataset.quarantined = True
    dataset.save(update_fields=["sensitive", "quarantined", "last_modified"])


def _release(step: Step) -> DatasetVersion:
    """Publish the protected file alone: every other current file (the unprotected original
    among them) is retired, kept in storage for the access-request flow only."""
    dataset = step.subject
    protected = Distribution.objects.get(pk=step.params["protected"].pk)
    if protected.dataset_id != dataset.pk or not protected.is_pending:
        raise ValidationError(_("The protected file must be a new file of this dataset."))
    if protected.is_valid is not True:
        raise ValidationError(_("The protected file has not passed validation."))
    dataset.distributions.filter(retired_at__isnull=True).exclude(pk=protected.pk).update(
        published=False, retired_at=step.now
    )
    dataset.quarantined = False
    return _publication(step)


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
        apply=review.changes_said,
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
        after_save=_statistics_sync,
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
        after_save=_statistics_sync,
        allowed=permissions.can_unpublish_dataset,
        denied=gettext_lazy("You cannot unpublish this dataset."),
        apply=_withdraw,
        notice=Notice(
            to=(authors, reviewers),
            subject=gettext_lazy("Dataset unpublished: %(title)s"),
            body=lambda s: s.message,
        ),
    ),
    "quarantine": Transition(
        audit=AuditAction.QUARANTINE,
        sources=ANY_STATUS,
        target=None,
        after_save=_statistics_sync,
        allowed=permissions.can_flag_sensitive,
        denied=gettext_lazy("You cannot flag this dataset as sensitive."),
        apply=_quarantine,
        notice=Notice(
            to=(reviewers,),
            subject=gettext_lazy("Dataset in quarantine for disclosure review: %(title)s"),
            body=lambda s: (
                s.message
                or _("The dataset contains personal or case-level data and awaits its review.")
            ),
        ),
    ),
    "release": Transition(
        audit=AuditAction.RELEASE,
        sources=ANY_STATUS,
        target=Status.PUBLISHED,
        after_save=_statistics_sync,
        allowed=permissions.can_release_sensitive,
        denied=gettext_lazy("Only an editor can release a dataset in quarantine."),
        apply=_release,
        audit_message=lambda s: s.message or f"v{s.result.number}",
        then=_statistics_to_worker,
        notice=Notice(
            to=(authors, reviewers),
            subject=gettext_lazy("Dataset released after disclosure review: %(title)s"),
            body=lambda s: _("Version %(number)s was published.") % {"number": s.result.number},
        ),
    ),
    "retract_statistics": Transition(
        audit=AuditAction.EDIT,
        sources=ANY_STATUS,
        target=None,
        after_save=_statistics_sync,
        allowed=permissions.can_retract_statistics,
        denied=_STATISTICS_DENIED,
        apply=_statistics_retracted(True),
        audit_message=_statistics_note,
    ),
    "restore_statistics": Transition(
        audit=AuditAction.EDIT,
        sources=ANY_STATUS,
        target=None,
        after_save=_statistics_sync,
        allowed=permissions.can_retract_statistics,
        denied=_STATISTICS_DENIED,
        apply=_statistics_retracted(False),
        audit_message=_statistics_note,
    ),
}


# --- the workflow: the table, run by sdg87.core.review -----------------------------------------

WORKFLOW = review.Workflow[Dataset](
    transitions=TRANSITIONS,
    lock=dataset_lock,
    audit=lambda dataset, action, actor, before, message: audit_write(
        dataset=dataset, action=action, actor=actor, from_status=before, message=message
    ),
    notify=lambda dataset, recipients, subject, body: dataset_notify(
        dataset=dataset, recipients=recipients, subject=subject, body=body
    ),
    title=lambda dataset: dataset.title,
)


# The same workflow without its mail: for callers that write many datasets at once and tell
# people once themselves (the harvester's run report), `notify=False` on the actions below.
QUIET_WORKFLOW = replace(WORKFLOW, notify=lambda dataset, recipients, subject, body: None)


def _act(
    name: str,
    *,
    actor: Actor,
    dataset: Dataset,
    message: str = "",
    notify: bool = True,
    **params: Any,
) -> Step:
    """Lock -> check permission -> check transition -> apply -> audit -> notify (unless
    `notify` is False)."""
    workflow = WORKFLOW if notify else QUIET_WORKFLOW
    return review.act(workflow, name, actor=actor, subject=dataset, message=message, **params)


# --- the actions ------------------------------------------------------------------------------


def dataset_submit(
    *, actor: Actor, dataset: Dataset, message: str = "", notify: bool = True
) -> Dataset:
    """Send a draft (or a dataset with requested changes) to the organisation's reviewers;
    refused while a file is invalid or still being validated."""
    return _act("submit", actor=actor, dataset=dataset, message=message, notify=notify).subject


def dataset_request_changes(*, actor: Actor, dataset: Dataset, message: str) -> Dataset:
    """Send a submitted dataset back to its authors, saying what needs to change."""
    return _act("request_changes", actor=actor, dataset=dataset, message=message).subject


def dataset_approve(
    *, actor: Actor, dataset: Dataset, message: str = "", notify: bool = True
) -> Dataset:
    """Approve a submitted dataset; an editor then publishes it (now or scheduled)."""
    return _act("approve", actor=actor, dataset=dataset, message=message, notify=notify).subject


def dataset_publish(
    *,
    actor: Actor,
    dataset: Dataset,
    publish_at: datetime | None = None,
    note: str = "",
    notify: bool = True,
) -> DatasetVersion:
    """Publish an approved dataset (optionally scheduled): make it live, release its held
    files and write an immutable version; the task worker then imports the released tidy
    files as observations."""
    step = _act(
        "publish", actor=actor, dataset=dataset, message=note, notify=notify, publish_at=publish_at
    )
    version: DatasetVersion = step.result
    return version


def dataset_publish_bundled(
    *, dataset: Dataset, note: str, data_updated_at: datetime
) -> DatasetVersion:
    """The publication of a bundled statistics release (system action, called by
    bundled.py inside its transaction): the `publish` action without permission, transition
    check or mail."""
    step = review.Step(dataset, None, note, timezone.now(), {"data_updated_at": data_updated_at})
    version: DatasetVersion = review.apply(WORKFLOW, TRANSITIONS["publish"], step).result
    return version


def dataset_unpublish(
    *, actor: Actor, dataset: Dataset, message: str = "", notify: bool = True
) -> Dataset:
    """Withdraw a live dataset from public view; it becomes a draft again. Versions remain."""
    return _act("unpublish", actor=actor, dataset=dataset, message=message, notify=notify).subject


def dataset_quarantine(*, actor: Actor, dataset: Dataset, message: str = "") -> Dataset:
    """Flag the dataset as holding personal or case-level data: it disappears from every
    interface but its publisher's editors' until a disclosure review releases it."""
    return _act("quarantine", actor=actor, dataset=dataset, message=message).subject


def dataset_release_sensitive(
    *, actor: Actor, dataset: Dataset, protected: Distribution, note: str = ""
) -> DatasetVersion:
    """The disclosure review passed: publish `protected` (a validated pending file of the
    dataset) as its only file, retire the others and lift the quarantine (ADR 0014)."""
    step = _act("release", actor=actor, dataset=dataset, message=note, protected=protected)
    version: DatasetVersion = step.result
    return version


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
