"""The partner directory and joining the Alliance 8.7, under /<lang>/partners/.

- `partner_list`: every partner organisation (sdg87.alliance.partner_selectors) with GET
  filters (type, country, Action Group, role) that work without JavaScript, the filtered list
  as CSV (`?format=csv`, formula-safe cells), and a map of partners by headquarters country
  drawn by the chart pipeline with its table;
- `partner_join`: the public application form (no account needed; CSRF; throttled per
  address by the service);
- `application_list` / `application_detail`: the secretariat's queue and decision page.

Views parse input, check permission, call one selector or service and shape the output.
Organisations link to their own pages (sdg87.catalog.organisation_views): this directory
does not repeat them.
"""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdg87.alliance import partner_selectors as sel
from sdg87.alliance import permissions
from sdg87.alliance.models import ApplicationStatus, PartnerApplication
from sdg87.alliance.partner_forms import ApplicationDecisionForm, PartnerApplicationForm
from sdg87.alliance.services.applications import APPLICATION, application_decide, application_submit
from sdg87.alliance.services.audit import audit_list
from sdg87.core.cache import cache_public_page
from sdg87.core.charts import symbol_map
from sdg87.core.client_ip import client_ip
from sdg87.core.csvsafe import csv_row
from sdg87.core.ratelimit import too_many_requests
from sdg87.geo.models import Geography
from sdg87.orgs.models import ALLIANCE87_ROLES, OrganisationType

PAGE_CACHE_SECONDS = 300


def criterion_label(value: str) -> str:
    return {
        sel.ROLE: _("Alliance 8.7 role"),
        sel.ACTION_GROUP: _("Action Group member"),
        sel.ROADMAP: _("Named in a Pathfinder roadmap"),
    }.get(value, value)


def type_label(value: str) -> str:
    try:
        return str(OrganisationType(value).label)
    except ValueError:
        return value


# --- the map -----------------------------------------------------------------------------------


def partner_map_spec(
    rows: list[dict[str, Any]], *, title: str, description: str, legend_title: str, name: str
) -> dict[str, Any]:
    """Pure: proportional circles (area = number of partners) at each country's latitude and
    longitude (Geography.latitude/longitude) on the bundled atlas, Equal Earth projection.
    Rows: {"name", "iso3", "value", "lat", "lon"}; rows without coordinates stay in the table
    only. Built on `symbol_map` (same look, land and legend) with the points replaced: the
    atlas centroids it would use are not the country's stored reference point."""
    spec = symbol_map([], title=title, description=description, legend_title=legend_title)
    points = [
        {
            "name": r["name"],
            "iso3": r["iso3"],
            "value": r["value"],
            "lat": r["lat"],
            "lon": r["lon"],
        }
        for r in rows
        if r.get("lat") is not None and r.get("lon") is not None and r["value"] > 0
    ]
    points.sort(key=lambda p: -p["value"])  # large first: small neighbours stay on top
    layer = spec["layer"][1]
    layer["data"] = {"values": points}
    # Whole numbers only in the size legend (the default ticks of small counts repeat "1").
    steps = sorted({int(p["value"]) for p in points})
    if steps:
        picks = sorted({steps[0], steps[len(steps) // 2], steps[-1]})
        layer["encoding"]["size"]["legend"]["values"] = picks
        layer["encoding"]["size"]["legend"].pop("tickCount", None)
    layer["encoding"]["tooltip"] = [
        {"field": "name", "type": "nominal", "title": name},
        {"field": "value", "type": "quantitative", "title": legend_title, "format": ",.0f"},
    ]
    spec["usermeta"] = {
        "table": [{"name": r["name"], "iso3": r["iso3"], "value": r["value"]} for r in rows]
    }
    return spec


def _map(partners: list[sel.Partner]) -> dict[str, Any]:
    counts, without = sel.partner_count_by_country(partners)
    rows = [
        {
            "name": c.country.name,
            "iso3": c.country.iso3 or c.country.code,
            "value": c.partners,
            "lat": c.country.latitude,
            "lon": c.country.longitude,
        }
        for c in counts
    ]
    caption = _(
        "Each circle stands at the country's reference point (its latitude and longitude) and "
        "its area is proportional to the number of partners with their headquarters there. "
        "Equal Earth projection; no map tiles."
    )
    if without:
        caption += " " + _(
            "%(count)d partners with no single headquarters country are not on the map."
        ) % {"count": without}
    return {
        "spec": partner_map_spec(
            rows,
            title=_("Alliance 8.7 partners by country of headquarters"),
            description=_("Number of partner organisations per country of headquarters."),
            legend_title=_("Partners"),
            name=_("Country"),
        ),
        "table": [{"name": r["name"], "iso3": r["iso3"], "value": r["value"]} for r in rows],
        "columns": [("name", _("Country")), ("iso3", _("ISO code")), ("value", _("Partners"))],
        "caption": caption,
        "without": without,
    }


# --- the directory ------------------------------------------------------------------------------


def _country_names(partners: list[sel.Partner]) -> dict[str, str]:
    codes = {iso3 for p in partners for iso3 in p.pathfinder_countries}
    return {g.iso3 or "": g.name for g in Geography.objects.filter(iso3__in=codes)}


def _role_label(value: str) -> str:
    return str(ALLIANCE87_ROLES.get(value, value)) if value else ""


def csv_columns() -> list[str]:
    return [
        "name",
        "acronym",
        "type",
        "country_iso3",
        "country",
        "partner_because",
        "alliance87_role",
        "alliance87_role_evidence",
        "alliance87_role_sources",
        "action_groups",
        "pathfinder_countries",
        "public_datasets",
        "public_publications",
        "public_roadmap_actions",
        "website",
        "url",
    ]


def csv_cells(partner: sel.Partner, *, base_url: str) -> list[Any]:
    org = partner.organisation
    page = reverse("catalog:organisation_detail", kwargs={"slug": org.slug})
    return csv_row(
        [
            org.name,
            org.acronym,
            org.type,
            (org.country.iso3 or org.country.code) if org.country else "",
            org.country.name if org.country else "",
            ";".join(partner.criteria),
            org.alliance87_role,
            org.alliance87_role_evidence if org.alliance87_role else "",
            " ".join(partner.role_sources),
            ";".join(g.slug for g in partner.action_groups),
            ";".join(partner.pathfinder_countries),
            partner.datasets,
            partner.publications,
            partner.actions,
            org.website,
            base_url + page,
        ]
    )


def _csv_response(partners: list[sel.Partner], *, base_url: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alliance87-partners.csv"'
    writer = csv.writer(response)
    writer.writerow(csv_columns())
    for partner in partners:
        writer.writerow(csv_cells(partner, base_url=base_url))
    return response


def _row(partner: sel.Partner, *, names: dict[str, str]) -> dict[str, Any]:
    org = partner.organisation
    slug = urlencode({"organisation": org.slug})
    return {
        "partner": partner,
        "org": org,
        "type": type_label(org.type),
        "criteria": [criterion_label(c) for c in partner.criteria],
        "role": _role_label(org.alliance87_role),
        "pathfinders": [
            {
                "iso3": iso3,
                "name": names.get(iso3, iso3),
                "url": reverse("pathfinders:detail", kwargs={"iso3": iso3}),
            }
            for iso3 in partner.pathfinder_countries
        ],
        "datasets_url": reverse("catalog:dataset_list") + "?" + slug if partner.datasets else "",
        "publications_url": (
            reverse("library:publication_list") + "?" + slug if partner.publications else ""
        ),
    }


@cache_public_page(PAGE_CACHE_SECONDS)
@require_http_methods(["GET", "HEAD"])
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = sel.partner_list()
    filters = sel.PartnerFilters.from_query(request.GET)
    shown = sel.partner_filter(partners, filters=filters)
    if request.GET.get("format") == "csv":
        return _csv_response(shown, base_url=request.build_absolute_uri("/").rstrip("/"))
    names = _country_names(shown)
    query = {k: v for k, v in vars(filters).items() if v}
    return render(
        request,
        "alliance/partner_list.html",
        {
            "rows": [_row(p, names=names) for p in shown],
            "total": len(partners),
            "filters": filters,
            "types": OrganisationType.choices,
            "countries": sel.partner_countries(partners),
            "groups": sel.public_action_groups(),
            "roles": [(k, str(v)) for k, v in ALLIANCE87_ROLES.items()],
            "csv_url": "?" + urlencode({**query, "format": "csv"}),
            "map": _map(shown),
        },
    )


# --- joining -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def partner_join(request: HttpRequest) -> HttpResponse:
    form = PartnerApplicationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                application_submit(
                    organisation_name=data["organisation_name"],
                    organisation_type=data["organisation_type"],
                    country=data["country"],
                    website=data["website"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    motivation=data["motivation"],
                    action_groups=list(data["action_groups"]),
                    language=request.LANGUAGE_CODE,
                    client_ip=client_ip(request),
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "throttled":
                    return too_many_requests(
                        request,
                        message=exc.messages[0],
                        retry_after=(exc.params or {})["retry_after"],
                    )
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("partners:join_sent")
    return render(request, "alliance/partner_join.html", {"form": form}, status=status)


def partner_join_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "alliance/partner_join_sent.html")


# --- the secretariat -----------------------------------------------------------------------------


def _secretariat_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_applications(request.user):
        raise PermissionDenied(_("Only the Alliance 8.7 secretariat sees the applications."))
    return None


def application_list(request: HttpRequest) -> HttpResponse:
    if (denied := _secretariat_only(request)) is not None:
        return denied
    applications = PartnerApplication.objects.select_related("country", "organisation")
    return render(
        request,
        "alliance/partner_applications.html",
        {
            "pending": applications.filter(status=ApplicationStatus.PENDING),
            "decided": applications.exclude(status=ApplicationStatus.PENDING)[:50],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _secretariat_only(request)) is not None:
        return denied
    application = (
        PartnerApplication.objects.select_related("country", "organisation", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404(_("No such application."))
    form = ApplicationDecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                application_decide(
                    actor=request.user,
                    application=application,
                    decision=data["decision"],
                    note=data["note"],
                    organisation=data["organisation"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Decided: the applicant was told by e-mail."))
                return redirect("partners:application_detail", pk=application.pk)
    return render(
        request,
        "alliance/partner_application_detail.html",
        {
            "application": application,
            "type_label": type_label(application.organisation_type),
            "groups": application.action_groups.order_by("name"),
            "form": form,
            "can_decide": permissions.can_decide_application(request.user, application),
            "audit": audit_list(subject_type=APPLICATION, subject_id=application.pk),
        },
        status=status,
    )
