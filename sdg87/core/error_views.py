"""Error pages for people: 403 (and CSRF failures), 500, 507 (storage full), the sign-in
lockout, and the same pages while DEBUG is on.

The 404 handler is `sdg87.core.errors.page_not_found` (JSON for machine interfaces); 429 pages
come from `sdg87.core.ratelimit.too_many_requests`. All of them extend base.html.

The 500 page is rendered without the request: no context processor, no database query and no
session runs, so it still renders when the database is what failed. If even that fails, a
plain-text answer is given.

With DEBUG on (`make run`), Django answers 404s and exceptions with its technical pages (the
URL list, the traceback). `DebugErrorPagesMiddleware` shows the pages visitors see instead, and
writes the traceback to the console; `SDG87_DEBUG_ERRORS=1` brings Django's technical pages
back (see docs/howto/accounts-and-errors.md).
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from sdg87.core.errors import page_not_found
from sdg87.core.middleware import MACHINE_PREFIXES

logger = logging.getLogger("django.request")


def _machine(request: HttpRequest) -> bool:
    return request.path.startswith(MACHINE_PREFIXES) and not request.path.startswith("/admin/")


def _json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the refusal's own message (services raise PermissionDenied with a sentence for the
    person), else a general one."""
    message = str(exception or "")
    if _machine(request):
        return _json_error("forbidden", message or _("Forbidden."), 403)
    body = loader.render_to_string("403.html", {"exception": message}, request=request)
    return HttpResponse(body, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token, most often after a long pause or with
    cookies blocked: say so in the site's words (Django's page speaks to developers)."""
    body = loader.render_to_string("403.html", {"csrf_failure": True}, request=request)
    return HttpResponse(body, status=403)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """500, rendered without the request (no context processors, no database); 507 when the
    exception being handled is a full disk (Django calls this view inside its except block)."""
    failure = sys.exc_info()[1]
    if request is not None and failure is not None and is_storage_full(failure):
        return storage_full(request, failure)
    if request is not None and _machine(request):
        return _json_error("server_error", "Server error.", 500)
    return _page_without_request("500.html", 500, "Server error (500).")


def _page_without_request(
    template: str, status: int, fallback: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    """An error page rendered without the request (no context processors, no database: it
    still renders when the database is what failed); plain text if even that fails."""
    try:
        body = loader.render_to_string(
            template,
            {
                "SITE_NAME": settings.WAGTAIL_SITE_NAME,
                "SITE_URL": settings.SITE_URL.rstrip("/"),
                "error_page": True,
                **(context or {}),
            },
        )
    except Exception:  # the error page must not fail in turn
        logger.exception("The %s page could not be rendered", status)
        return HttpResponse(fallback, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=status)


# --- storage full ------------------------------------------------------------------------------

# No space left, a quota reached, a file larger than the process may write (RLIMIT_FSIZE); the
# database's own "disk full" (SQLite SQLITE_FULL, PostgreSQL SQLSTATE 53100), which Django
# raises as an OperationalError caused by the driver's error.
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
SQLITE_FULL = 13
POSTGRES_DISK_FULL = "53100"


def is_storage_full(exception: BaseException | None) -> bool:
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, OSError) and exception.errno in STORAGE_FULL_ERRNOS:
            return True
        if getattr(exception, "sqlite_errorcode", None) == SQLITE_FULL:
            return True
        if getattr(exception, "sqlstate", None) == POSTGRES_DISK_FULL:
            return True
        exception, seen = exception.__cause__, seen + 1
    return False


def storage_full(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """507: the media path, the temporary directory or the database's disk is full. Writes go
    through services in one transaction that also removes a file it stored, so nothing was
    kept: say so (a page view says only that it cannot be shown now), and log an error for
    the operators (the request id ties it to the access log). Rendered without the request,
    like the 500 page: the database may be what is full."""
    logger.error("Storage full while serving %s: %s", request.path, exception, exc_info=exception)
    sent = request.method not in {"GET", "HEAD", "OPTIONS"}
    if _machine(request):
        message = "The server has no room to store this; nothing was saved."
        if not sent:
            message = "The server has run out of storage space; try again later."
        return _json_error("storage_full", message, 507)
    return _page_without_request("507.html", 507, "Insufficient storage (507).", {"sent": sent})


# --- the sign-in lockout (django-axes) --------------------------------------------------------


def _lockout_ends_in(request: HttpRequest, username: str) -> int:
    """Seconds until django-axes unlocks `username` from this address: the lock lasts
    AXES_COOLOFF_TIME after the last failed attempt."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request) or timedelta(hours=1)
    last = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is None:
        return int(cool_off.total_seconds())
    return max(60, int((last + cool_off - timezone.now()).total_seconds()))


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the styled 429 page for an account locked from this address,
    saying when to try again (also in Retry-After) and offering a password reset."""
    from axes.helpers import get_client_username

    username = get_client_username(request, credentials) or ""
    retry_after = _lockout_ends_in(request, username)
    response = HttpResponse(
        loader.render_to_string(
            "429.html",
            {
                "message": _(
                    "Too many failed sign-in attempts for this account from your network."
                ),
                "retry_minutes": -(-retry_after // 60),
                "lockout": True,
            },
            request=request,
        ),
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


# --- DEBUG on: the visitors' pages, unless SDG87_DEBUG_ERRORS ---------------------------------


def friendly_errors_active() -> bool:
    return bool(settings.DEBUG) and not getattr(settings, "SDG87_DEBUG_ERRORS", False)


class DebugErrorPagesMiddleware:
    """With DEBUG on and SDG87_DEBUG_ERRORS off, answer 404s and unhandled exceptions with the
    pages visitors get in production (Django would show its technical pages, which list every
    URL pattern or the settings). Exceptions are logged with their traceback on the console.
    Does nothing when DEBUG is off: Django's handlers then already use these pages.

    Installed last in MIDDLEWARE, so it sees the view's response before any other middleware
    (the language redirect of a 404 still happens)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # No URL pattern matched (resolver_match stays None): Django's technical 404.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and friendly_errors_active()
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not friendly_errors_active():
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django's own handling (403.html; a 400) is right for these
        if is_storage_full(exception):
            return storage_full(request, exception)
        logger.error(
            "Internal Server Error: %s (SDG87_DEBUG_ERRORS=1 shows Django's debug page)",
            request.path,
            exc_info=exception,
        )
        return server_error(request)
