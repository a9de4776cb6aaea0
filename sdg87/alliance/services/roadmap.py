"""Roadmap actions contributed by a country's focal points, and the dated status changes of
any action of the country (bundled ones included), with their evidence.

A contributed action (verification `contributed`, key `<iso3>-p<id>`) is reviewed on the
shared machine of sdg87.core.review:

    draft --submit--> submitted --publish--> published (live)
      ^                   |
      +--changes_requested <-request_changes (the secretariat says what to change)
    withdraw: a focal point before publication, the secretariat at any stage -> withdrawn
              (not live; kept with its history)

A status change on the OGP completion scale, with its evidence (text, link, library record):

    proposed --accept--> accepted (public once its action is public)
        |
        +----return----> returned (with the secretariat's note)

Each service is one transaction: lock the row, check the permission (PermissionDenied, before
anything else), validate (`full_clean()`), save, write an AllianceAuditEntry and queue the mail
to the people concerned (focal points, secretariat), sent after commit.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.alliance import permissions
from sdg87.alliance.models import (
    ActionTextVersion,
    ChangeReview,
    Completion,
    Funding,
    Plan,
    ReviewStatus,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.alliance.services.audit import (
    ACTION,
    STATUS_CHANGE,
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

type Step = review.Step[RoadmapAction]
Transition = review.Transition[RoadmapAction]

DEFAULT_PLAN_TITLE = "National roadmap (actions reported on the platform)"
_http_url = URLValidator(schemes=["http", "https"])


def action_lock(action: RoadmapAction) -> RoadmapAction:
    """The action re-read with a row lock (inside the caller's transaction)."""
    return (
        RoadmapAction.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__country")
        .get(pk=action.pk)
    )


def _iso3(action: RoadmapAction) -> str:
    return str(action.plan.country.iso3 or action.plan.country.code)


def _label(action: RoadmapAction) -> str:
    return f"{action.key}: {action.text[:120]}"


def _country_focal_points(action: RoadmapAction) -> list[str]:
    return focal_point_emails(country_id=action.plan.country_id)


def _secretariat(_action: RoadmapAction) -> list[str]:
    return secretariat_emails()


# --- the fields of an action ---------------------------------------------------------------

_TEXT_FIELDS = {
    "priority_area": True,
    "text": True,
    "responsible_body": False,
    "timeline": False,
}


def _fields_apply(action: RoadmapAction, data: dict[str, Any]) -> None:
    """Set the editable fields from `data` (only the keys given), checked."""
    errors: dict[str, list[str]] = {}
    for name, required in _TEXT_FIELDS.items():
        if name in data:
            try:
                setattr(action, name, plain_text(data[name], field=name, required=required))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    for name in ("start_date", "end_date"):
        if name in data:
            setattr(action, name, data[name])
    if "budget_amount" in data:
        amount = data["budget_amount"]
        action.budget_amount = Decimal(amount) if amount not in (None, "") else None
    if "budget_currency" in data:
        action.budget_currency = (data["budget_currency"] or "").strip().upper()
    if "funding" in data:
        action.funding = data["funding"] or Funding.UNKNOWN
    if "source_url" in data:
        action.source_url = (data["source_url"] or "").strip()
    if action.start_date and action.end_date and action.end_date < action.start_date:
        errors.setdefault("end_date", []).append(_("The end comes before the start."))
    if action.budget_amount is not None and action.budget_amount < 0:
        errors.setdefault("budget_amount", []).append(_("A budget cannot be negative."))
    if action.budget_currency and not (
        len(action.budget_currency) == 3 and action.budget_currency.isalpha()
    ):
        errors.setdefault("budget_currency", []).append(
            _("Give the currency as its three-letter ISO 4217 code, e.g. UGX or USD.")
        )
    if action.budget_amount is not None and not action.budget_currency:
        errors.setdefault("budget_currency", []).append(_("Say in which currency."))
    if action.source_url:
        try:
            _http_url(action.source_url)
        except ValidationError:
            errors.setdefault("source_url", []).append(_("Enter a web address (http or https)."))
    if errors:
        raise ValidationError(errors)


def action_text_record(
    *, action: RoadmapAction, actor: Actor | None, published: bool = False
) -> ActionTextVersion:
    """Keep the action's current text as its next version (nothing new when the text is the
    latest version's); `published` marks it as read by the public."""
    last = action.text_versions.order_by("-number").first()
    if last is not None and last.text == action.text:
        if published and not last.published:
            last.published = True
            last.save(update_fields=["published"])
        return last
    version = ActionTextVersion(
        action=action,
        number=last.number + 1 if last is not None else 1,
        text=action.text,
        changed_by=signed_in_user(actor),
        changed_at=timezone.now(),
        published=published,
    )
    version.full_clean()
    version.save()
    return version


def _plan_for(*, country: Geography, plan: Plan | None, plan_title: str) -> Plan:
    if plan is not None:
        if plan.country_id != country.pk:
            raise ValidationError({"plan": _("This plan belongs to another country.")})
        return plan
    title = plain_text(plan_title, field="title", required=False) or DEFAULT_PLAN_TITLE
    found, created = Plan.objects.get_or_create(country=country, title=title)
    if created:
        found.full_clean()
    return found


@transaction.atomic
def roadmap_action_create(
    *,
    actor: Actor,
    country: Geography,
    priority_area: str,
    text: str,
    plan: Plan | None = None,
    plan_title: str = "",
    responsible_body: str = "",
    timeline: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    budget_amount: Decimal | None = None,
    budget_currency: str = "",
    funding: str = "",
    source_url: str = "",
) -> RoadmapAction:
    """A focal point adds an action to the country's roadmap: a draft, `contributed`, keyed
    `<iso3>-p<id>`, in `plan` (or the plan named `plan_title`, made when new; by default the
    country's plan of platform-reported actions)."""
    if not permissions.can_create_action(actor, country.pk):
        raise PermissionDenied(_("Only a focal point of this country can add its actions."))
    action = RoadmapAction(
        plan=_plan_for(country=country, plan=plan, plan_title=plan_title),
        key=f"new-{uuid.uuid4().hex[:20]}",  # replaced by <iso3>-p<id> once the id is known
        verification=Verification.CONTRIBUTED,
        status=ReviewStatus.DRAFT,
        live=False,
        created_by=signed_in_user(actor),
    )
    _fields_apply(
        action,
        {
            "priority_area": priority_area,
            "text": text,
            "responsible_body": responsible_body,
            "timeline": timeline,
            "start_date": start_date,
            "end_date": end_date,
            "budget_amount": budget_amount,
            "budget_currency": budget_currency,
            "funding": funding,
            "source_url": source_url,
        },
    )
    action.full_clean()
    action.save()
    action.key = f"{(country.iso3 or country.code).lower()}-p{action.pk}"
    action.full_clean()
    action.save(update_fields=["key"])
    action_text_record(action=action, actor=actor)
    audit_write(
        subject_type=ACTION,
        subject=action,
        country_id=country.pk,
        action="create",
        actor=actor,
        to_status=action.status,
        message=action.text[:200],
    )
    return action


@transaction.atomic
def roadmap_action_update(
    *, actor: Actor, action: RoadmapAction, data: dict[str, Any]
) -> RoadmapAction:
    """Change a draft (or returned) contributed action; `data` holds the fields to change
    (priority_area, text, responsible_body, timeline, start_date, end_date, budget_amount,
    budget_currency, funding, source_url)."""
    action = action_lock(action)
    if not permissions.can_edit_action(actor, action):
        raise PermissionDenied(_("You cannot edit this action in its current state."))
    unknown = (
        set(data)
        - set(_TEXT_FIELDS)
        - {
            "start_date",
            "end_date",
            "budget_amount",
            "budget_currency",
            "funding",
            "source_url",
        }
    )
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    _fields_apply(action, data)
    action.full_clean()
    action.save()
    action_text_record(action=action, actor=actor)
    audit_write(
        subject_type=ACTION,
        subject=action,
        country_id=action.plan.country_id,
        action="edit",
        actor=actor,
        from_status=action.status,
        to_status=action.status,
        message=", ".join(sorted(data)),
    )
    return action


# --- the review workflow -------------------------------------------------------------------


def _publish(step: Step) -> None:
    step.subject.live = True
    # The text the secretariat publishes becomes a public version (drafts stay private).
    action_text_record(action=step.subject, actor=step.subject.created_by, published=True)


TRANSITIONS: dict[str, Transition] = review_transitions(
    can_submit=permissions.can_submit_action,
    can_review=permissions.can_review_action,
    can_withdraw=permissions.can_withdraw_action,
    submit_denied=gettext_lazy("This action cannot be submitted by you in its current state."),
    review_denied=gettext_lazy("Only the secretariat reviews submitted actions."),
    withdraw_denied=gettext_lazy("You cannot withdraw this action."),
    owners=(_country_focal_points,),
    secretariat=_secretariat,
    submitted=Wording(
        subject=gettext_lazy("Roadmap action submitted for review: %(title)s"),
        body=lambda s: (
            _("%(user)s submitted a roadmap action for review.") % {"user": s.actor}
            + "\n"
            + s.message
        ),
    ),
    changes_subject=gettext_lazy("Changes requested: %(title)s"),
    published=Wording(
        subject=gettext_lazy("Roadmap action published: %(title)s"),
        body=lambda s: s.message or _("The action is now on the country's public page."),
    ),
    withdrawn=Wording(
        subject=gettext_lazy("Roadmap action withdrawn: %(title)s"),
        body=lambda s: s.message or _("The action was withdrawn."),
    ),
    on_publish=_publish,
)


WORKFLOW = review.Workflow[RoadmapAction](
    transitions=TRANSITIONS,
    lock=action_lock,
    audit=lambda action, name, actor, before, message: audit_write(
        subject_type=ACTION,
        subject=action,
        country_id=action.plan.country_id,
        action=name,
        actor=actor,
        from_status=before,
        to_status=action.status,
        message=message,
    ),
    notify=lambda action, recipients, subject, body: notify(
        recipients=recipients, subject=subject, body=body, label=_label(action), iso3=_iso3(action)
    ),
    title=_label,
)


def roadmap_action_submit(
    *, actor: Actor, action: RoadmapAction, message: str = ""
) -> RoadmapAction:
    """Send a draft (or returned) action to the secretariat."""
    return review.act(WORKFLOW, "submit", actor=actor, subject=action, message=message).subject


def roadmap_action_request_changes(
    *, actor: Actor, action: RoadmapAction, message: str
) -> RoadmapAction:
    """Return a submitted action to the country's focal points, saying what to change."""
    step = review.act(WORKFLOW, "request_changes", actor=actor, subject=action, message=message)
    return step.subject


def roadmap_action_publish(
    *, actor: Actor, action: RoadmapAction, message: str = ""
) -> RoadmapAction:
    """Publish a submitted action: live on the country's public page from now."""
    return review.act(WORKFLOW, "publish", actor=actor, subject=action, message=message).subject


def roadmap_action_withdraw(
    *, actor: Actor, action: RoadmapAction, message: str = ""
) -> RoadmapAction:
    """Withdraw a contributed action (no longer public; kept with its history)."""
    return review.act(WORKFLOW, "withdraw", actor=actor, subject=action, message=message).subject


# --- status changes ------------------------------------------------------------------------


def _change_label(change: StatusChange) -> str:
    return f"{change.action.key}: {change.get_completion_display()} ({change.as_of:%Y-%m-%d})"


@transaction.atomic
def status_change_propose(
    *,
    actor: Actor,
    action: RoadmapAction,
    completion: str,
    as_of: date,
    evidence: str,
    evidence_url: str = "",
    evidence_publication: Any = None,
) -> StatusChange:
    """A focal point reports the action's completion (OGP scale) as of a date, with the
    evidence; the secretariat accepts or returns it."""
    action = action_lock(action)
    if not permissions.can_propose_status(actor, action):
        raise PermissionDenied(
            _("Only a focal point of this country can report the status of its actions.")
        )
    errors: dict[str, list[str]] = {}
    if completion not in Completion.values:
        errors["completion"] = [_("Choose a level of completion.")]
    if as_of is None:
        errors["as_of"] = [_("This field is required.")]
    elif as_of > timezone.localdate():
        errors["as_of"] = [_("A status cannot be reported for a date still to come.")]
    try:
        text = plain_text(evidence, field="evidence")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        text = ""
    url = (evidence_url or "").strip()
    if url:
        try:
            _http_url(url)
        except ValidationError:
            errors["evidence_url"] = [_("Enter a web address (http or https).")]
    if errors:
        raise ValidationError(errors)
    change = StatusChange(
        action=action,
        completion=completion,
        as_of=as_of,
        evidence=text,
        evidence_url=url,
        evidence_publication=evidence_publication,
        review=ChangeReview.PROPOSED,
        proposed_by=signed_in_user(actor),
    )
    change.full_clean()
    change.save()
    audit_write(
        subject_type=STATUS_CHANGE,
        subject=change,
        country_id=action.plan.country_id,
        action="propose",
        actor=actor,
        to_status=change.review,
        message=f"{action.key}: {completion} ({as_of:%Y-%m-%d})",
    )
    notify(
        recipients=secretariat_emails(),
        subject=_("Status change proposed: %(title)s") % {"title": _change_label(change)},
        body=_("%(user)s reported a new status with evidence.") % {"user": actor} + "\n" + text,
        label=_change_label(change),
        iso3=_iso3(action),
    )
    return change


def _decide(
    *, actor: Actor, change: StatusChange, to: str, note: str, note_required: bool
) -> StatusChange:
    change = (
        StatusChange.objects.select_for_update(of=("self",))
        .select_related("action", "action__plan", "action__plan__country")
        .get(pk=change.pk)
    )
    if not permissions.can_decide_status(actor, change):
        raise PermissionDenied(_("Only the secretariat decides on proposed status changes."))
    text = plain_text(note, field="message", required=note_required)
    before = change.review
    change.review = to
    change.review_note = text
    change.decided_by = signed_in_user(actor)
    change.decided_at = timezone.now()
    change.full_clean()
    change.save()
    audit_write(
        subject_type=STATUS_CHANGE,
        subject=change,
        country_id=change.action.plan.country_id,
        action="accept" if to == ChangeReview.ACCEPTED else "return",
        actor=actor,
        from_status=before,
        to_status=to,
        message=text,
    )
    subject = (
        _("Status change accepted: %(title)s")
        if to == ChangeReview.ACCEPTED
        else _("Status change returned: %(title)s")
    )
    notify(
        recipients=focal_point_emails(country_id=change.action.plan.country_id),
        subject=subject % {"title": _change_label(change)},
        body=text,
        label=_change_label(change),
        iso3=_iso3(change.action),
    )
    return change


@transaction.atomic
def status_change_accept(*, actor: Actor, change: StatusChange, note: str = "") -> StatusChange:
    """Accept a proposed status change: it joins the action's public status history."""
    return _decide(
        actor=actor, change=change, to=ChangeReview.ACCEPTED, note=note, note_required=False
    )


@transaction.atomic
def status_change_return(*, actor: Actor, change: StatusChange, note: str) -> StatusChange:
    """Return a proposed status change to the country, saying why (a note is required)."""
    return _decide(
        actor=actor, change=change, to=ChangeReview.RETURNED, note=note, note_required=True
    )
