"""Per-path Content-Security-Policy: strict on the public site, relaxed where tools need it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]

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


MACHINE_PREFIXES = ("/api/", "/catalog.", "/dataset/", "/charts/", "/admin/", "/django-admin/")


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
