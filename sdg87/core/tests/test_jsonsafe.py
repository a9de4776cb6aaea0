"""JSON from outside is parsed only within size and depth bounds (never a RecursionError)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from sdg87.api.errors import ApiError, NulRejectingParser
from sdg87.core.jsonsafe import JsonTooComplex, loads_bounded, nesting_depth


def test_nesting_depth_ignores_brackets_inside_strings():
    """Brackets in string literals (escaped quotes included) do not count."""
    assert nesting_depth('{"a": [1, {"b": "]]] \\" [[[["}]}') == 3
    assert nesting_depth("42") == 0


def test_loads_bounded_parses_within_the_bounds():
    """Ordinary JSON, up to 32 levels, parses as json.loads would."""
    assert loads_bounded(b'{"q": "child labour", "rows": [1, 2]}') == {
        "q": "child labour",
        "rows": [1, 2],
    }
    assert loads_bounded("[" * 32 + "]" * 32) is not None


@pytest.mark.parametrize(
    "raw", [b"[" * 100_000, b"[" * 33 + b"]" * 33, b'{"a":' * 40 + b"1" + b"}" * 40]
)
def test_loads_bounded_refuses_deep_nesting_before_parsing(raw):
    """Deeper than 32 levels is JsonTooComplex (a ValueError), not a RecursionError."""
    with pytest.raises(JsonTooComplex):
        loads_bounded(raw)


def test_loads_bounded_refuses_oversized_text():
    with pytest.raises(JsonTooComplex):
        loads_bounded(b"[" + b"1," * 100 + b"1]", max_bytes=100)


def test_rest_api_parser_refuses_deep_bodies():
    """The REST API's body parser (used by any future POST operation) refuses deep nesting
    with the API's error instead of recursing."""
    request = RequestFactory().post("/api/v1/x", b"[" * 100_000, content_type="application/json")
    with pytest.raises(ApiError) as raised:
        NulRejectingParser().parse_body(request)
    assert raised.value.status == 400 and raised.value.code == "invalid_body"
