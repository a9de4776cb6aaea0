"""Schemas and parameter types shared by the domain routers."""

from __future__ import annotations

import re
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Schema

from sdg87.api.errors import ApiError

Lang = Literal["en", "fr", "es"]


class Names(Schema):
    en: str
    fr: str
    es: str


def split_codes(values: list[str] | None) -> list[str]:
    """Repeatable parameters also accept comma-separated values: `a&a=b,c` -> [a, b, c]."""
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


DIMENSION_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$")


def dimension_filters(values: list[str] | None, *, parameter: str = "dimension") -> dict[str, str]:
    """`dimension` parameters, `key=value` (or `key:value`), repeatable or comma-separated,
    as {key: value}. Keys are plain identifiers; anything else is ApiError(400)."""
    out: dict[str, str] = {}
    for item in split_codes(values):
        key, sep, value = item.partition("=")
        if not sep:
            key, sep, value = item.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or not DIMENSION_KEY.match(key) or not value:
            raise ApiError(
                status=400,
                code="invalid_parameter",
                message=_("A dimension filter is written key=value, e.g. %(example)s.")
                % {"example": "type=sexual_exploitation"},
                parameter=parameter,
            )
        out[key] = value
    return out
