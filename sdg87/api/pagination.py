"""Keyset pagination: results ordered by id, the cursor is the opaque id of the last row."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sdg87.api.errors import ApiError

CURSOR_PREFIX = "id:"
MAX_ID = 2**63 - 1  # larger ids would overflow the database integer type


def cursor_encode(last_id: int) -> str:
    raw = f"{CURSOR_PREFIX}{last_id}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def cursor_decode(cursor: str) -> int:
    """Return the last id seen; raise ApiError(400, "invalid_cursor") for anything else."""
    invalid = ApiError(
        status=400,
        code="invalid_cursor",
        message=_("The cursor is not valid. Use the 'next' URL of a previous page."),
        parameter="cursor",
    )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise invalid from None
    if not text.startswith(CURSOR_PREFIX):
        raise invalid
    digits = text[len(CURSOR_PREFIX) :]
    if not digits.isascii() or not digits.isdigit():
        raise invalid
    last_id = int(digits)
    if last_id > MAX_ID:
        raise invalid
    return last_id


def next_url(request: HttpRequest, *, last_id: int) -> str:
    """The absolute URL of the next page: the same query with `cursor` replaced."""
    query = request.GET.copy()
    query["cursor"] = cursor_encode(last_id)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
