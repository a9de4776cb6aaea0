"""The "Notifications" page: unsent e-mail (queued, stuck or failed) about the datasets of the
organisations the signed-in user edits, with a button to send a failed one again. Addresses are
shown only to superusers and to administrators/editors of the organisation concerned."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.core import mail

LIST_LIMIT = 200


def mail_outbox(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))
    now = timezone.now()
    mails = list(mail.mail_unsent_list(user=request.user)[:LIST_LIMIT])
    rows = [(m, mail.mail_is_retryable(m, now=now)) for m in mails]
    return render(request, "core/mail_outbox.html", {"rows": rows, "limit": LIST_LIMIT})


@require_POST
def mail_resend(request: HttpRequest, mail_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(
            reverse("notifications:outbox"), login_url=reverse("catalog:login")
        )
    try:
        mail.mail_retry(actor=request.user, mail_id=mail_id)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The notification was queued to be sent again."))
    return redirect("notifications:outbox")
