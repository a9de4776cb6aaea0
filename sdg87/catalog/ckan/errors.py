"""CKAN's error types, with the HTTP status CKAN answers them with."""

from __future__ import annotations


class CkanError(Exception):
    error_type = "Internal Server Error"
    status = 500

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def as_error(self) -> dict[str, object]:
        error: dict[str, object] = {"__type": self.error_type, "message": self.message}
        # a field named like the envelope's own keys (a caller may send any key) never
        # replaces them
        error.update({key: value for key, value in self.fields.items() if key not in error})
        return error


class BadRequest(CkanError):
    error_type = "Bad request"
    status = 400


class NotFound(CkanError):
    error_type = "Not Found Error"
    status = 404


class NotAuthorized(CkanError):
    error_type = "Authorization Error"
    status = 403


class ValidationError(CkanError):
    error_type = "Validation Error"
    status = 409


class SearchQueryError(CkanError):
    error_type = "Search Query Error"
    status = 409
