"""Forms of the annual report pages: the year to start, and the report itself (a summary,
then, per roadmap action, completion, evidence, barriers and next steps). Plain Django forms
without JavaScript; the services check every value again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.models import AnnualReportEntry, Completion
from sdg87.alliance.services.reports import ENTRY_FIELDS, FIRST_YEAR

TEXT_LIMIT = 4000


class ReportStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int, choices=())

    def __init__(self, *args: Any, taken: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = [y for y in range(this_year, FIRST_YEAR - 1, -1) if y not in set(taken)]
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, str(y)) for y in years]
        field.initial = this_year - 1 if this_year - 1 in years else (years[0] if years else None)


def entry_field_name(entry_id: int, name: str) -> str:
    return f"e{entry_id}-{name}"


class ReportForm(forms.Form):
    """The summary and one group of fields per entry, named `e<id>-<field>`."""

    summary = forms.CharField(
        label=_("Summary of the year"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What changed this year, in plain words. Required before you submit the report."
        ),
    )

    def __init__(
        self, *args: Any, entries: Iterable[AnnualReportEntry] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entry_ids: list[int] = []
        for entry in entries:
            self.entry_ids.append(entry.pk)
            self.fields[entry_field_name(entry.pk, "completion")] = forms.ChoiceField(
                label=_("Completion (Open Government Partnership scale)"),
                choices=Completion.choices,
                initial=entry.completion,
            )
            self.fields[entry_field_name(entry.pk, "evidence")] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=TEXT_LIMIT,
                initial=entry.evidence,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[entry_field_name(entry.pk, "evidence_url")] = forms.CharField(
                label=_("Link to the evidence"),
                required=False,
                max_length=1000,
                initial=entry.evidence_url,
                help_text=_("A web address (http or https)."),
            )
            self.fields[entry_field_name(entry.pk, "barriers")] = forms.CharField(
                label=_("Barriers"),
                required=False,
                max_length=TEXT_LIMIT,
                initial=entry.barriers,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[entry_field_name(entry.pk, "next_steps")] = forms.CharField(
                label=_("Next steps"),
                required=False,
                max_length=TEXT_LIMIT,
                initial=entry.next_steps,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def entry_fields(self, entry_id: int) -> list[forms.BoundField]:
        return [self[entry_field_name(entry_id, name)] for name in ENTRY_FIELDS]

    def entries_data(self) -> dict[int, dict[str, Any]]:
        """{entry id: {field: value}} from the cleaned data, for services.reports."""
        return {
            pk: {name: self.cleaned_data[entry_field_name(pk, name)] for name in ENTRY_FIELDS}
            for pk in self.entry_ids
        }

    def service_error_field(self, key: str) -> str | None:
        """The form field of a service error key (`entry-<id>-<field>`, `summary`)."""
        if key.startswith("entry-"):
            _prefix, pk, name = key.split("-", 2)
            key = entry_field_name(int(pk), name)
        return key if key in self.fields else None
