"""The reviewer's declaration (columns offered from the file's header)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.models import Distribution
from sdg87.disclosure.sdc import DEFAULT_K, DEFAULT_MIN_COUNT

MAX_HIERARCHY_CHARS = 200_000


class DeclarationForm(forms.Form):
    source = forms.ModelChoiceField(label=_("File"), queryset=Distribution.objects.none())
    quasi_identifiers = forms.MultipleChoiceField(
        label=_("Quasi-identifiers"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Columns someone could know from elsewhere: age, sex, nationality, region, year …"
        ),
    )
    sensitive_attribute = forms.ChoiceField(label=_("Sensitive attribute"), required=False)
    k = forms.IntegerField(label=_("k (smallest group size)"), min_value=2, max_value=1000)
    l_target = forms.IntegerField(
        label=_("l (distinct sensitive values per group, optional)"),
        min_value=1,
        max_value=100,
        required=False,
    )
    hierarchies = forms.CharField(
        label=_("Generalisation hierarchies (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            'Per quasi-identifier: {"age": {"bands": [5, 10, 20]}, "region": {"maps": '
            '[{"Nakuru": "Rift Valley"}]}}. Without one, a value is kept or suppressed.'
        ),
    )

    def __init__(self, *args: Any, sources: Any, columns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        choices = [(c, c) for c in columns]
        self.fields["quasi_identifiers"].choices = choices  # type: ignore[attr-defined]
        self.fields["sensitive_attribute"].choices = [("", _("— none —")), *choices]  # type: ignore[attr-defined]
        self.fields["k"].initial = DEFAULT_K

    def clean_hierarchies(self) -> dict[str, Any]:
        text = self.cleaned_data.get("hierarchies") or ""
        if not text.strip():
            return {}
        if len(text) > MAX_HIERARCHY_CHARS:
            raise forms.ValidationError(_("The hierarchies are too long."))
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(col)s).")
                % {"line": exc.lineno, "col": exc.colno}  # type: ignore[attr-defined]
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give one object, keyed by quasi-identifier."))
        return value


class TableDeclarationForm(forms.Form):
    """An aggregate table: one column of row labels, columns of counts (totals left out)."""

    source = forms.ModelChoiceField(label=_("File"), queryset=Distribution.objects.none())
    label_column = forms.ChoiceField(
        label=_("Row label column"),
        help_text=_("The column naming each row's category (region, year, sex …)."),
    )
    count_columns = forms.MultipleChoiceField(
        label=_("Count columns"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each a category of the other variable, each cell a number of people or cases. "
            "Leave any total row or column out: totals are computed and published."
        ),
    )
    min_count = forms.IntegerField(
        label=_("Minimum cell count"),
        min_value=1,
        max_value=1000,
        help_text=_(
            "Counts above zero and below this are suppressed, and enough others with "
            "them that no suppressed cell can be worked out from the totals."
        ),
    )

    def __init__(self, *args: Any, sources: Any, columns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        choices = [(c, c) for c in columns]
        self.fields["label_column"].choices = choices  # type: ignore[attr-defined]
        self.fields["count_columns"].choices = choices  # type: ignore[attr-defined]
        self.fields["min_count"].initial = DEFAULT_MIN_COUNT
