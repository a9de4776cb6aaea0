"""What may be translated: model fields named by "app_label.model" (strings, so that core
imports no app, ADR 0007) and vocabularies of terms shared by many rows.

A field that holds sanitised HTML (dataset descriptions) is listed in `HTML_FIELDS`: its
translations are sanitised when written and rendered through core.html when read.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Model label -> fields shown to visitors whose text comes from data or contributors.
FIELDS: dict[str, tuple[str, ...]] = {
    "indicators.indicator": ("name", "definition", "unit", "methodology"),
    "indicators.series": ("name", "description", "unit_label"),
    "indicators.source": ("title", "description", "licence"),
    "indicators.release": ("title", "citation", "licence_note"),
    "catalog.dataset": ("title", "description"),
    "catalog.distribution": ("title", "description"),
    "assessments.suggestedaction": ("action",),
    "orgs.organisation": ("name", "description"),
}

HTML_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {("catalog.dataset", "description"), ("orgs.organisation", "description")}
)

# Vocabulary -> what it holds. Terms are keyed by their English text (or code).
VOCABULARIES: dict[str, Promise] = {
    "dol-good": _("Goods of the US Department of Labor List of Goods"),
    "sdg-target": _("SDG target texts, keyed by target number"),
}

SOURCE_LANGUAGE = "en"


def target_languages() -> tuple[str, ...]:
    """The page languages other than English: those a translation may be written in."""
    return tuple(code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE)


def field_allowed(model_label: str, field: str) -> bool:
    return field in FIELDS.get(model_label, ())


def is_html(model_label: str, field: str) -> bool:
    return (model_label, field) in HTML_FIELDS


# How the files in data/translations/ name a row: its model's natural key.
NATURAL_KEYS: dict[str, str] = {
    "indicators.indicator": "code",
    "indicators.series": "code",
    "indicators.source": "code",
    "indicators.release": "code",
    "catalog.dataset": "slug",
    "orgs.organisation": "slug",
}
