"""The Global Coordinating Group page, `/<lang>/gcg/`: meetings and Alliance-level events,
the Alliance's published counts, and the goals — each computed from live data at a date
(`?as_of=YYYY-MM-DD`, default today) beside the assessments published after meetings, shown
as they were published. The secretariat publishes an assessment from the same page (POST);
the view checks the form and calls sdg87.alliance.services.goals."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdg87.alliance import gcg_selectors
from sdg87.alliance.goals import goal_status_label
from sdg87.alliance.group_views import partial_date_label, when_label
from sdg87.alliance.models import GCGEventType, GCGMeeting, GoalMetric
from sdg87.alliance.services.goals import can_publish_assessment, goal_assessment_publish

EARLIEST = date(2015, 1, 1)  # the 2030 Agenda's first year: nothing to assess before


def snapshot_metric_label(metric: str) -> str:
    return {
        "pathfinder_countries": _("Pathfinder Countries"),
        "pathfinder_countries_committed": _("Countries committed to become Pathfinders"),
        "pathfinder_countries_started_process": _("Countries that started the Pathfinder process"),
        "pathfinder_countries_expressed_interest": _(
            "Countries that expressed interest in becoming Pathfinders"
        ),
        "pathfinder_countries_implementing": _("Pathfinder Countries implementing a roadmap"),
        "pathfinder_countries_initial_group": _("Initial group of Pathfinder Countries"),
        "partner_organisations": _("Partner organisations"),
    }.get(metric, metric)


def snapshot_date_label(text: str) -> str:
    if text == "undated":
        return _("date not stated")
    if text.endswith("(early)"):
        return _("early %(year)s") % {"year": text.split()[0]}
    return partial_date_label(text)


def parse_as_of(text: str | None, *, today: date) -> tuple[date, str]:
    """(date, error): the date asked for, or today with a message saying why not."""
    if not text:
        return today, ""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return today, _("“%(value)s” is not a date in the form YYYY-MM-DD; showing today.") % {
            "value": text[:40]
        }
    if day < EARLIEST or day > today:
        return today, _("Choose a date between %(start)s and today; showing today.") % {
            "start": EARLIEST.isoformat()
        }
    return day, ""


def _meetings() -> list[dict[str, Any]]:
    types = dict(GCGEventType.choices)
    return [
        {
            "meeting": m,
            "when": when_label(
                day=m.date, precision=m.date_precision, approximate=m.is_approximate
            ),
            "kind": types.get(m.event_type, m.event_type),
            "secondary": m.verification == "verified_secondary",
        }
        for m in gcg_selectors.meeting_list()
    ]


def _snapshots() -> list[dict[str, Any]]:
    tables: dict[str, list[dict[str, str]]] = {}
    for snap in gcg_selectors.snapshot_list():
        tables.setdefault(snap.metric, []).append(
            {
                "as_of": snapshot_date_label(snap.as_of),
                "value": snap.value,
                "qualifier": snap.qualifier,
                "source_url": snap.source_url,
            }
        )
    return [
        {"metric": metric, "label": snapshot_metric_label(metric), "rows": rows}
        for metric, rows in tables.items()
    ]


def number(value: float | None, decimals: int) -> str:
    if value is None:
        return ""
    return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def meeting_label(meeting: GCGMeeting) -> str:
    when = when_label(
        day=meeting.date, precision=meeting.date_precision, approximate=meeting.is_approximate
    )
    kind = dict(GCGEventType.choices).get(meeting.event_type, meeting.event_type)
    if meeting.number:
        return _("Meeting no. %(number)s, %(date)s") % {"number": meeting.number, "date": when}
    return _("%(kind)s, %(date)s") % {"kind": kind, "date": when}


def _goal_rows(as_of: date) -> list[dict[str, Any]]:
    out = []
    for row in gcg_selectors.goal_rows(as_of=as_of):
        series = row.goal.series
        decimals = series.decimals if series else 0
        ratio = row.result.ratio
        out.append(
            {
                "row": row,
                "status": goal_status_label(row.result.status),
                "unit": series.unit_label if series else "",
                "metric": GoalMetric(row.goal.metric).label,
                "baseline": number(row.baseline.value if row.baseline else None, decimals),
                "current": number(row.current.value if row.current else None, decimals),
                "target": number(row.goal.target_value, decimals),
                "observed": number(row.result.observed_per_year, decimals + 1),
                "required": number(row.result.required_per_year, decimals + 1),
                "ratio_pct": None if ratio is None else number(ratio * 100, 0),
                "meeting": meeting_label(row.goal.meeting) if row.goal.meeting else "",
            }
        )
    return out


def _assessments() -> list[dict[str, Any]]:
    return [
        {
            "assessment": a,
            "meeting": meeting_label(a.meeting) if a.meeting else "",
            "rows": [
                {**r, "status_label": goal_status_label(str(r.get("status", "")))}
                for r in a.rows
                if isinstance(r, dict)
            ],
        }
        for a in gcg_selectors.assessment_list()
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def gcg_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    can_publish = can_publish_assessment(actor=request.user)
    if request.method == "POST":
        return _publish(request, today=today)
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"), today=today)
    meetings = _meetings()
    measures = [
        {"label": GoalMetric(m.metric).label, "value": m.value}
        for m in gcg_selectors.measures_at(as_of=as_of)
    ]
    return render(
        request,
        "alliance/gcg_page.html",
        {
            "as_of": as_of,
            "as_of_is_today": as_of == today,
            "as_of_error": as_of_error,
            "today": today,
            "earliest": EARLIEST,
            "meetings": meetings,
            "snapshots": _snapshots(),
            "goals": _goal_rows(as_of),
            "measures": measures,
            "assessments": _assessments(),
            "can_publish": can_publish,
            "publish_meetings": [(m["meeting"].pk, meeting_label(m["meeting"])) for m in meetings],
        },
    )


def _publish(request: HttpRequest, *, today: date) -> HttpResponse:
    if not can_publish_assessment(actor=request.user):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat publishes assessments."))
    as_of, error = parse_as_of(request.POST.get("as_of"), today=today)
    meeting = None
    meeting_id = request.POST.get("meeting", "")
    if meeting_id:
        meeting = next((m for m in gcg_selectors.meeting_list() if str(m.pk) == meeting_id), None)
        if meeting is None:
            error = _("Choose a meeting from the list.")
    if error:
        messages.error(request, error)
        return redirect(reverse("alliance-groups:gcg"))
    try:
        assessment = goal_assessment_publish(actor=request.user, meeting=meeting, as_of=as_of)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("alliance-groups:gcg"))
    messages.success(
        request,
        _("Assessment as of %(date)s published.") % {"date": assessment.as_of.isoformat()},
    )
    return redirect(reverse("alliance-groups:gcg") + "#assessments")
