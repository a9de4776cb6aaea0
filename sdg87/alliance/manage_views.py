"""The contributors' pages of the Pathfinder tracker: a country's focal points (their
actions, status reports and replies), the secretariat's review queue, the reviewers' ratings.

Views parse input, ask sdg87.alliance.permissions, call one service and render; everything
works without JavaScript, every change is a POST with a CSRF token. Anonymous visitors are
sent to the site's login page; signed-in people without the role get 403. Unknown countries
and rows that do not belong to the country in the address are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.alliance import permissions
from sdg87.alliance.forms import (
    ActionIndicatorForm,
    DecisionForm,
    RatingForm,
    ReplyEditForm,
    ReplyForm,
    RoadmapActionForm,
    StatusChangeForm,
)
from sdg87.alliance.models import (
    ActionIndicator,
    ActionTextVersion,
    AnnualReport,
    ChangeReview,
    Rating,
    Reply,
    ReviewStatus,
    RoadmapAction,
    StatusChange,
)
from sdg87.alliance.services import audit, indicators, ratings, replies, roadmap
from sdg87.alliance.visibility import public_actions
from sdg87.geo.models import Geography, GeographyKind


def _login(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))


def _country(iso3: str) -> Geography:
    country = Geography.objects.filter(iso3=iso3.upper(), kind=GeographyKind.COUNTRY).first()
    if country is None:
        raise Http404(_("Country not found"))
    return country


def _managed_country(request: HttpRequest, iso3: str) -> Geography:
    country = _country(iso3)
    if not permissions.can_manage_country(request.user, country.pk):
        raise PermissionDenied(_("Only this country's focal points and the secretariat work here."))
    return country


def _action_of(country: Geography, pk: int) -> RoadmapAction:
    action = (
        RoadmapAction.objects.select_related("plan", "plan__country")
        .filter(pk=pk, plan__country=country)
        .first()
    )
    if action is None:
        raise Http404(_("Action not found"))
    return action


def _reply_of(country: Geography, pk: int) -> Reply:
    reply = Reply.objects.select_related("country").filter(pk=pk, country=country).first()
    if reply is None:
        raise Http404(_("Reply not found"))
    return reply


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _back(request: HttpRequest, iso3: str) -> HttpResponse:
    """After a button: back to the review queue when pressed there, else the country's page."""
    if request.POST.get("back") == "review":
        return redirect("pathfinder_review")
    return redirect("pathfinder_manage", iso3=iso3.upper())


# --- a country's page ----------------------------------------------------------------------


def pathfinder_manage(request: HttpRequest, iso3: str) -> HttpResponse:
    """The country's actions (drafts included), its proposed status changes and its replies,
    with the buttons each person may press."""
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    user = request.user
    actions = list(
        RoadmapAction.objects.filter(plan__country=country)
        .select_related("plan", "plan__country")
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("-as_of", "-id")),
            Prefetch("indicators", queryset=ActionIndicator.objects.select_related("series")),
            Prefetch(
                "text_versions",
                queryset=ActionTextVersion.objects.select_related("changed_by").order_by("-number"),
            ),
        )
        .order_by("plan__title", "priority_area", "id")
    )
    rows = [
        {
            "action": a,
            "changes": list(a.status_changes.all())[:5],
            "can_edit": permissions.can_edit_action(user, a),
            "can_submit": permissions.can_submit_action(user, a),
            "can_review": permissions.can_review_action(user, a),
            "can_withdraw": permissions.can_withdraw_action(user, a),
            "can_propose": permissions.can_propose_status(user, a),
            "indicators": list(a.indicators.all()),
            "versions": list(a.text_versions.all()),
            "can_link": permissions.can_link_indicator(user, a),
        }
        for a in actions
    ]
    reply_rows = [
        {
            "reply": r,
            "public": replies.reply_public_version(reply=r),
            "can_edit": permissions.can_edit_reply(user, r),
            "can_submit": permissions.can_submit_reply(user, r),
            "can_review": permissions.can_review_reply(user, r),
            "can_withdraw": permissions.can_withdraw_reply(user, r),
        }
        for r in Reply.objects.filter(country=country).order_by("-updated_at", "-id")
    ]
    return render(
        request,
        "alliance/manage/manage.html",
        {
            "country": country,
            "iso3": country.iso3,
            "rows": rows,
            "reply_rows": reply_rows,
            "can_create": permissions.can_create_action(user, country.pk),
            "can_reply": permissions.can_create_reply(user, country.pk),
            "is_secretariat": permissions.is_secretariat(user),
            "decision_form": DecisionForm(),
            "audit": list(
                audit.AllianceAuditEntry.objects.filter(country=country)
                .select_related("actor")
                .order_by("-created_at", "-id")[:30]
            ),
        },
    )


def pathfinder_action_new(request: HttpRequest, iso3: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    if not permissions.can_create_action(request.user, country.pk):
        raise PermissionDenied(_("Only a focal point of this country can add its actions."))
    form = RoadmapActionForm(request.POST or None, country=country)
    if request.method == "POST" and form.is_valid():
        try:
            action = roadmap.roadmap_action_create(
                actor=request.user,
                country=country,
                plan=form.cleaned_data["plan"],
                plan_title=form.cleaned_data["plan_title"],
                **form.values(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Action %(key)s saved as a draft. Submit it when it is ready for review.")
                % {"key": action.key},
            )
            return redirect("pathfinder_manage", iso3=country.iso3)
    return render(
        request,
        "alliance/manage/action_form.html",
        {"form": form, "country": country, "action": None},
        status=400 if request.method == "POST" else 200,
    )


def pathfinder_action_edit(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    action = _action_of(country, pk)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied(_("You cannot edit this action in its current state."))
    initial = {name: getattr(action, name) for name in RoadmapActionForm.SERVICE_FIELDS}
    form = RoadmapActionForm(request.POST or None, initial=initial, country=country, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            roadmap.roadmap_action_update(actor=request.user, action=action, data=form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("pathfinder_manage", iso3=country.iso3)
    return render(
        request,
        "alliance/manage/action_form.html",
        {"form": form, "country": country, "action": action},
        status=400 if request.method == "POST" else 200,
    )


ACTION_VERBS: dict[str, Callable[..., object]] = {
    "submit": roadmap.roadmap_action_submit,
    "publish": roadmap.roadmap_action_publish,
    "request_changes": roadmap.roadmap_action_request_changes,
    "withdraw": roadmap.roadmap_action_withdraw,
}


@require_POST
def pathfinder_action_do(request: HttpRequest, iso3: str, pk: int, verb: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    if verb not in ACTION_VERBS:
        raise Http404(_("Unknown action"))
    country = _country(iso3)
    action = _action_of(country, pk)
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        ACTION_VERBS[verb](actor=request.user, action=action, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return _back(request, country.iso3 or iso3)


def pathfinder_status_new(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    """A focal point reports an action's completion with evidence."""
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    action = _action_of(country, pk)
    if not permissions.can_propose_status(request.user, action):
        raise PermissionDenied(_("Only a focal point of this country reports the status."))
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            roadmap.status_change_propose(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Status reported; the secretariat will review it."))
            return redirect("pathfinder_manage", iso3=country.iso3)
    return render(
        request,
        "alliance/manage/status_form.html",
        {"form": form, "country": country, "action": action},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def pathfinder_status_decide(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The secretariat accepts or returns a proposed status change."""
    if (denied := _login(request)) is not None:
        return denied
    change = StatusChange.objects.select_related("action__plan__country").filter(pk=pk).first()
    if change is None or verb not in ("accept", "return"):
        raise Http404(_("Status change not found"))
    if not permissions.is_secretariat(request.user):
        raise PermissionDenied(_("Only the secretariat decides on proposed status changes."))
    decide = roadmap.status_change_accept if verb == "accept" else roadmap.status_change_return
    return _decision(
        request,
        lambda note: decide(actor=request.user, change=change, note=note),
        iso3=change.action.plan.country.iso3 or "",
    )


def _decision(request: HttpRequest, decide: Callable[[str], object], *, iso3: str) -> HttpResponse:
    """Carry out the secretariat's decision with the note of the posted DecisionForm, and go
    back to where it was taken."""
    form = DecisionForm(request.POST)
    note = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        decide(note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return _back(request, iso3)


# --- indicators linked to an action -------------------------------------------------------


def pathfinder_indicator_new(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    """A focal point links a series to an action with the national baseline and target."""
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    action = _action_of(country, pk)
    if not permissions.can_link_indicator(request.user, action):
        raise PermissionDenied(_("Only a focal point of this country can link indicators."))
    form = ActionIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicators.action_indicator_propose(
                actor=request.user, action=action, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Indicator linked; the secretariat will review it."))
            return redirect("pathfinder_manage", iso3=country.iso3)
    return render(
        request,
        "alliance/manage/indicator_form.html",
        {"form": form, "country": country, "action": action},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def pathfinder_indicator_decide(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The secretariat accepts or returns a proposed indicator link."""
    if (denied := _login(request)) is not None:
        return denied
    link = ActionIndicator.objects.select_related("action__plan__country").filter(pk=pk).first()
    if link is None or verb not in ("accept", "return"):
        raise Http404(_("Indicator link not found"))
    if not permissions.is_secretariat(request.user):
        raise PermissionDenied(_("Only the secretariat decides on proposed indicator links."))
    decide = (
        indicators.action_indicator_accept
        if verb == "accept"
        else indicators.action_indicator_return
    )
    return _decision(
        request,
        lambda note: decide(actor=request.user, link=link, note=note),
        iso3=link.action.plan.country.iso3 or "",
    )


# --- replies -------------------------------------------------------------------------------


def pathfinder_reply_new(request: HttpRequest, iso3: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    if not permissions.can_create_reply(request.user, country.pk):
        raise PermissionDenied(_("Only a focal point of this country can reply in its name."))
    form = ReplyForm(request.POST or None, ratings=replies.rating_options(country=country))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            replies.reply_create(
                actor=request.user,
                country=country,
                subject=data["subject"],
                subject_ref=data["subject_ref"],
                title=data["title"],
                text=data["text"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Reply saved as a draft. Submit it for review."))
            return redirect("pathfinder_manage", iso3=country.iso3)
    return render(
        request,
        "alliance/manage/reply_form.html",
        {"form": form, "country": country, "reply": None},
        status=400 if request.method == "POST" else 200,
    )


def pathfinder_reply_edit(request: HttpRequest, iso3: str, pk: int) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    reply = _reply_of(country, pk)
    if not permissions.can_edit_reply(request.user, reply):
        raise PermissionDenied(_("You cannot edit this reply in its current state."))
    working_title, working_text = replies.reply_working_text(reply=reply)
    form = ReplyEditForm(
        request.POST or None, initial={"title": working_title, "text": working_text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            replies.reply_update(actor=request.user, reply=reply, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved. Submit the new text for review."))
            return redirect("pathfinder_manage", iso3=country.iso3)
    return render(
        request,
        "alliance/manage/reply_form.html",
        {"form": form, "country": country, "reply": reply},
        status=400 if request.method == "POST" else 200,
    )


REPLY_VERBS: dict[str, Callable[..., object]] = {
    "submit": replies.reply_submit,
    "publish": replies.reply_publish,
    "request_changes": replies.reply_request_changes,
    "withdraw": replies.reply_withdraw,
}


@require_POST
def pathfinder_reply_do(request: HttpRequest, iso3: str, pk: int, verb: str) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    if verb not in REPLY_VERBS:
        raise Http404(_("Unknown action"))
    country = _country(iso3)
    reply = _reply_of(country, pk)
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        REPLY_VERBS[verb](actor=request.user, reply=reply, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return _back(request, country.iso3 or iso3)


# --- the secretariat's queue ---------------------------------------------------------------


def pathfinder_review(request: HttpRequest) -> HttpResponse:
    """What waits for the secretariat: submitted actions, proposed status changes, submitted
    replies and annual reports (oldest first)."""
    if (denied := _login(request)) is not None:
        return denied
    if not permissions.can_see_review_queue(request.user):
        raise PermissionDenied(_("Only the secretariat reviews contributions."))
    return render(
        request,
        "alliance/manage/review.html",
        {
            "actions": RoadmapAction.objects.filter(status=ReviewStatus.SUBMITTED)
            .select_related("plan", "plan__country")
            .order_by("updated_at", "id"),
            "changes": StatusChange.objects.filter(review=ChangeReview.PROPOSED)
            .select_related("action", "action__plan__country", "proposed_by")
            .order_by("created_at", "id"),
            "links": ActionIndicator.objects.filter(review=ChangeReview.PROPOSED)
            .select_related("action", "action__plan__country", "series", "proposed_by")
            .order_by("created_at", "id"),
            "replies": Reply.objects.filter(status=ReviewStatus.SUBMITTED)
            .select_related("country")
            .order_by("updated_at", "id"),
            "reports": AnnualReport.objects.filter(status=ReviewStatus.SUBMITTED)
            .select_related("country")
            .order_by("filed_at", "id"),
            "decision_form": DecisionForm(),
        },
    )


# --- the reviewers' ratings ----------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied(_("Only independent reviewers rate actions."))


def pathfinder_rate_list(request: HttpRequest) -> HttpResponse:
    """The public actions a reviewer may rate (never those of their own country)."""
    if (denied := _login(request)) is not None:
        return denied
    _require_reviewer(request)
    own = permissions.focal_country_ids(request.user)
    actions = (
        public_actions()
        .exclude(plan__country_id__in=own)
        .order_by("plan__country__name_en", "plan__title", "priority_area", "id")
    )
    return render(request, "alliance/manage/rate_list.html", {"actions": actions[:500]})


def pathfinder_rate(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    _require_reviewer(request)
    action = public_actions().filter(pk=pk).first()
    if action is None:
        raise Http404(_("Action not found"))
    if not permissions.can_rate_action(request.user, action):
        raise PermissionDenied(_("You cannot rate the actions of a country you speak for."))
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.rating_create(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Rating recorded."))
            return redirect("pathfinder_rate_list")
    history: list[Rating] = list(
        action.ratings.select_related("reviewer").order_by("-rated_at", "-id")
    )
    accepted = list(
        action.status_changes.filter(review=ChangeReview.ACCEPTED).order_by("-as_of", "-id")
    )
    return render(
        request,
        "alliance/manage/rate.html",
        {"form": form, "action": action, "ratings": history, "self_reports": accepted},
        status=400 if request.method == "POST" else 200,
    )
