"""JSON from outside (request bodies, parameters, uploaded files) read within bounds.

`json.loads` recurses once per level of nesting: a body of 100,000 `[` raises RecursionError,
a server error. `loads_bounded` checks the size and the nesting depth before parsing, and turns
every failure into one exception, `JsonTooComplex` or `json.JSONDecodeError` (both ValueError).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_JSON_DEPTH = 32
MAX_JSON_BYTES = 2 * 1024 * 1024

# A JSON string literal (escapes included): brackets inside strings do not nest.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonTooComplex(ValueError):
    """The JSON text is larger or more deeply nested than allowed (not parsed)."""


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in `text` (0 for a scalar), counted without
    parsing; the count stops early once it is above `stop_above`."""
    if text.count("[") + text.count("{") <= (stop_above or 0):
        return text.count("[") + text.count("{")
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        else:
            depth -= 1
    return deepest


def loads_bounded(
    raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH, max_bytes: int = MAX_JSON_BYTES
) -> Any:
    """`json.loads(raw)`, refusing (JsonTooComplex) more than `max_bytes` or a nesting deeper
    than `max_depth` before parsing."""
    if len(raw) > max_bytes:
        raise JsonTooComplex(f"JSON is larger than {max_bytes} bytes")
    text = raw.decode(json.detect_encoding(raw), "surrogatepass") if isinstance(raw, bytes) else raw
    if nesting_depth(text, stop_above=max_depth) > max_depth:
        raise JsonTooComplex(f"JSON is nested more than {max_depth} levels deep")
    return json.loads(text)
