"""Forms of the contributor and reviewer pages. They only parse input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from sdg87.catalog import uploads, validators
from sdg87.catalog.models import Dataset, Distribution, ThemeCode
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation


def _split(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace(";", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


class DatasetForm(forms.ModelForm):
    """A dataset's metadata. Countries and regions are ticked in a list of names, languages
    chosen from ISO 639-1; the catalog's rules (validators.dataset_field_errors) are checked
    here too, so that every problem is reported at once (the services check them again for
    the other paths: CKAN, the Wagtail admin)."""

    themes_codes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=ThemeCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords_text = forms.CharField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas")
    )
    spatial = forms.MultipleChoiceField(
        label=_("Countries and regions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every country or region the data covers."),
    )
    related_series = forms.CharField(
        label=_("Related statistical series"),
        required=False,
        help_text=_("Series codes separated by commas, e.g. SL_TLF_CHLDEA"),
    )
    language = forms.ChoiceField(label=_("Language"), help_text=_("The language of the data"))

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
        _without_maxlength(self)
        if organisations is not None:
            # only organisations where the user may create datasets; with exactly one of them
            # there is nothing to choose, so it starts selected
            self.fields["publisher"].queryset = organisations  # type: ignore[attr-defined]
            if not self.instance.pk and "publisher" not in self.initial:
                only = list(organisations[:2])
                if len(only) == 1:
                    self.initial["publisher"] = only[0].pk
        places = sorted(Geography.objects.all(), key=lambda g: g.name.casefold())
        self._countries = {g.code for g in places if g.is_country}
        self.fields["spatial"].choices = [(g.code, g.name) for g in places]  # type: ignore[attr-defined]
        current = self.instance.language or "en"
        languages = validators.language_choices()
        if current not in validators.language_names():
            # a value stored before the list (e.g. through CKAN) stays until it is changed
            languages = [(current, current), *languages]
        self.fields["language"].choices = languages  # type: ignore[attr-defined]
        self.initial.setdefault("language", current)
        if self.instance.pk:
            # the publisher of an existing dataset does not change through this form
            del self.fields["publisher"]
            self.initial["themes_codes"] = list(self.instance.themes.values_list("code", flat=True))
            self.initial["keywords_text"] = ", ".join(sorted(self.instance.keywords.names()))
            self.initial["spatial"] = list(self.instance.spatial.values_list("code", flat=True))
            self.initial["related_series"] = ", ".join(
                self.instance.related_series.values_list("code", flat=True)
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = validators.dataset_field_errors(
            temporal_start=data.get("temporal_start"),
            temporal_end=data.get("temporal_end"),
            related_series=_split(data.get("related_series", "")),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return data

    def place_groups(self) -> list[tuple[str, list[Any]]]:
        """The place checkboxes in two groups: countries and areas, then regions and groups."""
        boxes = list(self["spatial"])
        countries = [b for b in boxes if b.data["value"] in self._countries]
        regions = [b for b in boxes if b.data["value"] not in self._countries]
        return [
            (str(_("Countries and areas")), countries),
            (str(_("Regions and groups")), regions),
        ]

    def places_selected(self) -> list[str]:
        """Names of the places ticked (as submitted, or as stored)."""
        return [b.choice_label for b in self["spatial"] if b.data["selected"]]

    def relations(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "themes": list(data.get("themes_codes") or []),
            "keywords": _split(data.get("keywords_text", "")),
            "spatial": list(data.get("spatial") or []),
            "related_series": _split(data.get("related_series", "")),
        }

    def field_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.cleaned_data and name != "publisher"
        }


def _without_maxlength(form: forms.BaseForm) -> None:
    """No `maxlength` on text inputs: a browser silently cuts what is typed or pasted beyond
    it, so a long title would be saved shortened. The form refuses it instead, stating the
    limit and the length (Django's max_length validation)."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
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
        label=_("Import as statistics (tidy table or SDMX)"),
        required=False,
        help_text=_(
            "Columns: series (optional), geo (ISO3 or M49), year, value, unit, sex, age, nature "
            "(optional); or SDMX data (SDMX-ML 2.1, SDMX-CSV, SDMX-JSON) with SERIES, REF_AREA, "
            "TIME_PERIOD, OBS_VALUE and UNIT_MEASURE. Imported when the dataset is published."
        ),
    )
    sensitive = forms.BooleanField(
        label=_("This file contains personal or case-level data"),
        required=False,
        help_text=_(
            "The dataset then stays in quarantine, seen only by your organisation's editors, "
            "until a disclosure-control review publishes a protected file."
        ),
    )

    def __init__(self, *args: Any, dataset: Dataset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _without_maxlength(self)
        # the limit as set when the page is shown (settings can differ between processes)
        self.fields["file"].help_text = _(
            "CSV (UTF-8), Excel (.xlsx), JSON or SDMX data (SDMX-ML, SDMX-CSV, SDMX-JSON); "
            "at most %(mb)s MB and %(rows)s rows."
        ) % {
            "mb": uploads.megabytes(settings.SDG87_UPLOAD_MAX_BYTES),
            "rows": formats.number_format(settings.SDG87_UPLOAD_MAX_ROWS, force_grouping=True),
        }
        # retired files belong to older versions: only current and pending ones are replaced
        self.fields["replace"].queryset = dataset.distributions.exclude(file="").filter(  # type: ignore[attr-defined]
            retired_at__isnull=True
        )


class LinkForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=1000, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=300)
    format = forms.CharField(label=_("Format"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _without_maxlength(self)


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
    terms_accepted = forms.BooleanField(
        label=_(
            "I accept the terms of use: the unprotected file is for the stated use only, is "
            "not shared, and every download is recorded."
        ),
        required=False,
    )

    def __init__(self, *args: Any, dataset: Dataset | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dataset is None or not dataset.sensitive:
            del self.fields["terms_accepted"]


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
