"""GET filter forms of the goods x country explorer (they work without JavaScript).

Choices come from the bundled List (`selectors.Explorer`), so a value that is not on the List
is refused with a message, and each multi-value filter is bounded
(`selectors.MAX_FILTER_VALUES`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sdg87.assessments.models import Sector
from sdg87.supplychains import selectors as sel
from sdg87.supplychains.labels import type_label


class _Bounded(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > sel.MAX_FILTER_VALUES:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Choose at most %(max)d value.",
                    "Choose at most %(max)d values.",
                    "max",
                ),
                params={"max": sel.MAX_FILTER_VALUES},
                code="too_many_values",
            )


class ExplorerFilterForm(forms.Form):
    good = _Bounded(label=_("Good"), required=False)
    country = _Bounded(label=_("Country"), required=False)
    region = _Bounded(label=_("Region (DOL)"), required=False)
    sector = _Bounded(label=_("Sector"), required=False, choices=Sector.choices)
    type = _Bounded(label=_("Exploitation type"), required=False)
    edition = forms.TypedChoiceField(
        label=_("Listed in edition"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            ("current", _("On the newest edition")),
            ("removed", _("No longer listed")),
        ],
    )

    def __init__(self, *args: Any, explorer: sel.Explorer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["good"].choices = [(g.slug, g.name) for g in explorer.goods.values()]
        fields["country"].choices = [(c.iso3, c.name) for c in sel.countries(explorer)]
        fields["region"].choices = [(r, r) for r in sel.regions(explorer)]
        fields["type"].choices = [(t, type_label(t)) for t in sel.EXPLOITATION_TYPES]
        fields["edition"].choices = [("", _("Any"))] + [
            (str(e.year), str(e.year)) for e in explorer.editions
        ]

    def filters(self) -> sel.Filters:
        """The valid part of the query as Filters (invalid fields are left out)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return sel.Filters(
            goods=tuple(data.get("good") or ()),
            countries=tuple(data.get("country") or ()),
            regions=tuple(data.get("region") or ()),
            sectors=tuple(data.get("sector") or ()),
            types=tuple(data.get("type") or ()),
            edition=data.get("edition"),
            status=data.get("status") or "",
        )


class ChangesForm(forms.Form):
    old = forms.TypedChoiceField(label=_("From edition"), coerce=int)
    new = forms.TypedChoiceField(label=_("To edition"), coerce=int)

    def __init__(self, *args: Any, explorer: sel.Explorer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(e.year), str(e.year)) for e in explorer.editions]
        fields: dict[str, Any] = self.fields
        fields["old"].choices = choices
        fields["new"].choices = choices
