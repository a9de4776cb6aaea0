"""Request ids and JSON log lines: every record logged while a request is served carries its
id, the same id the caller gets back in X-Request-ID."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from sdg87.ops import logs


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("abc-123_X.y", True),
        ("a" * 64, True),
        ("a" * 65, False),  # too long
        ("abc 123", False),  # space
        ("abc\nFAKE log line", False),  # header / log injection
        ("ünïcode", False),
        ("", False),
        (None, False),
    ],
)
def test_a_caller_request_id_is_kept_only_when_safe(header: str | None, kept: bool) -> None:
    """At most 64 characters of [A-Za-z0-9._-] are repeated; anything else gets a fresh id
    (32 hex characters)."""
    request_id = logs.request_id_from_header(header)
    if kept:
        assert request_id == header
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)


def test_the_json_formatter_writes_one_object_with_extras_and_the_traceback() -> None:
    """Message arguments are applied, `extra=` fields kept, the traceback included."""
    record = logging.LogRecord(
        "sdg87.x", logging.ERROR, __file__, 1, "load %s: %d rows", ("a", 3), None
    )
    record.dataset = "child-labour"
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    token = logs.request_id_var.set("rid-1")
    try:
        logs.RequestIdFilter().filter(record)
        line = logs.JsonFormatter().format(record)
    finally:
        logs.request_id_var.reset(token)
    assert "\n" not in line  # one line, even with a traceback
    entry = json.loads(line)
    assert entry["message"] == "load a: 3 rows"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "sdg87.x"
    assert entry["request_id"] == "rid-1"
    assert entry["dataset"] == "child-labour"
    assert "ValueError: boom" in entry["exc_info"]
    assert entry["time"].endswith("+00:00")


def test_the_format_follows_the_setting_and_debug() -> None:
    """`json` and `text` as asked; empty means JSON unless DEBUG; anything else is an error."""
    assert isinstance(logs.formatter("json"), logs.JsonFormatter)
    assert not isinstance(logs.formatter("text"), logs.JsonFormatter)
    with override_settings(DEBUG=False):
        assert isinstance(logs.formatter(""), logs.JsonFormatter)
    with override_settings(DEBUG=True):
        assert not isinstance(logs.formatter(""), logs.JsonFormatter)
    with pytest.raises(ValueError, match="SDG87_LOG_FORMAT"):
        logs.formatter("xml")


def test_the_configured_console_handler_has_the_filter_and_formatter() -> None:
    """settings.LOGGING wires the request-id filter and the chosen formatter on the root
    handler (the test settings leave DEBUG off, so JSON)."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    configured = [
        h
        for h in handlers
        if isinstance(h.formatter, logs.JsonFormatter)
        and any(isinstance(f, logs.RequestIdFilter) for f in h.filters)
    ]
    assert configured, handlers


@pytest.fixture
def json_log_lines() -> Iterator[io.StringIO]:
    """A handler like the configured console one, writing into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("json"))
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_a_request_logs_with_the_callers_id(json_log_lines: io.StringIO) -> None:
    """Django's 'Not Found' warning, logged after the middleware chain returned, carries the
    caller's id; the answer repeats it; a later record outside any request has none."""
    response = Client().get("/api/v1/no-such-endpoint-ops", HTTP_X_REQUEST_ID="trace.42")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "trace.42"
    logging.getLogger("sdg87.ops.test").warning("after the request")
    entries = _lines(json_log_lines)
    not_found = [e for e in entries if e["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == "trace.42"
    assert not_found[0]["level"] == "WARNING"
    assert entries[-1]["message"] == "after the request"
    assert entries[-1]["request_id"] == "-"


@pytest.mark.django_db
def test_an_unsafe_id_is_replaced_and_the_new_one_is_logged(json_log_lines: io.StringIO) -> None:
    """A forged id (with a line break) is not repeated; the generated one is in the header and
    in the log line."""
    response = Client().get("/api/v1/no-such-endpoint-ops", HTTP_X_REQUEST_ID="x\r\ny")
    generated = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    entries = [e for e in _lines(json_log_lines) if e["logger"] == "django.request"]
    assert entries and entries[0]["request_id"] == generated
