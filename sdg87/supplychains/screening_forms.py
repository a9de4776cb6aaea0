"""Forms of the sourcing-list screening pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sdg87.orgs.models import Organisation
from sdg87.supplychains.screening_parser import MAX_BYTES, MAX_ROWS


class ScreeningUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sourcing list (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # worded per request, in the visitor's language
        self.fields["file"].help_text = gettext(
            "One row per good and country, with a header row: good, country, and optionally "
            "supplier and volume. Up to %(rows)s rows and %(mb)s MB."
        ) % {"rows": number_format(MAX_ROWS, force_grouping=True), "mb": MAX_BYTES // 2**20}


class ScreeningSaveForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
