"""Request middleware: per-path Content-Security-Policy (strict on the public site, relaxed where
tools need it), locale handling for machine interfaces, and the per-address sign-in limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]
from django.utils.translation import gettext as _

from sdg87.core import ratelimit
from sdg87.core.client_ip import client_ip, rate_subject
from sdg87.core.ratelimit import LOGIN_VIEW_NAMES

# Wagtail's admin and the Swagger UI use inline scripts and styles that cannot carry nonces.
RELAXED_PREFIXES = ("/admin/", "/django-admin/", "/api/v1/docs")

RELAXED_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
}


class AdminCSPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(RELAXED_PREFIXES) and settings.SECURE_CSP:
            response._csp_config = RELAXED_CSP  # type: ignore[attr-defined]
        return response


MACHINE_PREFIXES = (
    "/api/",
    "/catalog.",
    "/dataset/",
    "/charts/",
    "/sdmx/",
    "/admin/",
    "/django-admin/",
    "/healthz",
    "/readyz",
    "/metrics",
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that machine interfaces keep their own 404s.

    The stock middleware redirects any 404 outside a language prefix to /<lang>/<path>, which
    would turn an API's JSON 'not found' into an HTML redirect."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path.startswith(MACHINE_PREFIXES):
            return response
        return super().process_response(request, response)


class LoginRateLimitMiddleware:
    """Refuses sign-in attempts (POSTs to a view in LOGIN_VIEW_NAMES) from a client address that
    has failed too often in the current window, with a 429 page; counts every attempt that does
    not end in a redirect (the sign-in views redirect on success only) as a failure.

    django-axes still locks a username per address; this limit covers one address trying many
    usernames (see sdg87.core.ratelimit)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        subject = getattr(request, "_sdg87_login_subject", None)
        if subject is not None and not 300 <= response.status_code < 400:
            ratelimit.login_failure_record(subject)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in LOGIN_VIEW_NAMES:
            return None
        limit = ratelimit.login_limit()
        subject = rate_subject(client_ip(request))
        if limit.exceeded(subject):
            return ratelimit.too_many_requests(
                request,
                message=_(
                    "Too many failed sign-in attempts from your network. "
                    "Please wait before trying again."
                ),
                retry_after=limit.retry_after(),
            )
        request._sdg87_login_subject = subject  # type: ignore[attr-defined]
        return None
