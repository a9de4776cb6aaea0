"""The versioned translation files in data/translations/ (pure: no ORM).

One CSV per subject, one row per text in one language:

    model,key,field,language,origin,text,source_text,citation

- `model`: a model label (`indicators.indicator`) and `key` its natural key (the code or
  slug, see registry.NATURAL_KEYS); or empty, and then `field` is a vocabulary and `key` the
  term (a good's English name, an SDG target's number).
- `language`: fr or es. `origin`: publisher (quoted from the publisher's own version; `citation`
  names the document) or editorial (written for this platform).
- `source_text`: the English translated. Required for vocabularies keyed by code (SDG
  targets); for a row's field it is checked against the English as loaded, so that a
  translation of other English is refused rather than shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_text, read_rows

COLUMNS = ("model", "key", "field", "language", "origin", "text", "source_text", "citation")
ORIGINS = ("publisher", "editorial")


@dataclass(frozen=True)
class TranslationRow:
    line: int
    model: str  # "" for a vocabulary term
    key: str
    field: str
    language: str
    origin: str
    text: str
    source_text: str
    citation: str


def parse_translations(
    source: str | Iterable[str], *, languages: Iterable[str]
) -> Iterator[TranslationRow]:
    """Rows of a translation file; ParseError (row and column) on an unknown language or
    origin, an empty text, a publisher's version without citation or a repeated target."""
    allowed = tuple(languages)
    seen: set[tuple[str, str, str, str]] = set()
    for line, row in read_rows(source, required=COLUMNS):
        model = row["model"].lower()
        key = cell_text(row, "key", line)
        field = cell_text(row, "field", line)
        language = cell_text(row, "language", line)
        if language not in allowed:
            raise ParseError(
                _("unknown language '%(value)s' (expected one of %(allowed)s)")
                % {"value": language, "allowed": ", ".join(allowed)},
                row=line,
                column="language",
            )
        origin = cell_text(row, "origin", line)
        if origin not in ORIGINS:
            raise ParseError(
                _("unknown origin '%(value)s' (expected publisher or editorial)")
                % {"value": origin},
                row=line,
                column="origin",
            )
        text = cell_text(row, "text", line)
        if origin == "publisher" and not row["citation"]:
            raise ParseError(
                _("a publisher's version needs its citation"), row=line, column="citation"
            )
        identity = (model, key, field, language)
        if identity in seen:
            raise ParseError(
                _("'%(key)s' %(field)s in %(language)s appears twice")
                % {"key": key, "field": field, "language": language},
                row=line,
                column="key",
            )
        seen.add(identity)
        yield TranslationRow(
            line=line,
            model=model,
            key=key,
            field=field,
            language=language,
            origin=origin,
            text=text,
            source_text=row["source_text"],
            citation=row["citation"],
        )
