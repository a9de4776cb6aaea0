"""Forms of the account pages: password reset, the publisher account request, its decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.orgs.models import AccountRequest, OrganisationType
from sdg87.orgs.selectors import organisation_list


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The address of your account."),
    )


class AccountRequestForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Preferably your organisation's address: it helps us check who you are."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    position = forms.CharField(
        label=_("Your position"),
        max_length=200,
        required=False,
        help_text=_("For example: statistician, research officer."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=organisation_list(),
        required=False,
        empty_label=_("My organisation is not listed"),
        help_text=_("If your organisation is not listed, give its name below."),
    )
    proposed_organisation = forms.CharField(
        label=_("New organisation's name"), max_length=300, required=False
    )
    proposed_organisation_type = forms.ChoiceField(
        label=_("New organisation's type"),
        choices=[("", "—"), *OrganisationType.choices],
        required=False,
    )
    proposed_organisation_website = forms.URLField(
        label=_("New organisation's website"), max_length=500, required=False, assume_scheme="https"
    )
    role = forms.ChoiceField(
        label=_("Role you ask for"),
        choices=[(r.value, r.label) for r in AccountRequest.REQUESTABLE_ROLES],
        initial=AccountRequest.REQUESTABLE_ROLES[0].value,
        help_text=_(
            "Contributors prepare datasets; editors also review and publish them; "
            "administrators also manage who publishes for the organisation."
        ),
    )
    reason = forms.CharField(
        label=_("Why you need an account"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would publish, and for which programme or project."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") is None:
            if not (data.get("proposed_organisation") or "").strip():
                self.add_error(
                    "organisation",
                    _("Pick your organisation, or give the name of a new one below."),
                )
            elif not data.get("proposed_organisation_type"):
                self.add_error(
                    "proposed_organisation_type", _("Say what kind of organisation it is.")
                )
        elif (data.get("proposed_organisation") or "").strip():
            self.add_error(
                "proposed_organisation",
                _("Either pick your organisation from the list or propose a new one, not both."),
            )
        return data


class AccountRequestDecisionForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role to give"),
        choices=[(r.value, r.label) for r in AccountRequest.REQUESTABLE_ROLES],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the requester (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
