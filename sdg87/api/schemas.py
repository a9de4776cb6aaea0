"""Schemas and parameter types shared by the domain routers."""

from __future__ import annotations

from typing import Literal

from ninja import Schema

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
