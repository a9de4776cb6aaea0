"""Annual reports of the Pathfinder Countries: the focal points' pages (under the country's
manage page: start a year's report, fill it in like the roadmap, submit it), the buttons of
the review (the secretariat's queue lists submitted reports), and the published report as a
page and as a PDF.

Views parse input, ask sdg87.alliance.permissions, call one service or selector and render;
no JavaScript, every change is a POST with a CSRF token. The page and the PDF are built from
one ReportDocument so that they say the same words. Anything not published is 404 in public.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.alliance import permissions, selectors
from sdg87.alliance.forms import DecisionForm
from sdg87.alliance.models import AnnualReport, AnnualReportEntry
from sdg87.alliance.pathfinder_views import category_label
from sdg87.alliance.report_forms import ReportForm, ReportStartForm
from sdg87.alliance.report_pdf import (
    AreaBlock,
    EntryBlock,
    Fact,
    ReportDocument,
    report_pdf_render,
)
from sdg87.alliance.selectors import Category, ReportArea
from sdg87.alliance.services import reports
from sdg87.core.cache import cache_public_page
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators import labels
from sdg87.indicators.labels import age_phrase

PAGE_CACHE_SECONDS = 300


# --- the document: one text for the page and the PDF -------------------------------------------


def fact_text(stat: dict[str, Any]) -> str:
    """A filed statistic in words: "SDG 8.7.1: 13.2% of children aged 5-17 ... (2017)"."""
    unit = str(stat.get("unit") or "")
    series = SimpleNamespace(decimals=stat.get("decimals", 1), unit=unit)
    text = _(
        "SDG %(indicator)s: %(value)s of children aged %(age)s in child labour (economic "
        "activity only, both sexes), %(year)s."
    ) % {
        "indicator": stat.get("indicator", "8.7.1"),
        "value": labels.format_value(stat.get("value"), series, unit),
        "age": age_phrase(str(stat.get("age") or "")),
        "year": stat.get("year"),
    }
    category = str(stat.get("category") or "")
    if category in set(Category):
        text += " " + _("Against the SDG target: %(category)s.") % {
            "category": category_label(Category(category))
        }
    return text


def fact_source(stat: dict[str, Any]) -> str:
    return _("Source: %(source)s, %(release)s (%(year)s); figures as of %(taken)s.") % {
        "source": stat.get("source") or stat.get("publisher") or "",
        "release": stat.get("release_title") or stat.get("release") or "",
        "year": stat.get("release_year") or "",
        "taken": stat.get("taken_on") or "",
    }


def _entry_block(entry: AnnualReportEntry) -> EntryBlock:
    none = _("none stated")
    lines = [
        (_("Completion:"), str(entry.get_completion_display())),
        (_("Evidence:"), entry.evidence or none),
        (_("Barriers:"), entry.barriers or none),
        (_("Next steps:"), entry.next_steps or none),
    ]
    return EntryBlock(
        action=entry.action.text,
        lines=lines,
        link_label=_("Evidence link:") if entry.evidence_url else "",
        link=entry.evidence_url,
    )


def _area_heading(area: ReportArea) -> str:
    return _("%(area)s (%(plan)s)") % {"area": area.name, "plan": area.plan.title}


def report_document(
    *, report: AnnualReport, areas: list[ReportArea], page_url: str = ""
) -> ReportDocument:
    """The report's words in the active language."""
    country = report.country.name
    meta = [
        _(
            "Progress report of the Government of %(country)s as an Alliance 8.7 Pathfinder "
            "Country, self-reported and published after review by the Alliance 8.7 secretariat."
        )
        % {"country": country},
    ]
    if report.filed_at is not None:
        meta.append(
            _("Filed on %(date)s.") % {"date": formats.date_format(report.filed_at, "DATE_FORMAT")}
        )
    return ReportDocument(
        lang=get_language() or "en",
        title=_("%(country)s: annual report %(year)s") % {"country": country, "year": report.year},
        meta=meta,
        summary_heading=_("Summary"),
        summary=report.summary or _("No summary was given."),
        statistics_heading=_("Statistics as filed"),
        statistics_note=_(
            "The figures the report was filed with, as they stood then; later releases may "
            "differ (see the country's Pathfinder page for the latest)."
        ),
        facts=[
            Fact(text=fact_text(s), source=fact_source(s), url=str(s.get("source_url") or ""))
            for s in report.statistics
        ],
        no_facts=_("No SDG 8.7.1 figure was held for the country when the report was filed."),
        actions_heading=_("Roadmap actions"),
        areas=[
            AreaBlock(heading=_area_heading(a), entries=[_entry_block(e) for e in a.entries])
            for a in areas
        ],
        no_actions=_("The country had no public roadmap action when the report was started."),
        footer=_("%(country)s: annual report %(year)s") % {"country": country, "year": report.year},
        page_url=page_url,
    )


# --- public -----------------------------------------------------------------------------------


def _public_detail(request: HttpRequest, iso3: str, year: int) -> selectors.ReportDetail:
    detail = selectors.report_public_detail(iso3=iso3, year=int(year))
    if detail is None:
        raise Http404(_("No published annual report for this country and year."))
    return detail


@cache_public_page(PAGE_CACHE_SECONDS)
def report_public(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    """A published annual report as a page."""
    detail = _public_detail(request, iso3, year)
    if iso3 != detail.country.iso3:
        return redirect("pathfinder_report", iso3=detail.country.iso3, year=int(year))
    document = report_document(report=detail.report, areas=detail.areas)
    return render(
        request,
        "alliance/report_detail.html",
        {"detail": detail, "doc": document, "country": detail.country, "report": detail.report},
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def report_public_pdf(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    """The same report as a PDF."""
    detail = _public_detail(request, iso3, year)
    iso = detail.country.iso3 or iso3.upper()
    page = request.build_absolute_uri(reverse("pathfinder_report", args=[iso, year]))
    document = report_document(report=detail.report, areas=detail.areas, page_url=page)
    response = HttpResponse(report_pdf_render(document=document), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="annual-report-{iso.lower()}-{year}-{document.lang}.pdf"'
    )
    return response


# --- the focal points' pages ----------------------------------------------------------------


def _login(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))


def _managed_country(request: HttpRequest, iso3: str) -> Geography:
    country = Geography.objects.filter(iso3=iso3.upper(), kind=GeographyKind.COUNTRY).first()
    if country is None:
        raise Http404(_("Country not found"))
    if not permissions.can_manage_country(request.user, country.pk):
        raise PermissionDenied(_("Only this country's focal points and the secretariat work here."))
    return country


def _report_of(country: Geography, year: int) -> AnnualReport:
    report = AnnualReport.objects.select_related("country").filter(country=country, year=int(year))
    found = report.first()
    if found is None:
        raise Http404(_("Report not found"))
    return found


def report_manage_list(request: HttpRequest, iso3: str) -> HttpResponse:
    """The country's reports (every state) and the form to start a year's report."""
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    existing = list(AnnualReport.objects.filter(country=country).order_by("-year"))
    can_start = permissions.can_create_report(request.user, country.pk)
    form = ReportStartForm(request.POST or None, taken=[r.year for r in existing])
    if request.method == "POST":
        if not can_start:
            raise PermissionDenied(_("Only a focal point of this country files its report."))
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                reports.report_start(actor=request.user, country=country, year=year)
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The report for %(year)s is started, pre-filled from the roadmap.")
                    % {"year": year},
                )
                return redirect("pathfinder_report_edit", iso3=country.iso3, year=year)
    return render(
        request,
        "alliance/manage/report_list.html",
        {"country": country, "reports": existing, "form": form, "can_start": can_start},
        status=400 if request.method == "POST" else 200,
    )


def report_edit(request: HttpRequest, iso3: str, year: int) -> HttpResponse:
    """The report structured like the roadmap: per action, status, evidence, barriers and
    next steps, grouped by priority area; read-only for those who cannot edit it."""
    if (denied := _login(request)) is not None:
        return denied
    country = _managed_country(request, iso3)
    report = _report_of(country, year)
    user = request.user
    can_edit = permissions.can_edit_report(user, report)
    areas = selectors.report_areas(report=report)
    entries = [e for area in areas for e in area.entries]
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        entries=entries,
        initial={"summary": report.summary},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You cannot edit this report in its current state."))
        if form.is_valid():
            try:
                reports.report_update(
                    actor=user,
                    report=report,
                    summary=form.cleaned_data["summary"],
                    entries=form.entries_data(),
                )
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(form.service_error_field(key), error)
            else:
                messages.success(request, _("Saved."))
                return redirect("pathfinder_report_edit", iso3=country.iso3, year=year)
    groups = [
        {"area": area, "rows": [(e, form.entry_fields(e.pk)) for e in area.entries]}
        for area in areas
    ]
    return render(
        request,
        "alliance/manage/report_form.html",
        {
            "country": country,
            "report": report,
            "form": form,
            "groups": groups,
            "facts": [
                (fact_text(s), fact_source(s), s.get("source_url", "")) for s in report.statistics
            ],
            "can_edit": can_edit,
            "can_submit": permissions.can_submit_report(user, report),
            "can_review": permissions.can_review_report(user, report),
            "can_withdraw": permissions.can_withdraw_report(user, report),
        },
        status=400 if request.method == "POST" else 200,
    )


REPORT_VERBS: dict[str, Callable[..., object]] = {
    "submit": reports.report_submit,
    "publish": reports.report_publish,
    "request_changes": reports.report_request_changes,
    "withdraw": reports.report_withdraw,
}


@require_POST
def report_do(request: HttpRequest, iso3: str, year: int, verb: str) -> HttpResponse:
    """A button of the review: submit, publish, request changes, withdraw."""
    if (denied := _login(request)) is not None:
        return denied
    if verb not in REPORT_VERBS:
        raise Http404(_("Unknown action"))
    country = Geography.objects.filter(iso3=iso3.upper(), kind=GeographyKind.COUNTRY).first()
    if country is None:
        raise Http404(_("Country not found"))
    report = _report_of(country, year)
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        REPORT_VERBS[verb](actor=request.user, report=report, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    if request.POST.get("back") == "review":
        return redirect("pathfinder_review")
    return redirect("pathfinder_report_edit", iso3=country.iso3, year=year)
