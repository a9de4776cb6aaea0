"""core.textsafe: where a NUL or a lone surrogate hides in parsed input, and how it is shown;
the REST API's body parser refuses such text with its error shape."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from sdg87.api.errors import ApiError, NulRejectingParser
from sdg87.core.textsafe import NUL, SURROGATE, BadText, find_bad_text, is_safe_text, printable


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", None),
        ({"a": ["b", {"c": 1.5, "d": None}]}, None),
        ("\ud800", BadText((), SURROGATE)),
        ({"id": "x\udfff"}, BadText(("id",), SURROGATE)),
        ({"tags": [{"name": "ok"}, {"name": "a\x00"}]}, BadText(("tags", 1, "name"), NUL)),
        ({"ok": 1, "k\udc00": "v"}, BadText(("k\udc00",), SURROGATE)),
        ([["\udbff\udbff"]], BadText((0, 0), SURROGATE)),
    ],
)
def test_find_bad_text_walks_keys_and_values(value, expected):
    """The first NUL or lone surrogate, with the path to it; clean input gives None."""
    assert find_bad_text(value) == expected


def test_field_and_location_are_printable_and_bounded():
    """The field and the path are shown with escapes, never the raw character, and cut."""
    bad = BadText(("extras", 0, "k\udc00"), SURROGATE)
    assert bad.field == "extras"
    assert bad.location == "extras[0].k\\udc00"
    long = BadText(("x" * 500 + "\ud800",), SURROGATE)
    assert long.field == "x" * 100 + "…" and long.field.encode("utf-8")


def test_is_safe_text_is_exactly_utf8_encodable_without_nul():
    """Safe text is text UTF-8 can encode and that holds no NUL."""
    for text in ["", "é 🙂 \u202e \ufffd", "\x00", "\ud800", "a\udfffb"]:
        try:
            text.encode("utf-8")
            encodable = True
        except UnicodeEncodeError:
            encodable = False
        assert is_safe_text(text) == (encodable and "\x00" not in text)
    assert printable("a\x00b\ud800") == "a\\u0000b\\ud800"


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        (b'{"q": "x\\ud800"}', "q"),
        (b'{"filters": {"geo": ["KEN", "\\u0000"]}}', "filters"),
        (b'{"\\udc00": 1}', "\\udc00"),
    ],
)
def test_rest_api_body_parser_refuses_bad_text(body, parameter):
    """The REST API parses JSON bodies through NulRejectingParser: a NUL or lone surrogate
    anywhere is a 400 invalid_body naming the field (no body-taking endpoint exists yet; the
    parser is the boundary for any that will)."""
    request = RequestFactory().post("/api/v1/x", body, content_type="application/json")
    with pytest.raises(ApiError) as exc:
        NulRejectingParser().parse_body(request)
    assert (exc.value.status, exc.value.code, exc.value.parameter) == (
        400,
        "invalid_body",
        parameter,
    )
    assert is_safe_text(exc.value.message)


def test_rest_api_body_parser_accepts_clean_text():
    """Clean JSON (any Unicode that UTF-8 can encode) parses as before."""
    data = {"q": "é 🙂 \ufffd", "n": [1, 2]}
    request = RequestFactory().post("/api/v1/x", json.dumps(data), content_type="application/json")
    assert NulRejectingParser().parse_body(request) == data
