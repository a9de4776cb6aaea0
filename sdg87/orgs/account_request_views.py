"""Publisher account requests: the visitors' form, and the queue where an organisation's
administrators and the secretariat approve or refuse them. Writes through
sdg87.orgs.services.account_requests; who sees what through sdg87.orgs.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdg87.core.client_ip import client_ip
from sdg87.core.ratelimit import too_many_requests
from sdg87.orgs import permissions, selectors
from sdg87.orgs.forms import AccountRequestDecisionForm, AccountRequestForm
from sdg87.orgs.models import AccountRequest
from sdg87.orgs.services.account_requests import (
    account_request_approve,
    account_request_create,
    account_request_refuse,
)


@require_http_methods(["GET", "HEAD", "POST"])
def account_request_form(request: HttpRequest) -> HttpResponse:
    form = AccountRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                account_request_create(client_ip=client_ip(request), **form.cleaned_data)
            except ValidationError as exc:
                if exc.code == "throttled":
                    return too_many_requests(
                        request,
                        message=exc.messages[0],
                        retry_after=(exc.params or {})["retry_after"],
                    )
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("accounts:request_sent")
    return render(request, "accounts/request_form.html", {"form": form}, status=status)


def account_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/request_sent.html")


def _deciders_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_account_requests(request.user):
        raise PermissionDenied(
            _("Only an organisation's administrators and the secretariat see account requests.")
        )
    return None


def account_request_list(request: HttpRequest) -> HttpResponse:
    if (denied := _deciders_only(request)) is not None:
        return denied
    requests = selectors.account_request_list(user=request.user)
    return render(
        request,
        "accounts/request_list.html",
        {
            "pending": requests.filter(status=AccountRequest.Status.PENDING),
            "decided": requests.exclude(status=AccountRequest.Status.PENDING)[:50],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def account_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _deciders_only(request)) is not None:
        return denied
    account_request = selectors.account_request_get(user=request.user, pk=pk)
    if account_request is None:
        raise Http404(_("No such account request."))
    form = AccountRequestDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"role": account_request.role},
    )
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid() and action in {"approve", "refuse"}:
        note = form.cleaned_data["note"]
        try:
            if action == "approve":
                account_request_approve(
                    actor=request.user,
                    account_request=account_request,
                    role=form.cleaned_data["role"],
                    note=note,
                )
                messages.success(request, _("Approved: the account was set up and e-mailed."))
            else:
                account_request_refuse(
                    actor=request.user, account_request=account_request, note=note
                )
                messages.success(request, _("Refused: the requester was told."))
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        return redirect("accounts:request_detail", pk=account_request.pk)
    return render(
        request,
        "accounts/request_detail.html",
        {
            "account_request": account_request,
            "form": form,
            "can_decide": permissions.can_decide_account_request(request.user, account_request)
            and account_request.status == AccountRequest.Status.PENDING,
            "audit": account_request.audit_entries.select_related("actor").order_by("created_at"),
        },
    )
