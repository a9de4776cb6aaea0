"""The public Action Group hubs: `/<lang>/action-groups/` and `/<lang>/action-groups/<slug>/`.

Views call one selector of sdg87.alliance.group_selectors and choose the words for types,
statuses and dates; every fact on the page carries its source link. The members-only
workspaces are elsewhere and nothing of them is read here."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_cookie

from sdg87.alliance import group_selectors, permissions
from sdg87.alliance.forms import GroupLinkForm
from sdg87.alliance.models import DatePrecision, GroupLink
from sdg87.alliance.services import group_links
from sdg87.alliance.services.audit import audit_list
from sdg87.core.cache import cache_public_page

PAGE_CACHE_SECONDS = 300


def group_type_label(value: str) -> str:
    return {
        "action_group": _("Action Group"),
        "working_group": _("Working group"),
        "communication_group": _("Communication group"),
        "gcg_working_group": _("Working group of the Global Coordinating Group"),
    }.get(value, value)


def group_status_label(value: str) -> tuple[str, str]:
    """(status, what it means) in plain words."""
    return {
        "active": (
            _("Active"),
            _("The Alliance's pages show current activity of this group."),
        ),
        "listed": (
            _("Listed"),
            _(
                "On the Alliance's current list of Action Groups; no recent activity "
                "was found in the sources."
            ),
        ),
        "historical": (
            _("Historical"),
            _("Announced in 2017 but absent from later lists of Action Groups."),
        ),
    }.get(
        value,
        (_("Status not known"), _("The sources do not say whether this group is active.")),
    )


def workstream_kind_label(value: str) -> str:
    return {
        "working_group": _("Working group"),
        "workstream": _("Workstream"),
        "workplan_outcome": _("Work plan outcome"),
        "outcome_area": _("Outcome area"),
        "priority": _("Priority"),
        "output": _("Output"),
    }.get(value, value)


def partial_date_label(text: str) -> str:
    """ "2017-06" -> "June 2017"; "2017-11-28" -> the local date; "2025" stays."""
    try:
        if len(text) == 7:
            return formats.date_format(date.fromisoformat(text + "-01"), "YEAR_MONTH_FORMAT")
        if len(text) == 10:
            return formats.date_format(date.fromisoformat(text), "DATE_FORMAT")
    except ValueError:
        pass
    return text


def when_label(*, day: date | None, precision: str, approximate: bool) -> str:
    """A date as precisely as it is known; approximate ones say so."""
    if day is None:
        return _("date not known")
    if precision == DatePrecision.YEAR:
        text = str(day.year)
    elif precision == DatePrecision.MONTH:
        text = formats.date_format(day, "YEAR_MONTH_FORMAT")
    else:
        text = formats.date_format(day, "DATE_FORMAT")
    if approximate:
        return _("%(date)s (approximate)") % {"date": text}
    return text


def _urls(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@cache_public_page(PAGE_CACHE_SECONDS)
def group_index(request: HttpRequest) -> HttpResponse:
    counts = group_selectors.event_count_by_group()
    rows = []
    for group in group_selectors.group_list():
        status, meaning = group_status_label(group.current_status)
        rows.append(
            {
                "group": group,
                "type": group_type_label(group.group_type),
                "status": status,
                "status_meaning": meaning,
                "events": counts.get(group.pk, 0),
            }
        )
    return render(request, "alliance/group_index.html", {"rows": rows})


@cache_public_page(PAGE_CACHE_SECONDS)
@vary_on_cookie  # the workspace link is for members only: a cached page per visitor's cookie
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_selectors.group_get(slug=slug)
    if group is None:
        raise Http404(_("No such Action Group."))
    hub = group_selectors.group_hub(group=group)
    status, meaning = group_status_label(group.current_status)
    events = [
        {
            "event": event,
            "when": when_label(
                day=event.date, precision=event.date_precision, approximate=event.is_approximate
            ),
            "secondary": event.verification == "verified_secondary",
        }
        for event in hub.events
    ]
    workstreams = [
        {"item": item, "kind": workstream_kind_label(item.kind)} for item in hub.workstreams
    ]
    return render(
        request,
        "alliance/group_detail.html",
        {
            "group": group,
            "type": group_type_label(group.group_type),
            "status": status,
            "status_meaning": meaning,
            "established": partial_date_label(group.established),
            "members_as_of": partial_date_label(group.members_as_of),
            "other_sources": _urls(group.other_source_urls),
            "workstreams": workstreams,
            "events": events,
            "members": hub.members,
            "publications": hub.publications,
            "news": [
                {
                    "item": item,
                    "when": when_label(day=item.date, precision=item.precision, approximate=False),
                }
                for item in hub.news
            ],
            "can_link": permissions.can_link_group_content(request.user),
        },
    )


# --- the secretariat: what the hub links to ------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def group_links_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """List, add and remove the group's links to publications and news (the secretariat)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_link_group_content(request.user):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat links content to groups."))
    group = group_selectors.group_get(slug=slug)
    if group is None:
        raise Http404(_("No such Action Group."))
    choices = group_selectors.linkable_choices()
    form = GroupLinkForm(request.POST or None, choices=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            kind, _sep, key = form.cleaned_data["target"].partition(":")
            try:
                group_links.group_link_add(
                    actor=request.user,
                    group=group,
                    publication=group_selectors.linkable_publication(slug=key)
                    if kind == "pub"
                    else None,
                    page=group_selectors.linkable_page(pk=key) if kind == "page" else None,
                    evidence_url=form.cleaned_data["evidence_url"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The link was added."))
                return redirect("alliance-groups:group_links", slug=group.slug)
    return render(
        request,
        "alliance/group_links.html",
        {
            "group": group,
            "form": form,
            "links": group_selectors.group_links_all(group=group),
            "audit": audit_list(subject_type=group_links.GROUP_LINK, subject_id=group.pk),
        },
        status=status,
    )


@require_http_methods(["POST"])
def group_link_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if not permissions.can_link_group_content(request.user):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat links content to groups."))
    link = GroupLink.objects.filter(pk=pk, group__slug=slug).first()
    if link is None:
        raise Http404(_("No such link."))
    try:
        group_links.group_link_remove(actor=request.user, link=link)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The link was removed."))
    return redirect("alliance-groups:group_links", slug=slug)
