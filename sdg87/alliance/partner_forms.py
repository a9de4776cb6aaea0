"""Forms of the partner pages: the public application to join the Alliance 8.7, and the
secretariat's decision. They only parse input; sdg87.alliance.services.applications validates
again and decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.models import SHOWN, ActionGroup
from sdg87.alliance.services.applications import ACCEPT, DECLINE, LIMITS
from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs.models import Organisation, OrganisationType


class CountryChoiceField(forms.ModelChoiceField[Geography]):
    def label_from_instance(self, obj: Geography) -> str:
        return obj.name


class PartnerApplicationForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=LIMITS["organisation_name"],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=[("", "—"), *OrganisationType.choices]
    )
    country = CountryChoiceField(
        label=_("Country of its headquarters"),
        queryset=Geography.objects.none(),
        required=False,
        empty_label=_("Several countries or none"),
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=LIMITS["website"],
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=LIMITS["contact_name"],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=LIMITS["contact_email"],
        help_text=_("The secretariat writes to this address about your application."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    motivation = forms.CharField(
        label=_("Why your organisation wants to join"),
        max_length=LIMITS["motivation"],
        help_text=_(
            "What your organisation does against child labour, forced labour, modern slavery "
            "or human trafficking, and what it would bring to the Alliance. Plain text, at "
            "most 3000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    action_groups = forms.ModelMultipleChoiceField(
        label=_("Action Groups of interest"),
        queryset=ActionGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the groups your organisation would like to work in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("name_en")
        self.fields["country"].queryset = countries  # type: ignore[attr-defined]
        groups = ActionGroup.objects.filter(verification__in=SHOWN).order_by("name")
        self.fields["action_groups"].queryset = groups  # type: ignore[attr-defined]


class ApplicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Link to an organisation already on the platform"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("None: create a new organisation from the application"),
        help_text=_(
            "When accepting. An organisation that already holds an Alliance role keeps it."
        ),
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        max_length=LIMITS["decision_note"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when declining: say why. The applicant receives it by e-mail."),
    )
