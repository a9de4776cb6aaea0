"""One middleware, first in the chain: gives every request its id (sdg87.ops.logs) and
measures its serving time by route for /metrics (sdg87.ops.instruments)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sdg87.ops.instruments import request_observe
from sdg87.ops.logs import REQUEST_ID_HEADER, request_id_from_header, request_id_var

UNMATCHED_ROUTE = "<unmatched>"


def route_label(request: HttpRequest) -> str:
    """The URL pattern that served the request, without the language prefix (so /en/, /fr/
    and /es/ share one label): bounded by the URLconf, whatever paths clients send."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return UNMATCHED_ROUTE
    route = str(match.route)
    for code, _name in settings.LANGUAGES:
        if route.startswith(f"{code}/"):
            return route[len(code) + 1 :] or "/"
    return route or "/"


class OpsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Cleared on request_finished (sdg87.ops.apps), not here: Django logs an error answer
        # ("Not Found: ...") after the middleware chain returns, and a streamed body is
        # produced later still; both belong to this request.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        request_observe(
            route=route_label(request),
            method=request.method or "",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        response[REQUEST_ID_HEADER] = request_id
        return response
