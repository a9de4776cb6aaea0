"""The forms of the resources pillar (sdg87.alliance.funding_views): entering a funding
commitment, and the public page's filters. They parse and bound the input; the services
(sdg87.alliance.services.funding) check the rest (currency codes, years, links, the rate and
its source together, who)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.models import FundingStatus, FundingTheme
from sdg87.alliance.services import funding
from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs.models import Organisation


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.iso3})"


class FundingCommitmentForm(forms.Form):
    donor = forms.ModelChoiceField(
        label=_("Donor organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    recipient = CountryChoiceField(label=_("Recipient country"), queryset=Geography.objects.none())
    programme = forms.CharField(
        label=_("Programme or commitment"),
        max_length=funding.PROGRAMME_LIMIT,
        help_text=_("Its name as in the source document. Plain text."),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("In the currency of the commitment, as the source states it."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("Its three-letter ISO 4217 code, e.g. EUR, UGX or USD."),
    )
    start_year = forms.IntegerField(label=_("First year"))
    end_year = forms.IntegerField(label=_("Last year"))
    theme = forms.ChoiceField(
        label=_("Against"), choices=FundingTheme.choices, widget=forms.RadioSelect
    )
    commitment_status = forms.ChoiceField(
        label=_("Stage"), choices=FundingStatus.choices, widget=forms.RadioSelect
    )
    source_url = forms.CharField(
        label=_("Link to the source document"),
        max_length=funding.URL_LIMIT,
        help_text=_("A web address (http or https) of the decision, agreement or report."),
    )
    usd_rate = forms.DecimalField(
        label=_("Exchange rate to US dollars (optional)"),
        required=False,
        max_digits=18,
        decimal_places=8,
        help_text=_(
            "US dollars per unit of the currency, e.g. 1.0845 for euros. Give it with its "
            "source, or leave both empty: without a rate the amount is shown in its own "
            "currency only. Not needed for amounts in US dollars."
        ),
    )
    usd_rate_source = forms.CharField(
        label=_("Source of the exchange rate"),
        required=False,
        max_length=funding.RATE_SOURCE_LIMIT,
        help_text=_("e.g. ECB euro reference rate, 2 January 2024, or its web address."),
    )

    SERVICE_FIELDS = (
        "recipient",
        "programme",
        "amount",
        "currency",
        "start_year",
        "end_year",
        "theme",
        "commitment_status",
        "source_url",
        "usd_rate",
        "usd_rate_source",
    )

    def __init__(self, *args: Any, donors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        donor_field = self.fields["donor"]
        assert isinstance(donor_field, forms.ModelChoiceField)
        if donors is None:  # editing: the donor of a commitment does not change
            del self.fields["donor"]
        else:
            donor_field.queryset = donors
        recipient_field = self.fields["recipient"]
        assert isinstance(recipient_field, forms.ModelChoiceField)
        recipient_field.queryset = Geography.objects.filter(
            kind=GeographyKind.COUNTRY, iso3__isnull=False
        ).order_by("name_en")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_rate = data.get("usd_rate") is not None
        has_source = bool((data.get("usd_rate_source") or "").strip())
        if has_rate != has_source:
            self.add_error(
                "usd_rate_source" if has_rate else "usd_rate",
                _("Give both the exchange rate and its source, or neither."),
            )
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


class FundingFilterForm(forms.Form):
    """The public page's filters (GET); every field optional."""

    country = forms.ChoiceField(label=_("Recipient country"), required=False)
    theme = forms.ChoiceField(
        label=_("Against"), required=False, choices=[("", _("all")), *FundingTheme.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("all")), *FundingStatus.choices]
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    donor = forms.ChoiceField(label=_("Donor"), required=False)
    year = forms.IntegerField(
        label=_("Covering the year"),
        required=False,
        min_value=funding.MIN_YEAR,
        max_value=2100,
    )

    def __init__(self, *args: Any, facets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("all"))]
        self._set_choices("country", every + [(g.iso3, g.name) for g in facets.countries])
        self._set_choices("currency", every + [(c, c) for c in facets.currencies])
        self._set_choices("donor", every + [(d.slug, d.name) for d in facets.donors])

    def _set_choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
