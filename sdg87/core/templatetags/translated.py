"""Content in the page's language (ADR 0008): `{% load translated %}` then

    {% translated obj "definition" %}            <span lang="fr">…</span> and its note
    {% translated obj "methodology" block=True %} a <div> of paragraphs (HTML fields sanitised)
    {% translated obj "name" mark=False %}        no visible note (table cells; lang stays)
    {% translated obj "definition" words=60 %}    cut after 60 words
    {% translated obj "name" as t %}              the value, for your own markup:
        <h1{{ t.lang_attr }}>{{ t.text }}</h1>{{ t.note }}   ({{ t }} is the default markup)
    {% translated_term "dol-good" good %}         a term of a vocabulary, same options
    {{ obj|translated_text:"title" }}             plain text (titles, meta descriptions)
    {% prefetch_translations items %}             one query for the rows of a list
    {% list_note items "action" %}                the notes of a list shown with mark=False,
                                                  each once
    {% editorial_note %}                          "(Editorial translation)" once, for a list
                                                  of terms shown with mark=False

The note is "(Editorial translation)" for the platform's own translations and "(English — no
French translation yet)" where the text stands in for a missing one; a publisher's version
has none. Everything is escaped; HTML fields go through core.html's sanitiser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter, truncatewords
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, pgettext

from sdg87.core.html import sanitise_html
from sdg87.core.translations.selectors import (
    Shown,
    page_language,
    term_translated,
    translations_prefetch,
    vocabulary_load,
)
from sdg87.core.translations.selectors import (
    translated as translated_select,
)

register = template.Library()


# The fallback notes, as whole sentences for translators: (text's language, page's language).
_MISSING = {
    ("en", "fr"): gettext_lazy("English — no French translation yet"),
    ("en", "es"): gettext_lazy("English — no Spanish translation yet"),
    ("fr", "en"): gettext_lazy("French — no English translation yet"),
    ("fr", "es"): gettext_lazy("French — no Spanish translation yet"),
    ("es", "en"): gettext_lazy("Spanish — no English translation yet"),
    ("es", "fr"): gettext_lazy("Spanish — no French translation yet"),
}
_OUT_OF_DATE = {
    "fr": gettext_lazy("English — the French translation is out of date"),
    "es": gettext_lazy("English — the Spanish translation is out of date"),
}


def note(shown: Shown) -> SafeString:
    """The visible mark of a fallback or an editorial translation, in the page's language."""
    if shown.fallback:
        if shown.stale and shown.page_language in _OUT_OF_DATE:
            message = str(_OUT_OF_DATE[shown.page_language])
        else:
            pair = (shown.language, shown.page_language)
            message = str(_MISSING.get(pair) or gettext("Not yet translated"))
    elif shown.is_editorial:
        message = pgettext("content", "Editorial translation")
    else:
        return mark_safe("")
    return format_html(
        ' <small class="muted translation-note" lang="{}">({})</small>',
        shown.page_language,
        message,
    )


@register.simple_tag
def prefetch_translations(objects: Any) -> str:
    """`{% prefetch_translations items %}` before a loop over model rows of one model: their
    translations in the page's language are read in one query instead of one per row."""
    translations_prefetch(list(objects or ()))
    return ""


@register.simple_tag
def list_note(objects: Any, field: str) -> SafeString:
    """The notes of a list shown with mark=False, each once: e.g. one "(English — no French
    translation yet)" under a list of suggested actions instead of one per item."""
    seen: list[SafeString] = []
    for obj in objects or ():
        mark = note(translated_select(obj, field))
        if mark and mark not in seen:
            seen.append(mark)
    return mark_safe("".join(seen))


@register.simple_tag
def editorial_note() -> SafeString:
    """ "(Editorial translation)" on a French or Spanish page, for a list whose items are shown
    with mark=False (a vocabulary glossary); nothing on an English page."""
    language = page_language()
    if language == "en":
        return mark_safe("")
    return format_html(
        '<small class="muted translation-note" lang="{}">({})</small>',
        language,
        pgettext("content", "Editorial translation"),
    )


@dataclass(frozen=True)
class Rendered:
    """What the tags return: rendered as markup (`__html__`), or read attribute by attribute
    after `{% translated … as t %}`."""

    shown: Shown
    mark: bool = True
    block: bool = False
    words: int = 0

    @property
    def text(self) -> str:
        return self.shown.text

    @property
    def language(self) -> str:
        return self.shown.language

    @property
    def origin(self) -> str:
        return self.shown.origin

    @property
    def fallback(self) -> bool:
        return self.shown.fallback

    @property
    def citation(self) -> str:
        return self.shown.citation

    @property
    def lang_attr(self) -> SafeString:
        """` lang="en"` when the text is not in the page's language, else nothing."""
        if not self.shown.differs:
            return mark_safe("")
        return format_html(' lang="{}"', self.shown.language)

    @property
    def note(self) -> SafeString:
        return note(self.shown)

    @property
    def html(self) -> SafeString:
        """The text as HTML: sanitised for HTML fields, escaped otherwise."""
        if self.shown.html:
            return mark_safe(sanitise_html(self.shown.text))
        return format_html("{}", self.shown.text)

    def __html__(self) -> SafeString:
        return render(self.shown, mark=self.mark, block=self.block, words=self.words)

    def __str__(self) -> str:
        return self.__html__()


def render(shown: Shown, *, mark: bool = True, block: bool = False, words: int = 0) -> SafeString:
    text = shown.text
    if shown.html:
        body = mark_safe(sanitise_html(text))
        if words:
            body = mark_safe(sanitise_html(Truncator(body).words(words, html=True)))
        block = True
    else:
        if words:
            text = truncatewords(text, words)
        body = linebreaks_filter(text, autoescape=True) if block else format_html("{}", text)
    suffix = note(shown) if mark else mark_safe("")
    if block:
        return format_html('<div lang="{}">{}</div>{}', shown.language, body, suffix)
    return format_html('<span lang="{}">{}</span>{}', shown.language, body, suffix)


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "mark": bool(kwargs.get("mark", True)),
        "block": bool(kwargs.get("block", False)),
        "words": int(kwargs.get("words", 0) or 0),
    }


@register.simple_tag
def translated(obj: Any, field: str, **kwargs: Any) -> Rendered:
    """The field in the page's language, with `lang` and the note; see the module docstring."""
    return Rendered(translated_select(obj, field), **_options(kwargs))


@register.simple_tag(takes_context=True)
def translated_term(
    context: template.Context, vocabulary: str, term: Any, **kwargs: Any
) -> Rendered:
    """A term of `vocabulary` in the page's language. The vocabulary is read once per template
    rendering (a list of goods asks the database once)."""
    key = f"sdg87-vocabulary:{vocabulary}"
    loaded = context.render_context.get(key)
    if loaded is None:
        loaded = context.render_context[key] = vocabulary_load(vocabulary)
    shown = term_translated(vocabulary, str(term or ""), loaded=loaded)
    return Rendered(shown, **_options(kwargs))


@register.filter
def translated_text(obj: Any, field: str) -> str:
    """The field's text in the page's language (or its fallback), as plain text."""
    return translated_select(obj, field).text
