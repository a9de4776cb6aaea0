"""Forms of the contributor and reviewer pages. They only parse input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.models import Dataset, Distribution, ThemeCode
from sdg87.orgs.models import Organisation


def _split(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace(";", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


class DatasetForm(forms.ModelForm):
    themes_codes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=ThemeCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords_text = forms.CharField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas")
    )
    spatial_text = forms.CharField(
        label=_("Countries and regions"),
        required=False,
        help_text=_("ISO3 or M49 codes separated by commas, e.g. KEN, BGD, 001"),
    )
    related_series_text = forms.CharField(
        label=_("Related statistical series"),
        required=False,
        help_text=_("Series codes separated by commas, e.g. SL_TLF_CHLDEA"),
    )

    class Meta:
        model = Dataset
        fields = [
            "publisher",
            "title",
            "description",
            "contact_name",
            "contact_email",
            "licence",
            "frequency",
            "language",
            "identifier",
            "temporal_start",
            "temporal_end",
            "related_publications",
            "visibility",
            "publish_at",
            "embargo_until",
        ]
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}),
            "temporal_end": forms.DateInput(attrs={"type": "date"}),
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "embargo_until": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "related_publications": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            # only organisations where the user may create datasets; with exactly one of them
            # there is nothing to choose, so it starts selected
            self.fields["publisher"].queryset = organisations  # type: ignore[attr-defined]
            if not self.instance.pk and "publisher" not in self.initial:
                only = list(organisations[:2])
                if len(only) == 1:
                    self.initial["publisher"] = only[0].pk
        if self.instance.pk:
            # the publisher of an existing dataset does not change through this form
            del self.fields["publisher"]
            self.initial["themes_codes"] = list(self.instance.themes.values_list("code", flat=True))
            self.initial["keywords_text"] = ", ".join(sorted(self.instance.keywords.names()))
            self.initial["spatial_text"] = ", ".join(
                g.iso3 or g.code for g in self.instance.spatial.all()
            )
            self.initial["related_series_text"] = ", ".join(
                self.instance.related_series.values_list("code", flat=True)
            )

    def relations(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "themes": list(data.get("themes_codes") or []),
            "keywords": _split(data.get("keywords_text", "")),
            "spatial": _split(data.get("spatial_text", "")),
            "related_series": _split(data.get("related_series_text", "")),
        }

    def field_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.cleaned_data and name != "publisher"
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8), Excel (.xlsx) or JSON; at most %(mb)s MB.")
        % {"mb": settings.SDG87_UPLOAD_MAX_BYTES // (1024 * 1024)},
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    replace = forms.ModelChoiceField(
        label=_("Replaces"),
        queryset=Distribution.objects.none(),
        required=False,
        empty_label=_("— a new file —"),
        help_text=_("Upload a new version of an existing file, so 'what changed' compares them"),
    )
    map_to_observations = forms.BooleanField(
        label=_("Import as statistics (tidy table)"),
        required=False,
        help_text=_(
            "Columns: series (optional), geo (ISO3 or M49), year, value, unit, sex, age, nature "
            "(optional). Imported when the dataset is published."
        ),
    )

    def __init__(self, *args: Any, dataset: Dataset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # retired files belong to older versions: only current and pending ones are replaced
        self.fields["replace"].queryset = dataset.distributions.exclude(file="").filter(  # type: ignore[attr-defined]
            retired_at__isnull=True
        )


class LinkForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=1000, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=300)
    format = forms.CharField(label=_("Format"), max_length=20, required=False)


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class AccessRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("How will you use the data?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DictionaryForm(forms.Form):
    """One type and description per column of the file, plus the primary key column."""

    TYPES = [
        (t, t)
        for t in (
            "string",
            "integer",
            "number",
            "boolean",
            "date",
            "datetime",
            "year",
            "any",
        )
    ]

    def __init__(self, *args: Any, distribution: Distribution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = [f["name"] for f in distribution.data_dictionary]
        for i, entry in enumerate(distribution.data_dictionary):
            self.fields[f"type_{i}"] = forms.ChoiceField(
                label=_("Type of %(column)s") % {"column": entry["name"]},
                choices=_type_choices(self.TYPES, entry.get("type", "string")),
                initial=entry.get("type", "string"),
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Description of %(column)s") % {"column": entry["name"]},
                required=False,
                max_length=2000,
                initial=entry.get("description", ""),
            )
        self.fields["primary_key"] = forms.ChoiceField(
            label=_("Column that identifies a row"),
            choices=[("", _("— first column —"))] + [(c, c) for c in self.columns],
            required=False,
            initial=distribution.primary_key,
        )

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (c, self[f"type_{i}"], self[f"description_{i}"]) for i, c in enumerate(self.columns)
        ]

    def entries(self) -> list[dict[str, str]]:
        return [
            {
                "name": column,
                "type": self.cleaned_data[f"type_{i}"],
                "description": self.cleaned_data[f"description_{i}"],
            }
            for i, column in enumerate(self.columns)
        ]


def _type_choices(types: list[tuple[str, str]], current: str) -> list[tuple[str, str]]:
    return types if any(t == current for t, _label in types) else [*types, (current, current)]


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
