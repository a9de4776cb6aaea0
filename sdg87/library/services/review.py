"""The review workflow of a publication: the catalog's machine (sdg87.core.review), its own
table.

    draft --submit--> submitted --approve--> approved --publish--> published
      ^                   |                                           |
      +--changes_requested <-request_changes                          |
    unpublish (a live publication, any state): live=False, status=draft; the versions remain
    (an edit or a file change puts a record under review or published back to draft, see
     publications.py and files.py; a live record stays live until the next publication)

Each action is one transaction run by `sdg87.core.review.act`: lock the row, check the
permission (sdg87.library.permissions) and the source state, apply the action's own checks and
writes, set the status (`full_clean()`), write the PublicationAuditEntry and queue the mail
(sdg87.core.mail sends it after commit). An unverified record (`verified=False`, e.g. a
bundled row no source confirmed) is never approved or published: both actions refuse it with
a ValidationError that says so. Every publication writes an immutable PublicationVersion with
the metadata snapshot (sdg87.library.snapshots: fields, creators, files with sha256).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.catalog.models import AuditAction, Status
from sdg87.core import review
from sdg87.core.actors import Actor, signed_in_user
from sdg87.library import permissions
from sdg87.library.models import Publication, PublicationVersion
from sdg87.library.services.audit import publication_audit_write
from sdg87.library.services.notify import authors, publication_notify, reviewers
from sdg87.library.services.publications import publication_lock
from sdg87.library.snapshots import publication_snapshot

ANY_STATUS = frozenset(Status)

type Step = review.Step[Publication]
Notice = review.Notice[Publication]
Transition = review.Transition[Publication]


# --- the actions' own checks and writes -------------------------------------------------------


def _verified(step: Step) -> None:
    if not step.subject.verified:
        raise ValidationError(
            _(
                "This record is unverified: its title, year and authors have not been checked "
                "against a source. Check them and mark it verified before it is approved or "
                "published."
            )
        )


def _publication(step: Step) -> PublicationVersion:
    _verified(step)
    pub, now = step.subject, step.now
    publish_at = step.params.get("publish_at")
    embargo_until = step.params.get("embargo_until")
    if publish_at is not None:
        pub.publish_at = publish_at
    if embargo_until is not None:
        pub.embargo_until = embargo_until
    pub.live = True
    pub.first_published_at = pub.first_published_at or now
    pub.last_published_at = now
    last = pub.versions.order_by("-number").first()
    version = PublicationVersion(
        publication=pub,
        number=(last.number + 1) if last else 1,
        author=signed_in_user(step.actor),
        note=step.message[:500],
        metadata=publication_snapshot(pub),
    )
    version.full_clean()
    version.save()
    return version


def _withdraw(step: Step) -> None:
    step.subject.live = False


# --- the table --------------------------------------------------------------------------------

_REVIEW_DENIED = gettext_lazy("You cannot review this publication.")

TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        audit=AuditAction.SUBMIT,
        sources=frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        target=Status.SUBMITTED,
        allowed=permissions.can_submit_publication,
        denied=gettext_lazy("This publication cannot be submitted by you in its current state."),
        notice=Notice(
            to=(reviewers,),
            subject=gettext_lazy("Publication submitted for review: %(title)s"),
            body=lambda s: (
                _("%(user)s submitted a publication for review.") % {"user": s.actor}
                + "\n"
                + s.message
            ),
        ),
    ),
    "request_changes": Transition(
        audit=AuditAction.REQUEST_CHANGES,
        sources=frozenset({Status.SUBMITTED}),
        target=Status.CHANGES_REQUESTED,
        allowed=permissions.can_review_publication,
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
        allowed=permissions.can_review_publication,
        denied=_REVIEW_DENIED,
        apply=_verified,
        notice=Notice(
            to=(authors,),
            subject=gettext_lazy("Publication approved: %(title)s"),
            body=lambda s: s.message or _("The publication was approved and can now be published."),
        ),
    ),
    "publish": Transition(
        audit=AuditAction.PUBLISH,
        sources=frozenset({Status.APPROVED}),
        target=Status.PUBLISHED,
        allowed=permissions.can_publish_publication,
        denied=gettext_lazy("Only an editor can publish, and only an approved publication."),
        apply=_publication,
        audit_message=lambda s: s.message or f"v{s.result.number}",
        notice=Notice(
            to=(authors, reviewers),
            subject=gettext_lazy("Publication published: %(title)s"),
            body=lambda s: _("Version %(number)s was published.") % {"number": s.result.number},
        ),
    ),
    "unpublish": Transition(
        audit=AuditAction.UNPUBLISH,
        sources=ANY_STATUS,
        live_only=True,
        target=Status.DRAFT,
        allowed=permissions.can_unpublish_publication,
        denied=gettext_lazy("You cannot unpublish this publication."),
        apply=_withdraw,
        notice=Notice(
            to=(authors, reviewers),
            subject=gettext_lazy("Publication unpublished: %(title)s"),
            body=lambda s: s.message,
        ),
    ),
}

WORKFLOW = review.Workflow[Publication](
    transitions=TRANSITIONS,
    lock=publication_lock,
    audit=lambda pub, action, actor, before, message: publication_audit_write(
        publication=pub, action=action, actor=actor, from_status=before, message=message
    ),
    notify=lambda pub, recipients, subject, body: publication_notify(
        publication=pub, recipients=recipients, subject=subject, body=body
    ),
    title=lambda pub: pub.title,
)


# --- the actions ------------------------------------------------------------------------------


def publication_submit(*, actor: Actor, publication: Publication, message: str = "") -> Publication:
    """Send a draft (or a record with requested changes) to the publisher's reviewers."""
    return review.act(WORKFLOW, "submit", actor=actor, subject=publication, message=message).subject


def publication_request_changes(
    *, actor: Actor, publication: Publication, message: str
) -> Publication:
    """Send a submitted record back to its authors, saying what needs to change."""
    step = review.act(
        WORKFLOW, "request_changes", actor=actor, subject=publication, message=message
    )
    return step.subject


def publication_approve(
    *, actor: Actor, publication: Publication, message: str = ""
) -> Publication:
    """Approve a submitted, verified record; an editor then publishes it (now or scheduled)."""
    return review.act(
        WORKFLOW, "approve", actor=actor, subject=publication, message=message
    ).subject


def publication_publish(
    *,
    actor: Actor,
    publication: Publication,
    publish_at: datetime | None = None,
    embargo_until: datetime | None = None,
    note: str = "",
) -> PublicationVersion:
    """Publish an approved, verified record: live (from `publish_at` when given), files
    embargoed until `embargo_until` when given, and an immutable version written."""
    step = review.act(
        WORKFLOW,
        "publish",
        actor=actor,
        subject=publication,
        message=note,
        publish_at=publish_at,
        embargo_until=embargo_until,
    )
    version: PublicationVersion = step.result
    return version


def publication_unpublish(
    *, actor: Actor, publication: Publication, message: str = ""
) -> Publication:
    """Withdraw a live record from public view; it becomes a draft again. Versions remain."""
    step = review.act(WORKFLOW, "unpublish", actor=actor, subject=publication, message=message)
    return step.subject
