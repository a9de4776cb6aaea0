"""The form an editor registers a source with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.models import Licence
from sdg87.harvest.models import Schedule, SourceKind
from sdg87.orgs.models import Organisation


class SourceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Harvested datasets are published under this organisation"),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices)
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "CKAN: the site or its /api/3/action/ address; DCAT: the catalogue document; "
            "SDMX: the dataflow list, e.g. https://example.org/sdmx/dataflow/all/all/latest"
        ),
    )
    remote_filter = forms.CharField(
        label=_("Filter"),
        max_length=300,
        required=False,
        help_text=_("CKAN only: a filter query (fq), e.g. organization:ilo"),
    )
    default_licence = forms.ChoiceField(
        label=_("Licence when the source gives none"),
        choices=Licence.choices,
        initial=Licence.OTHER_ATTRIBUTION,
    )
    schedule = forms.ChoiceField(
        label=_("Schedule"), choices=Schedule.choices, initial=Schedule.DAILY
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class SourceEditForm(SourceForm):
    """The same fields but the kind, which a source keeps (register another source instead):
    EDITABLE_FIELDS, as services.harvest_source_update takes them."""

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, organisations=organisations, **kwargs)
        del self.fields["kind"]
