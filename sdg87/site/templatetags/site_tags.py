"""Template helpers for the public site: language links, number formatting, labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from sdg87.indicators import labels

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """The current page in every site language (same path and query, other prefix)."""
    request: HttpRequest | None = context.get("request")
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    full_path = request.get_full_path() if request is not None else "/"
    links = []
    prefix = f"/{current}/"
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = translate_url(full_path, code)
        if url == full_path and code != current and full_path.startswith(prefix):
            # Not a known page (e.g. a 404): swap the language prefix all the same.
            url = f"/{code}/" + full_path[len(prefix) :]
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return links


@register.filter
def num(value: float | int | None, decimals: int = 1) -> str:
    """A number in the active language's format, with thousands grouping."""
    return labels.number(value, decimals)


@register.filter
def obs_value(observation: Any) -> str:
    """An observation's value with its series' decimals and unit symbol."""
    if observation is None:
        return labels.NO_VALUE
    return labels.format_value(observation.value, observation.series)


@register.filter
def nature_label(code: str) -> str:
    return labels.nature_label(code)


@register.filter
def sex_label(code: str) -> str:
    return labels.sex_label(code)


@register.filter
def age_label(code: str) -> str:
    return labels.age_label(code)


@register.filter
def series_name(series: Any) -> str:
    return labels.series_name(series)


@register.filter
def release_url(release: Any) -> str:
    """Where a release can be read: its own page, else its source's."""
    if release is None:
        return ""
    return str(release.url or release.source.url or "")


@register.filter
def dimension_label(key: str) -> str:
    from sdg87.site.contexts.estimates import dimension_label as label

    return label(key)


@register.filter
def geo_code(geo: Any) -> str:
    return str(geo.iso3 or geo.code)


@register.filter
def tr(obj: Any, field_name: str) -> str:
    """A translated model field (`translations` JSON), falling back to the stored text."""
    if obj is None:
        return ""
    return str(obj.translated(field_name))


def _untranslated(obj: Any, field_name: str) -> bool:
    """True when the page is not in English and the field falls back to the English text."""
    lang = (get_language() or "en")[:2]
    if obj is None or lang == "en" or not getattr(obj, field_name, ""):
        return False
    translations = getattr(obj, "translations", None) or {}
    return not (translations.get(lang) or {}).get(field_name)


@register.simple_tag
def data_lang(obj: Any, field_name: str) -> str:
    """` lang="en"` on an element holding data-sourced English text shown on a French or
    Spanish page without a translation (WCAG 3.1.2), else nothing."""
    return mark_safe(' lang="en"') if _untranslated(obj, field_name) else ""


@register.filter
def get(mapping: Any, key: str) -> Any:
    if not mapping:
        return None
    return mapping.get(key)
