"""Form widgets shared by the catalogue's forms and its Wagtail admin panels."""

from __future__ import annotations

from typing import Any

from django import forms

from sdg87.catalog import validators


class LanguageSelect(forms.Select):
    """A list of the ISO 639-1 languages by name in the active language, instead of a text
    box; a code stored before the list existed (e.g. "en_GB") stays offered as it is, so an
    unrelated edit does not have to change it (the services refuse any other new value)."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        choices = validators.language_choices()
        if value and value not in validators.language_names():
            choices = [(value, value), *choices]
        self.choices = choices
        return super().get_context(name, value, attrs)
