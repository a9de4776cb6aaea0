"""Sanitising of user-supplied rich text (organisation and dataset descriptions): the one
sanitiser. Services sanitise before saving; templates render rich text with the `sanitised`
filter (core/templatetags/richtext.py), which sanitises again, so text that reached the
database another way (an old row, a raw SQL fix) is never rendered unsanitised."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def sanitise_html(text: str) -> str:
    """Keep a small set of structural tags; drop scripts, styles, event handlers and
    javascript: URLs. Links get rel="noopener noreferrer"."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()
