"""A government's right of reply: its official response to an assessment shown on its profile
(the US DOL advancement level, the US TIP Report tier, the Global Slavery Index estimate, or an
independent rating of one of its actions), published in full and dated.

The country's focal points write it; the secretariat reviews it for form only (never for what
it says) on the shared machine of sdg87.core.review:

    draft --submit--> submitted --publish--> published (live, dated, a ReplyVersion written)
      ^                   |                      |
      +--changes_requested <-request_changes     |
      +------------------- edit -----------------+  (the edit is a new draft; the published
                                                     text stays public until it is published)
    withdraw: the country at any stage, the secretariat a published reply -> withdrawn

Every publication writes a ReplyVersion (title, text, date): the history of what was said.
`title`/`text` of a live reply are always what the public reads: an edit of a published reply
waits in `pending_title`/`pending_text` until it is reviewed and published, and only then
replaces them (public pages never see unreviewed text).
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.alliance import permissions
from sdg87.alliance.models import Rating, Reply, ReplySubject, ReplyVersion, ReviewStatus
from sdg87.alliance.services.audit import (
    REPLY,
    audit_write,
    focal_point_emails,
    notify,
    plain_text,
    secretariat_emails,
)
from sdg87.alliance.services.workflow import Wording, review_transitions
from sdg87.core import review
from sdg87.core.actors import Actor, signed_in_user
from sdg87.geo.models import Geography

type Step = review.Step[Reply]
Transition = review.Transition[Reply]

_YEAR = re.compile(r"^(19|20)\d\d$")


def reply_lock(reply: Reply) -> Reply:
    return Reply.objects.select_for_update(of=("self",)).select_related("country").get(pk=reply.pk)


def _iso3(reply: Reply) -> str:
    return str(reply.country.iso3 or reply.country.code)


def _label(reply: Reply) -> str:
    return f"{reply.get_subject_display()}: {reply.title}"


def _subject_ref_check(*, country: Geography, subject: str, subject_ref: str) -> str:
    """What the reply answers: a rating's id (a public rating of one of the country's
    actions), or for the other assessments the edition's year (optional)."""
    ref = plain_text(subject_ref, field="subject_ref", required=False)
    if subject not in ReplySubject.values:
        raise ValidationError({"subject": _("Choose what the reply answers.")})
    if subject == ReplySubject.RATING:
        if not ref.isdigit():
            raise ValidationError({"subject_ref": _("Choose the rating this reply answers.")})
        from sdg87.alliance.visibility import public_ratings

        if not public_ratings().filter(pk=int(ref), action__plan__country=country).exists():
            raise ValidationError(
                {"subject_ref": _("No public rating of this country's actions has this number.")}
            )
    elif ref and not _YEAR.match(ref):
        raise ValidationError(
            {"subject_ref": _("Give the year of the edition answered (e.g. 2024), or nothing.")}
        )
    return ref


@transaction.atomic
def reply_create(
    *,
    actor: Actor,
    country: Geography,
    subject: str,
    title: str,
    text: str,
    subject_ref: str = "",
) -> Reply:
    """A focal point drafts the country's reply to one assessment."""
    if not permissions.can_create_reply(actor, country.pk):
        raise PermissionDenied(_("Only a focal point of this country can reply in its name."))
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for name, value, field in (("title", title, "title"), ("text", text, "reply")):
        try:
            values[name] = plain_text(value, field=field)
        except ValidationError as exc:
            errors.update({name: exc.message_dict[field]})
    try:
        ref = _subject_ref_check(country=country, subject=subject, subject_ref=subject_ref)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        ref = ""
    if errors:
        raise ValidationError(errors)
    reply = Reply(
        country=country,
        subject=subject,
        subject_ref=ref,
        title=values["title"],
        text=values["text"],
        status=ReviewStatus.DRAFT,
        live=False,
        created_by=signed_in_user(actor),
    )
    reply.full_clean()
    reply.save()
    audit_write(
        subject_type=REPLY,
        subject=reply,
        country_id=country.pk,
        action="create",
        actor=actor,
        to_status=reply.status,
        message=_label(reply),
    )
    return reply


@transaction.atomic
def reply_update(*, actor: Actor, reply: Reply, title: str, text: str) -> Reply:
    """Change the reply's text. For a published reply the new text waits for review (the
    reply is a draft again, still live with its published text) and replaces the public text
    only when it is published."""
    reply = reply_lock(reply)
    if not permissions.can_edit_reply(actor, reply):
        raise PermissionDenied(_("You cannot edit this reply in its current state."))
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for name, value, field in (("title", title, "title"), ("text", text, "reply")):
        try:
            values[name] = plain_text(value, field=field)
        except ValidationError as exc:
            errors.update({name: exc.message_dict[field]})
    if errors:
        raise ValidationError(errors)
    before = reply.status
    if reply.live:  # the public keeps the published text until the edit is published
        reply.pending_title, reply.pending_text = values["title"], values["text"]
    else:
        reply.title, reply.text = values["title"], values["text"]
    if reply.status == ReviewStatus.PUBLISHED:
        reply.status = ReviewStatus.DRAFT
    reply.full_clean()
    reply.save()
    audit_write(
        subject_type=REPLY,
        subject=reply,
        country_id=reply.country_id,
        action="edit",
        actor=actor,
        from_status=before,
        to_status=reply.status,
        message=reply.title,
    )
    return reply


# --- the review workflow -------------------------------------------------------------------


def _publication(step: Step) -> ReplyVersion:
    reply = step.subject
    if reply.pending_text:
        reply.title, reply.text = reply.pending_title, reply.pending_text
        reply.pending_title, reply.pending_text = "", ""
    reply.live = True
    reply.published_at = step.now
    version = ReplyVersion(reply=reply, title=reply.title, text=reply.text, published_at=step.now)
    version.full_clean()
    version.save()
    return version


def _focal_points(reply: Reply) -> list[str]:
    return focal_point_emails(country_id=reply.country_id)


def _secretariat(_reply: Reply) -> list[str]:
    return secretariat_emails()


TRANSITIONS: dict[str, Transition] = review_transitions(
    can_submit=permissions.can_submit_reply,
    can_review=permissions.can_review_reply,
    can_withdraw=permissions.can_withdraw_reply,
    submit_denied=gettext_lazy("This reply cannot be submitted by you in its current state."),
    review_denied=gettext_lazy("Only the secretariat reviews submitted replies."),
    withdraw_denied=gettext_lazy("You cannot withdraw this reply."),
    owners=(_focal_points,),
    secretariat=_secretariat,
    submitted=Wording(
        subject=gettext_lazy("Reply submitted for review: %(title)s"),
        body=lambda s: (
            _("%(user)s submitted a government's reply; review its form only.") % {"user": s.actor}
            + "\n"
            + s.message
        ),
    ),
    changes_subject=gettext_lazy("Changes requested to the form of: %(title)s"),
    published=Wording(
        subject=gettext_lazy("Reply published: %(title)s"),
        body=lambda s: (
            _("The reply is published in full, dated %(date)s.") % {"date": f"{s.now:%Y-%m-%d}"}
        ),
    ),
    withdrawn=Wording(
        subject=gettext_lazy("Reply withdrawn: %(title)s"),
        body=lambda s: s.message or _("The reply was withdrawn."),
    ),
    on_publish=_publication,
    publish_audit_message=lambda s: s.message or s.subject.title,
)

WORKFLOW = review.Workflow[Reply](
    transitions=TRANSITIONS,
    lock=reply_lock,
    audit=lambda reply, name, actor, before, message: audit_write(
        subject_type=REPLY,
        subject=reply,
        country_id=reply.country_id,
        action=name,
        actor=actor,
        from_status=before,
        to_status=reply.status,
        message=message,
    ),
    notify=lambda reply, recipients, subject, body: notify(
        recipients=recipients, subject=subject, body=body, label=_label(reply), iso3=_iso3(reply)
    ),
    title=_label,
)


def reply_submit(*, actor: Actor, reply: Reply, message: str = "") -> Reply:
    """Send the reply to the secretariat for a review of its form."""
    return review.act(WORKFLOW, "submit", actor=actor, subject=reply, message=message).subject


def reply_request_changes(*, actor: Actor, reply: Reply, message: str) -> Reply:
    """Return a submitted reply, saying what in its form must change."""
    return review.act(
        WORKFLOW, "request_changes", actor=actor, subject=reply, message=message
    ).subject


def reply_publish(*, actor: Actor, reply: Reply, message: str = "") -> ReplyVersion:
    """Publish the reply in full, dated now; its text is kept as a new ReplyVersion."""
    step = review.act(WORKFLOW, "publish", actor=actor, subject=reply, message=message)
    version: ReplyVersion = step.result
    return version


def reply_withdraw(*, actor: Actor, reply: Reply, message: str = "") -> Reply:
    """Withdraw the reply from public view (its versions are kept)."""
    return review.act(WORKFLOW, "withdraw", actor=actor, subject=reply, message=message).subject


def reply_working_text(*, reply: Reply) -> tuple[str, str]:
    """(title, text) as the focal points are editing it (the pending edit of a live reply)."""
    if reply.pending_text:
        return reply.pending_title, reply.pending_text
    return reply.title, reply.text


def reply_public_version(*, reply: Reply) -> ReplyVersion | None:
    """The version the public reads (its title and text are the reply's); None: not live."""
    if not reply.live:
        return None
    return reply.versions.order_by("-published_at", "-id").first()


def rating_options(*, country: Geography) -> list[Rating]:
    """The public ratings of the country's actions a reply may answer, newest first."""
    from sdg87.alliance.visibility import public_ratings

    return list(
        public_ratings()
        .filter(action__plan__country=country)
        .select_related("action")
        .order_by("-rated_at", "-id")
    )
