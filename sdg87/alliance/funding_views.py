"""The resources pillar's pages: the public funding commitments and their totals
(/<lang>/resources/, its CSV), the donor organisations' editors' pages (their commitments, a
new one, edit, submit, withdraw) and the secretariat's review list.

Views parse input, ask sdg87.alliance.permissions, call one service or selector and render;
everything works without JavaScript, every change is a POST with a CSRF token. Anonymous
visitors are sent to the login page; signed-in people without the role get 403.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.alliance import funding_selectors as sel
from sdg87.alliance import permissions
from sdg87.alliance.forms import DecisionForm
from sdg87.alliance.funding_forms import FundingCommitmentForm, FundingFilterForm
from sdg87.alliance.models import AllianceAuditEntry, FundingCommitment, ReviewStatus
from sdg87.alliance.services import funding
from sdg87.core.cache import cache_public_page
from sdg87.core.csvsafe import csv_row
from sdg87.orgs.models import Organisation

PAGE_CACHE_SECONDS = 300


def _login(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


# --- the public page -----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FundingFilterForm, list[FundingCommitment]]:
    form = FundingFilterForm(request.GET or None, facets=sel.funding_facets())
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    commitments = list(
        sel.funding_list_public(
            countries=[data["country"]] if data.get("country") else [],
            theme=data.get("theme") or "",
            stage=data.get("stage") or "",
            currency=data.get("currency") or "",
            donor=data.get("donor") or "",
            year=data.get("year"),
        )
    )
    return form, commitments


@cache_public_page(PAGE_CACHE_SECONDS)
def funding_index(request: HttpRequest) -> HttpResponse:
    """Published commitments aggregated by recipient country and by theme: a table per
    currency, a US-dollar total only where a rate was stated; filters; the list with sources."""
    form, commitments = _filtered(request)
    query = request.GET.urlencode()
    return render(
        request,
        "alliance/funding_index.html",
        {
            "form": form,
            "overview": sel.funding_overview(commitments=commitments),
            "filtered": bool(form.is_bound and any(form.cleaned_data.values())),
            "csv_url": reverse("resources:csv") + (f"?{query}" if query else ""),
        },
    )


CSV_COLUMNS = [
    "id",
    "recipient_iso3",
    "recipient",
    "donor",
    "programme",
    "amount",
    "currency",
    "usd_rate",
    "usd_rate_source",
    "amount_usd",
    "start_year",
    "end_year",
    "theme",
    "stage",
    "source_url",
]


@cache_public_page(PAGE_CACHE_SECONDS)
def funding_csv(request: HttpRequest) -> HttpResponse:
    """The published commitments of the page's filters, one row each, in their own currency;
    `amount_usd` only where the amount is in US dollars or its donor stated a rate."""
    _form, commitments = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="funding-commitments.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for c in commitments:
        usd = sel.usd_value(c)
        writer.writerow(
            csv_row(
                [
                    c.pk,
                    c.recipient.iso3,
                    c.recipient.name,
                    c.donor.name,
                    c.programme,
                    c.amount,
                    c.currency,
                    c.usd_rate if c.usd_rate is not None else "",
                    c.usd_rate_source,
                    usd if usd is not None else "",
                    c.start_year,
                    c.end_year,
                    c.theme,
                    c.commitment_status,
                    c.source_url,
                ]
            )
        )
    return response


# --- the donors' editors -------------------------------------------------------------------


def _donors(request: HttpRequest) -> Any:
    return Organisation.objects.filter(pk__in=permissions.funding_donor_ids(request.user))


def _commitment(pk: int) -> FundingCommitment:
    found = FundingCommitment.objects.select_related("donor", "recipient").filter(pk=pk).first()
    if found is None:
        raise Http404(_("Funding commitment not found"))
    return found


def funding_manage(request: HttpRequest) -> HttpResponse:
    """The commitments of the user's organisations (drafts included) with the buttons each may
    press; the secretariat sees every working copy."""
    if (denied := _login(request)) is not None:
        return denied
    user = request.user
    donor_ids = permissions.funding_donor_ids(user)
    secretariat = permissions.is_secretariat(user)
    if not donor_ids and not secretariat:
        raise PermissionDenied(
            _("Only people with an edit role in a donor organisation enter funding commitments.")
        )
    qs = FundingCommitment.objects.select_related("donor", "recipient")
    if not secretariat:  # the secretariat sees every commitment (it may withdraw any)
        qs = qs.filter(donor_id__in=donor_ids)
    commitments = list(qs.order_by("-updated_at", "-id"))
    rows = [
        {
            "c": c,
            "can_edit": permissions.can_edit_funding(user, c),
            "can_submit": permissions.can_submit_funding(user, c),
            "can_review": permissions.can_review_funding(user, c),
            "can_withdraw": permissions.can_withdraw_funding(user, c),
        }
        for c in commitments
    ]
    return render(
        request,
        "alliance/funding_manage.html",
        {
            "rows": rows,
            "can_enter": bool(donor_ids),
            "is_secretariat": secretariat,
            "audit": list(
                AllianceAuditEntry.objects.filter(
                    subject_type=funding.FUNDING, subject_id__in=[c.pk for c in commitments]
                )
                .select_related("actor")
                .order_by("-created_at", "-id")[:30]
            ),
        },
    )


def funding_new(request: HttpRequest) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    donors = _donors(request)
    if not donors.exists():
        raise PermissionDenied(
            _("Only people with an edit role in a donor organisation enter funding commitments.")
        )
    form = FundingCommitmentForm(request.POST or None, donors=donors.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            funding.funding_commitment_create(
                actor=request.user, donor=form.cleaned_data["donor"], **form.values()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved as a draft. Submit it when it is ready for review."))
            return redirect("resources:manage")
    return render(
        request,
        "alliance/funding_form.html",
        {"form": form, "commitment": None},
        status=400 if request.method == "POST" else 200,
    )


def funding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _login(request)) is not None:
        return denied
    commitment = _commitment(pk)
    if not permissions.can_edit_funding(request.user, commitment):
        raise PermissionDenied(_("You cannot edit this commitment in its current state."))
    initial = {name: getattr(commitment, name) for name in FundingCommitmentForm.SERVICE_FIELDS}
    form = FundingCommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            funding.funding_commitment_update(
                actor=request.user, commitment=commitment, data=form.values()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("resources:manage")
    return render(
        request,
        "alliance/funding_form.html",
        {"form": form, "commitment": commitment},
        status=400 if request.method == "POST" else 200,
    )


VERBS: dict[str, Callable[..., object]] = {
    "submit": funding.funding_commitment_submit,
    "publish": funding.funding_commitment_publish,
    "request_changes": funding.funding_commitment_return,
    "withdraw": funding.funding_commitment_withdraw,
}


@require_POST
def funding_do(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """A button: submit, publish, return with requested changes, withdraw."""
    if (denied := _login(request)) is not None:
        return denied
    if verb not in VERBS:
        raise Http404(_("Unknown action"))
    commitment = _commitment(pk)
    form = DecisionForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        VERBS[verb](actor=request.user, commitment=commitment, message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    if request.POST.get("back") == "review":
        return redirect("resources:review")
    return redirect("resources:manage")


def funding_review(request: HttpRequest) -> HttpResponse:
    """The submitted commitments waiting for the secretariat (oldest first)."""
    if (denied := _login(request)) is not None:
        return denied
    if not permissions.can_see_funding_queue(request.user):
        raise PermissionDenied(_("Only the secretariat reviews funding commitments."))
    return render(
        request,
        "alliance/funding_review.html",
        {
            "commitments": FundingCommitment.objects.filter(status=ReviewStatus.SUBMITTED)
            .select_related("donor", "recipient", "created_by")
            .order_by("updated_at", "id"),
        },
    )
