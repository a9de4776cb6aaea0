"""The error-report hook: an unhandled exception reaches a Sentry-compatible endpoint (a real
HTTP server on 127.0.0.1 receiving the SDK's envelope) with its request id, and without
cookies, credentials, the request body, the query string or local variables."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sentry_sdk
from django.test import Client, override_settings

from sdg87.ops import errors

RECEIVED: list[tuple[str, bytes]] = []


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        RECEIVED.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def sentry_dsn() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RECEIVED.clear()
    try:
        yield f"http://publickey@127.0.0.1:{server.server_address[1]}/42"
    finally:
        client = sentry_sdk.get_client()
        client.close(timeout=2)
        sentry_sdk.get_global_scope().set_client(None)  # off again for every later test
        server.shutdown()
        server.server_close()


def _events() -> list[dict[str, Any]]:
    events = []
    for _path, body in RECEIVED:
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_no_reports_without_a_dsn() -> None:
    """The test settings (like the defaults) set no DSN: the SDK is not active."""
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.django_db
def test_an_unhandled_exception_is_reported_without_personal_data(sentry_dsn: str) -> None:
    errors.error_reports_init(dsn=sentry_dsn, environment="test")
    with override_settings(ROOT_URLCONF="sdg87.ops.tests.boom_urls"):
        response = Client(raise_request_exception=False).post(
            "/boom/?email=someone@example.org",
            data={"password": "hunter2-secret"},
            HTTP_COOKIE="sessionid=cookie-secret",
            HTTP_AUTHORIZATION="Bearer token-secret",
            HTTP_X_REQUEST_ID="sentry.probe-1",
        )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)

    assert RECEIVED and all(path == "/api/42/envelope/" for path, _ in RECEIVED)
    raw = b"".join(body for _, body in RECEIVED)
    for secret in (b"hunter2-secret", b"cookie-secret", b"token-secret", b"someone@example.org"):
        assert secret not in raw, secret
    events = [e for e in _events() if e.get("exception")]
    assert events
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "sentry.probe-1"
    assert event["environment"] == "test"
    request = event["request"]
    assert "cookies" not in request and "data" not in request
    assert not {"cookie", "authorization"} & {n.lower() for n in request.get("headers", {})}
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert not any("vars" in frame for frame in frames)
