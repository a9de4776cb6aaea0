"""The one HTTP entry point of the CKAN-compatible API: parse, authenticate, dispatch, wrap."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sdg87.catalog.ckan import write_actions  # noqa: F401  (registers the write actions)
from sdg87.catalog.ckan.actions import ACTIONS, WRITE_ACTIONS, ActionContext
from sdg87.catalog.ckan.errors import BadRequest, CkanError, ValidationError
from sdg87.catalog.ckan.selectors import token_user
from sdg87.core.jsonsafe import loads_bounded
from sdg87.core.textsafe import NUL, find_bad_text, printable

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 2 * 1024 * 1024
# What Django's body parsers raise for a body they refuse or cannot read: a field name longer
# than a multipart header may be, too many fields or files (DATA_UPLOAD_MAX_*), too much data,
# a broken boundary, a client gone mid-body. Each is the caller's fault: CKAN's 400, not
# Django's HTML error page.
REFUSED_BODY_ERRORS = (
    MultiPartParserError,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    UnreadablePostError,
)


def _token_user(request: HttpRequest) -> User | None:
    raw = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    return token_user(raw=raw)


def _data(request: HttpRequest) -> dict[str, Any]:
    if request.method == "GET":
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()
        }
    if request.content_type == "multipart/form-data":
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.POST.lists()
        }
    # size before reading, nesting depth before parsing (json.loads recurses per level)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise BadRequest("Request body too large")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("Request body too large")
    if request.content_type == "application/json" or body[:1] in (b"{", b"["):
        try:
            data = loads_bounded(body or b"{}", max_bytes=MAX_BODY_BYTES)
        except ValueError as exc:
            raise BadRequest(f"Bad request - JSON Error: {exc}") from exc
        if not isinstance(data, dict):
            raise BadRequest("Bad request - JSON Error: body must be an object")
        return data
    return {key: values[0] if len(values) == 1 else values for key, values in request.POST.lists()}


def _refuse_bad_text(data: dict[str, Any]) -> None:
    """Refuse parameters (keys and values, nested) that the database cannot take, naming the
    field: a NUL (PostgreSQL refuses it: a 500 there) is a 400 Bad request; a lone surrogate
    (JSON's "\\ud800"; not encodable as UTF-8, a 500 on any query) a 409 Validation Error."""
    bad = find_bad_text(data)
    if bad is None:
        return
    if bad.reason == NUL:
        raise BadRequest(
            f"Bad request - parameters must not contain NUL characters: {bad.location}",
            {bad.field: ["Must not contain NUL characters"]},
        )
    raise ValidationError(
        f"Invalid text in {bad.location}: a lone surrogate is not a character",
        {bad.field: ["Must be valid Unicode text (no lone surrogates such as \\ud800)"]},
    )


@csrf_exempt  # no cookie authority is used for writes: they need an API token
@require_http_methods(["GET", "POST"])
def action_view(request: HttpRequest, name: str) -> JsonResponse:
    base_url = request.build_absolute_uri("/")
    help_url = f"{base_url}api/3/action/help_show?name={name}"
    try:
        if name not in ACTIONS:
            raise BadRequest(f"Bad request - Action name not known: {name}")
        token_user = _token_user(request)
        if name in WRITE_ACTIONS and request.method != "POST":
            raise BadRequest(f"Bad request - {name} requires POST")
        # Reads may use the browser session; writes only ever act for a token's owner.
        user = token_user or (request.user if request.method == "GET" else None)
        try:
            data = _data(request)
        except REFUSED_BODY_ERRORS as exc:
            # Django's body parsers and limits: CKAN's JSON error, not an HTML 400
            raise BadRequest(f"Bad request - {printable(str(exc))}") from exc
        _refuse_bad_text(data)
        ctx = ActionContext(
            user=user,
            base_url=base_url.rstrip("/"),
            authenticated_by_token=token_user is not None,
            files=dict(request.FILES.items()) if request.method == "POST" else None,
        )
        result = ACTIONS[name](ctx, data)
    except CkanError as exc:
        return JsonResponse(
            {"help": help_url, "success": False, "error": exc.as_error()}, status=exc.status
        )
    return JsonResponse({"help": help_url, "success": True, "result": result}, safe=False)
