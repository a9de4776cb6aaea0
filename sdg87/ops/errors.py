"""The error-report hook: unhandled exceptions go to a Sentry-compatible service (Sentry,
GlitchTip, ...) when SDG87_SENTRY_DSN is set; nothing is sent otherwise.

No personal data leaves the site: no cookies, no request bodies, no user, no local variables
of the failing frames (they can hold passwords or form fields), and the Cookie, Authorization
and proxy headers are dropped from what is sent. The request id goes with each report as a tag,
so a report can be found in the logs."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from sdg87.ops.logs import request_id_var

DROPPED_HEADERS = frozenset(
    {"cookie", "authorization", "proxy-authorization", "x-forwarded-for", "x-real-ip", "forwarded"}
)


def event_scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Removes what could identify a person from an event before it is sent."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in DROPPED_HEADERS
            }
        if "query_string" in request:
            request["query_string"] = ""  # may carry e-mail addresses or tokens
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    extra = event.get("extra")
    if isinstance(extra, dict):
        extra.pop("request", None)  # Django's log records carry the request's repr (its path)
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def error_reports_init(*, dsn: str, environment: str) -> None:
    """Starts sending unhandled exceptions (and ERROR log records) to the service at ``dsn``."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        auto_enabling_integrations=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=None,
        before_send=event_scrub,  # type: ignore[arg-type]
    )
