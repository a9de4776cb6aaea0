"""Request ids and log formats.

Every request carries an id: the caller's ``X-Request-ID`` when it is safe to repeat (at most 64
characters of ``[A-Za-z0-9._-]``, so it cannot forge log lines or headers), otherwise a new one.
It is kept in a context variable for the duration of the request, so every log record emitted
while the request is served carries it (``RequestIdFilter`` on the handler), and it goes back to
the caller in the response's ``X-Request-ID`` header (``sdg87.ops.middleware``).

Log lines are JSON, one object per line (``SDG87_LOG_FORMAT=json``, the default unless DEBUG is
on), or plain text for a developer's console (``text``).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id_var: ContextVar[str] = ContextVar("sdg87_request_id", default="")

# Attributes every LogRecord has: anything else on a record came from `extra=` and is kept.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "request_id", "taskName"}
)


def request_id_from_header(value: str | None) -> str:
    """The caller's request id if it is safe to log and repeat, else a new random one."""
    if value and _SAFE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id,
    the exception's traceback when there is one, and any ``extra=`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get() or None,
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def formatter(log_format: str = "") -> logging.Formatter:
    """The console formatter for ``SDG87_LOG_FORMAT``: ``json``, ``text``, or empty for JSON
    unless DEBUG is on. Called by logging's dictConfig once settings are complete."""
    if not log_format:
        from django.conf import settings

        log_format = "text" if settings.DEBUG else "json"
    if log_format == "json":
        return JsonFormatter()
    if log_format == "text":
        return logging.Formatter(TEXT_FORMAT)
    raise ValueError(f"SDG87_LOG_FORMAT must be 'json' or 'text', not {log_format!r}")
