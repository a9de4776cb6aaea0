"""Text from outside checked before it reaches a query or the database.

Two kinds of character in a Python string break the database rather than the request:

- NUL (U+0000): PostgreSQL refuses it in text parameters (a server error there);
- a lone surrogate (U+D800..U+DFFF, which JSON's `"\\ud800"` escape produces and which no
  UTF-8 text can hold): encoding the parameter for SQLite or PostgreSQL raises
  UnicodeEncodeError, a server error on reads and the codec's message on writes.

Django decodes query strings, form fields and multipart headers itself (invalid UTF-8 becomes
U+FFFD), so a lone surrogate only arrives through JSON that Python parsed. `find_bad_text`
walks a parsed value (keys and values, nested) and says where the first such character is, so
each interface can refuse it with its own error shape, naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal

NUL: Final = "nul"
SURROGATE: Final = "surrogate"
Reason = Literal["nul", "surrogate"]

_BAD = re.compile("[\x00\ud800-\udfff]")
MAX_SHOWN = 100  # characters of a field name or path shown in an error message


@dataclass(frozen=True)
class BadText:
    """Where a string with a NUL or a lone surrogate was found, and which of the two.

    `path` runs from the top-level key to the string (dict keys and list indexes); when a key
    itself is bad, the path ends with that key."""

    path: tuple[str | int, ...]
    reason: Reason

    @property
    def field(self) -> str:
        """The top-level field (key) holding the bad text, printable ('' for a bare string)."""
        return printable(str(self.path[0]), limit=MAX_SHOWN) if self.path else ""

    @property
    def location(self) -> str:
        """The full path, printable: `tags[0].name`."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return printable(text, limit=MAX_SHOWN)


def bad_reason(text: str) -> Reason | None:
    """NUL or SURROGATE for the first such character in `text`, None for clean text."""
    match = _BAD.search(text)
    if match is None:
        return None
    return NUL if match.group() == "\x00" else SURROGATE


def is_safe_text(text: str) -> bool:
    """True when `text` has no NUL and can be encoded as UTF-8 (no lone surrogate)."""
    return _BAD.search(text) is None


def find_bad_text(value: Any, path: tuple[str | int, ...] = ()) -> BadText | None:
    """The first string in `value` (a str, or dicts and lists of them, keys included) that
    holds a NUL or a lone surrogate, or None. Other types (numbers, None, files) are skipped."""
    if isinstance(value, str):
        reason = bad_reason(value)
        return BadText(path, reason) if reason else None
    if isinstance(value, dict):
        for key, item in value.items():
            key_path = (*path, key if isinstance(key, str | int) else str(key))
            if isinstance(key, str) and (reason := bad_reason(key)):
                return BadText(key_path, reason)
            found = find_bad_text(item, key_path)
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = find_bad_text(item, (*path, index))
            if found:
                return found
    return None


def printable(text: str, *, limit: int | None = None) -> str:
    """`text` with NULs and lone surrogates written as `\\u0000` escapes: safe to show, log or
    encode; cut to `limit` characters (and an ellipsis) when given."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return _BAD.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
