"""The contributors' forms (sdg87.alliance.manage_views): they parse and bound the input;
the services (sdg87.alliance.services) check the rest (plain text, links, dates, who)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.models import (
    Completion,
    Funding,
    Plan,
    Potential,
    Rating,
    ReplySubject,
)
from sdg87.alliance.services.audit import LIMITS
from sdg87.indicators.models import Series


def _text(label: Any, field: str, *, required: bool = True, rows: int = 0, **kw: Any) -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=required, max_length=LIMITS[field], widget=widget, **kw
    )


class RoadmapActionForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("— another plan (name it below) —"),
    )
    plan_title = _text(
        _("Name of the plan"),
        "title",
        required=False,
        help_text=_("Only when the action belongs to a plan not listed above."),
    )
    priority_area = _text(_("Priority area"), "priority_area")
    text = _text(_("Action"), "text", rows=4, help_text=_("Plain text; no formatting."))
    responsible_body = _text(_("Responsible bodies"), "responsible_body", required=False)
    timeline = _text(
        _("Timeline as the plan states it"),
        "timeline",
        required=False,
        help_text=_("e.g. 2025-2027"),
    )
    start_date = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    budget_amount = forms.DecimalField(
        label=_("Budget"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    budget_currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("Three-letter code, e.g. UGX or USD."),
    )
    funding = forms.ChoiceField(label=_("Funding"), choices=Funding.choices, required=False)
    source_url = forms.CharField(
        label=_("Link to the plan or document"), required=False, max_length=1000
    )

    SERVICE_FIELDS = (
        "priority_area",
        "text",
        "responsible_body",
        "timeline",
        "start_date",
        "end_date",
        "budget_amount",
        "budget_currency",
        "funding",
        "source_url",
    )

    def __init__(self, *args: Any, country: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the plan of an existing action is not changed here
            del self.fields["plan"]
            del self.fields["plan_title"]
        else:
            plan_field = self.fields["plan"]
            assert isinstance(plan_field, forms.ModelChoiceField)
            plan_field.queryset = Plan.objects.filter(country=country).order_by("title")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


class StatusChangeForm(forms.Form):
    completion = forms.ChoiceField(
        label=_("Completion (Open Government Partnership scale)"),
        choices=Completion.choices,
        widget=forms.RadioSelect,
    )
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = _text(
        _("Evidence"),
        "evidence",
        rows=5,
        help_text=_("What shows this status: a report, a decision, figures. Plain text."),
    )
    evidence_url = forms.CharField(
        label=_("Link to the evidence"),
        required=False,
        max_length=1000,
        help_text=_("A web address (http or https)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class SeriesChoiceField(forms.ModelChoiceField[Series]):
    def label_from_instance(self, obj: Series) -> str:
        return f"{obj.code}: {obj.name}"[:200]


class ActionIndicatorForm(forms.Form):
    """Link a statistical series to an action, with the national baseline and target."""

    series = SeriesChoiceField(
        label=_("Statistical series"),
        queryset=Series.objects.none(),
        help_text=_("The public series whose figures for the country the action should move."),
    )
    label = _text(
        _("Indicator as the plan names it"),
        "title",
        required=False,
        help_text=_("Leave empty to use the series' name."),
    )
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1950, max_value=2100)
    baseline_value = forms.FloatField(label=_("Baseline value"))
    target_year = forms.IntegerField(label=_("Target year"), min_value=1950, max_value=2100)
    target_value = forms.FloatField(
        label=_("Target value"),
        required=False,
        help_text=_("In the series' unit. Leave empty when the plan states the target in words."),
    )
    target_text = _text(_("Target as the plan states it"), "target_text", required=False)
    source_url = forms.CharField(
        label=_("Link to the plan that sets the baseline and target"),
        required=False,
        max_length=1000,
        help_text=_("A web address (http or https)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series_field = self.fields["series"]
        assert isinstance(series_field, forms.ModelChoiceField)
        series_field.queryset = Series.objects.public().order_by("code")


class ReplyForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("The reply answers"), choices=ReplySubject.choices, widget=forms.RadioSelect
    )
    subject_ref = forms.CharField(
        label=_("Edition (year)"),
        required=False,
        max_length=LIMITS["subject_ref"],
        help_text=_("For a report or an index: the year of the edition answered, e.g. 2024."),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating answered"),
        required=False,
        coerce=str,
        help_text=_("For an independent rating: which one."),
    )
    title = _text(_("Title"), "title")
    text = _text(
        _("Response"),
        "reply",
        rows=12,
        help_text=_("Published in full as written. Plain text; no formatting."),
    )

    def __init__(self, *args: Any, ratings: list[Rating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating_field = self.fields["rating"]
        assert isinstance(rating_field, forms.ChoiceField)
        rating_field.choices = [("", "—")] + [
            (
                str(r.pk),
                f"#{r.pk} {r.action.key} · {r.get_completion_display()} / "
                f"{r.get_potential_display()} · {r.rated_at:%Y-%m-%d}",
            )
            for r in ratings
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("subject") == ReplySubject.RATING:
            if not data.get("rating"):
                self.add_error("rating", _("Choose the rating this reply answers."))
            data["subject_ref"] = data.get("rating") or ""
        return data


class ReplyEditForm(forms.Form):
    title = _text(_("Title"), "title")
    text = _text(_("Response"), "reply", rows=12)


class RatingForm(forms.Form):
    completion = forms.ChoiceField(
        label=_("Completion"), choices=Completion.choices, widget=forms.RadioSelect
    )
    potential = forms.ChoiceField(
        label=_("Potential for results"), choices=Potential.choices, widget=forms.RadioSelect
    )
    reason = _text(_("Reason"), "reason", rows=6, help_text=_("Shown with the rating. Plain text."))


class DecisionForm(forms.Form):
    """The message of a review decision (required to return something)."""

    message = _text(_("Message"), "message", required=False, rows=3)


class GroupLinkForm(forms.Form):
    """What the secretariat links to an Action Group: one public publication ("pub:<slug>") or
    one live news or event page ("page:<id>"), chosen from the lists the view gives, and the
    source that shows the link."""

    target = forms.ChoiceField(label=_("Publication, news or event"))
    evidence_url = forms.URLField(
        label=_("Source that shows the link"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("The web address of a page that says the group produced it or is its subject."),
    )
    note = _text(_("Note"), "message", required=False, rows=2)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = [("", "—"), *choices]
