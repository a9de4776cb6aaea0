"""Reading translations (ADR 0008): what a page in a given language shows for a field.

For a row's field, in order:
1. the page's language is the text's own (English, or a dataset's `language`): the text itself;
2. a Translation row for the field and language whose `source_text` is the English as it is
   now (a translation of older English is out of date and not shown);
3. the row's own `translations` JSON, where the model has one (indicator and series names
   shipped with the indicator metadata; written by this platform, so editorial);
4. otherwise the text in its own language, flagged as a fallback so that pages mark it and set
   `lang` on its element.

Terms of a vocabulary follow 2 and 4 with the term as its English text (or, for vocabularies
keyed by code such as SDG targets, the English stored with the translations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language

from sdg87.core.models import Translation, TranslationOrigin
from sdg87.core.translations.registry import SOURCE_LANGUAGE, is_html
from sdg87.core.translations.targets import source_language

# Origins of what is shown besides TranslationOrigin's: the text in its own language.
ORIGINAL = "original"

_CACHE_ATTR = "_sdg87_translations"


@dataclass(frozen=True)
class Shown:
    """What a page shows for one field: `text` in `language` (a two-letter code), where it
    came from (`origin`: "original", "publisher" or "editorial"), whether it stands in for a
    missing translation (`fallback`) and why (`stale`: a translation exists but of older
    English), the publisher's `citation`, and whether `text` is sanitised-HTML source (`html`)."""

    text: str
    language: str
    page_language: str
    origin: str = ORIGINAL
    fallback: bool = False
    stale: bool = False
    citation: str = ""
    html: bool = False

    @property
    def is_editorial(self) -> bool:
        return self.origin == TranslationOrigin.EDITORIAL

    @property
    def differs(self) -> bool:
        """The text is not in the page's language (its element needs `lang`)."""
        return self.language != self.page_language


def page_language(language: str | None = None) -> str:
    return (language or get_language() or SOURCE_LANGUAGE)[:2].lower()


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _rows_for(obj: models.Model, language: str) -> dict[str, Translation]:
    """The object's Translation rows in `language` by field, loaded once per object."""
    cache: dict[str, dict[str, Translation]] = obj.__dict__.setdefault(_CACHE_ATTR, {})
    if language not in cache:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        cache[language] = {
            row.field: row
            for row in Translation.objects.filter(
                content_type=content_type, object_id=obj.pk, language=language
            )
        }
    return cache[language]


def translations_prefetch(objects: Iterable[models.Model], *, language: str | None = None) -> None:
    """Load the Translation rows of many objects of one model in one query (list pages), so
    that `translated` on each of them asks nothing more of the database."""
    lang = page_language(language)
    items = [o for o in objects if o is not None and o.pk is not None]
    if not items:
        return
    content_type = ContentType.objects.get_for_model(items[0], for_concrete_model=False)
    found: dict[int, dict[str, Translation]] = {o.pk: {} for o in items}
    for row in Translation.objects.filter(
        content_type=content_type, object_id__in=list(found), language=lang
    ):
        if row.object_id is not None:
            found[row.object_id][row.field] = row
    for obj in items:
        obj.__dict__.setdefault(_CACHE_ATTR, {})[lang] = found[obj.pk]


def _json_translation(obj: Any, field: str, language: str) -> str:
    translations = getattr(obj, "translations", None)
    if not isinstance(translations, Mapping):
        return ""
    value = (translations.get(language) or {}).get(field)
    return str(value).strip() if value else ""


def translated(obj: models.Model | None, field: str, *, language: str | None = None) -> Shown:
    """What a page in `language` (default: the active language) shows for `obj.field`."""
    lang = page_language(language)
    if obj is None:
        return Shown(text="", language=lang, page_language=lang)
    own = source_language(obj)
    original = str(getattr(obj, field, "") or "")
    html = is_html(obj._meta.label_lower, field)
    if lang == own or not original.strip():
        return Shown(text=original, language=own, page_language=lang, html=html)
    stale = False
    row = _rows_for(obj, lang).get(field) if obj.pk is not None else None
    if row is not None:
        if _same(row.source_text, original):
            return Shown(
                text=row.text,
                language=lang,
                page_language=lang,
                origin=row.origin,
                citation=row.citation,
                html=html,
            )
        stale = True
    legacy = _json_translation(obj, field, lang)
    if legacy:
        return Shown(
            text=legacy, language=lang, page_language=lang, origin=TranslationOrigin.EDITORIAL
        )
    return Shown(
        text=original, language=own, page_language=lang, fallback=True, stale=stale, html=html
    )


@dataclass(frozen=True)
class _Term:
    english: str
    rows: dict[str, Translation]


def vocabulary_load(vocabulary: str) -> dict[str, _Term]:
    """Every term of `vocabulary` with its translations (one query)."""
    rows: dict[str, dict[str, Translation]] = {}
    english: dict[str, str] = {}
    for row in Translation.objects.filter(content_type=None, field=vocabulary).order_by(
        "updated_at", "pk"
    ):
        rows.setdefault(row.term, {})[row.language] = row
        if row.source_text:  # the most recent translation's English wins
            english[row.term] = row.source_text
    return {term: _Term(english=english.get(term, term), rows=r) for term, r in rows.items()}


def term_translated(
    vocabulary: str,
    term: str,
    *,
    language: str | None = None,
    loaded: Mapping[str, _Term] | None = None,
) -> Shown:
    """What a page in `language` shows for `term` of `vocabulary`. Pass `loaded`
    (`vocabulary_load`) when showing many terms, to ask the database once."""
    lang = page_language(language)
    terms = loaded if loaded is not None else vocabulary_load(vocabulary)
    entry = terms.get(term)
    english = entry.english if entry is not None else term
    if lang == SOURCE_LANGUAGE:
        return Shown(text=english, language=SOURCE_LANGUAGE, page_language=lang)
    row = entry.rows.get(lang) if entry is not None else None
    if row is not None and _same(row.source_text or term, english):
        return Shown(
            text=row.text,
            language=lang,
            page_language=lang,
            origin=row.origin,
            citation=row.citation,
        )
    return Shown(
        text=english,
        language=SOURCE_LANGUAGE,
        page_language=lang,
        fallback=True,
        stale=row is not None,
    )


def translation_counts() -> dict[tuple[str, str], int]:
    """Number of translations by (origin, language), for reports and the admin."""
    counts: dict[tuple[str, str], int] = {}
    for row in Translation.objects.values("origin", "language").annotate(n=models.Count("pk")):
        counts[(row["origin"], row["language"])] = row["n"]
    return counts
