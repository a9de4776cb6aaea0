"""One error shape for the whole API: {"error": {"code": ..., "message": ...}}.

Handlers are installed on the NinjaAPI so that bad input never surfaces as a 500 or as
django-ninja's default {"detail": ...} body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from sdg87.core.jsonsafe import loads_bounded
from sdg87.core.textsafe import MAX_SHOWN, find_bad_text, is_safe_text, printable


class ErrorDetail(Schema):
    code: str
    message: str
    parameter: str | None = None


class ErrorOut(Schema):
    """Every 4xx response of the API."""

    error: ErrorDetail


# Declared on every operation so the OpenAPI document lists the error responses honestly
# (429: an anonymous client address spent its time budget, sdg87.api.middleware).
ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class ApiError(Exception):
    """An expected client error with a stable machine-readable `code`."""

    def __init__(
        self, *, status: int, code: str, message: str, parameter: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter


class ErrorDetailDict(TypedDict):
    code: str
    message: str
    parameter: NotRequired[str]


class ErrorBodyDict(TypedDict):
    """ErrorOut's shape."""

    error: ErrorDetailDict


def error_body(*, code: str, message: str, parameter: str | None = None) -> ErrorBodyDict:
    detail: ErrorDetailDict = {"code": code, "message": message}
    if parameter:
        detail["parameter"] = parameter
    return {"error": detail}


def _parameter_name(loc: Sequence[object]) -> str:
    """`["query", "filters", "year_from"]` -> "year_from"; the last string part names it."""
    names = [str(part) for part in loc if isinstance(part, str)]
    names = [name for name in names if name not in {"query", "path", "body", "filters"}]
    return names[-1] if names else ""


API_URLCONF = "sdg87.api.urls"


def _keep_404(request: HttpRequest, status: int) -> None:
    """Stop LocaleMiddleware from redirecting the API's JSON 404s (see sdg87/api/urls.py)."""
    if status == 404:
        request.urlconf = API_URLCONF


class NulRejectingParser(Parser):
    """Reject text the database cannot take (sdg87.core.textsafe) as a 400.

    NUL characters in the path and query string: SQLite tolerates them but PostgreSQL refuses
    them in text parameters, which would turn a bad URL into a 500 in production. Lone
    surrogates cannot come through a URL (Django decodes invalid UTF-8 as U+FFFD) but can
    through a JSON body ("\\ud800"), where no database can encode them.
    """

    def parse_querydict(
        self, data: MultiValueDict[str, str], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        if not is_safe_text(request.path_info):
            raise ApiError(
                status=400,
                code="invalid_parameter",
                message=_("The path contains a NUL character."),
            )
        for key, values in data.lists():
            # Uploaded files (multipart) are not text: only their field name is checked here.
            texts = [value for value in values if isinstance(value, str)]
            if not is_safe_text(key) or not all(is_safe_text(value) for value in texts):
                name = printable(key, limit=MAX_SHOWN)
                raise ApiError(
                    status=400,
                    code="invalid_parameter",
                    message=_("Parameter '%(parameter)s' contains a NUL character.")
                    % {"parameter": name},
                    parameter=name,
                )
        return super().parse_querydict(data, list_fields, request)

    # Any: a JSON body from outside, typed by the endpoint's schema only after this returns.
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """A JSON body within MAX_JSON_BYTES and MAX_JSON_DEPTH, checked before parsing: a
        deeply nested body is a 400, never a RecursionError; text with a NUL or a lone
        surrogate anywhere (keys included) is a 400 naming its field."""
        try:
            data = loads_bounded(request.body)
        except ValueError as exc:
            raise ApiError(
                status=400,
                code="invalid_body",
                message=_("The request body is not JSON within the allowed size and depth."),
            ) from exc
        bad = find_bad_text(data)
        if bad is not None:
            raise ApiError(
                status=400,
                code="invalid_body",
                message=_(
                    "Field '%(parameter)s' contains a NUL character or a lone surrogate, "
                    "which is not text."
                )
                % {"parameter": bad.location},
                parameter=bad.field,
            )
        return cast(dict[str, Any], data)


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every error with the JSON error shape, and reject input that the database
    would choke on (NUL characters) as a 400 before it reaches a query."""
    api.parser = NulRejectingParser()

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        body = error_body(code=exc.code, message=exc.message, parameter=exc.parameter)
        _keep_404(request, exc.status)
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        parameter = _parameter_name(first.get("loc", ()))
        message = _("Invalid value for parameter '%(parameter)s': %(reason)s") % {
            "parameter": parameter,
            "reason": first.get("msg", _("invalid value")),
        }
        body = error_body(code="invalid_parameter", message=message, parameter=parameter)
        return api.create_response(request, body, status=422)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) or _("Not found.")
        _keep_404(request, 404)
        return api.create_response(
            request, error_body(code="not_found", message=message), status=404
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        _keep_404(request, exc.status_code)
        return api.create_response(
            request,
            error_body(code=f"http_{exc.status_code}", message=str(exc)),
            status=exc.status_code,
        )
