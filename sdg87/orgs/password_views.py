"""Password reset pages under /<lang>/accounts/: ask for a link, then choose a new password.

Asking goes through sdg87.orgs.services.passwords (throttled, mail through the outbox, the
same answer whether or not the address is known). Choosing uses Django's token check and
form; a new password also lifts a django-axes lockout of that account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from sdg87.core.client_ip import client_ip
from sdg87.core.ratelimit import too_many_requests
from sdg87.orgs.forms import PasswordResetRequestForm
from sdg87.orgs.services.passwords import password_reset_request


def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_request(email=form.cleaned_data["email"], client_ip=client_ip(request))
        except ValidationError as exc:
            if exc.code != "throttled":
                raise
            return too_many_requests(
                request, message=exc.messages[0], retry_after=(exc.params or {})["retry_after"]
            )
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset_form.html", {"form": form})


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever holds the link owns the mailbox: the account's sign-in lock ends too.
        from axes.utils import reset

        reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
