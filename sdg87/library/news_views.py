"""iCalendar downloads of events (one file per event, a feed of upcoming events) and the
contribution form of members. The news and event pages themselves are Wagtail pages
(sdg87.library.pages) served by wagtail_urls."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from sdg87.geo.models import Geography, GeographyKind
from sdg87.library import news_selectors as sel
from sdg87.library import news_services
from sdg87.library.news_feeds import calendar_of, has_calendar_entry, request_filters
from sdg87.library.news_services import ItemSpec
from sdg87.orgs.models import Organisation

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _lang() -> str:
    return (get_language() or "en")[:2]


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    page = sel.event_public_get(locale=_lang(), slug=slug)
    if page is None or not has_calendar_entry(page):
        raise Http404(_("No calendar file for this event."))
    return _ics(calendar_of([page], request=request, name=page.title), f"{page.slug}.ics")


@require_safe
def events_upcoming_ics(request: HttpRequest) -> HttpResponse:
    """Upcoming events (filterable like the events page) as one subscribable calendar."""
    qs = sel.event_filter(sel.event_public_queryset(locale=_lang()), **request_filters(request))
    pages = list(sel.events_upcoming(qs, now=timezone.now()))
    return _ics(
        calendar_of(pages, request=request, name=_("Upcoming events, SDG 8.7")),
        "upcoming-events.ics",
    )


# Contributions: a member of an organisation proposes a news item or an event. It becomes a
# draft Wagtail page submitted to the moderation workflow; editors review it in the admin.


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_lazy("On behalf of"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(
        label=_lazy("What is it?"),
        choices=[
            ("news", _lazy("News")),
            ("campaign", _lazy("Campaign")),
            ("event", _lazy("Event")),
        ],
    )
    title = forms.CharField(label=_lazy("Title"), max_length=255)
    date = forms.DateField(
        label=_lazy("Date (the first day of an event)"),
        help_text=_lazy("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_date = forms.DateField(
        label=_lazy("Last day (events and campaigns over several days)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(label=_lazy("Place (events)"), max_length=300, required=False)
    country = forms.ModelChoiceField(
        label=_lazy("Country"),
        queryset=Geography.objects.filter(kind=GeographyKind.COUNTRY),
        required=False,
    )
    online_url = forms.URLField(label=_lazy("Online link (events)"), required=False)
    registration_url = forms.URLField(label=_lazy("Registration link (events)"), required=False)
    text = forms.CharField(
        label=_lazy("Summary or description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    source_url = forms.URLField(
        label=_lazy("Your organisation's page about it"), required=False, max_length=1000
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(memberships__user=user).order_by("name")

    def spec(self) -> ItemSpec:
        data = self.cleaned_data
        text = "".join(
            f"<p>{escape(part.strip())}</p>" for part in data["text"].split("\n\n") if part.strip()
        )
        kind = data["kind"]
        country = data.get("country")
        return ItemSpec(
            slug=slugify(data["title"])[:70] or "item",
            title=data["title"],
            kind=kind,
            date=data["date"],
            end_date=data.get("end_date"),
            summary=data["text"] if kind != "event" else "",
            body=text,
            place=data.get("place", ""),
            online=bool(data.get("online_url")),
            online_url=data.get("online_url", ""),
            registration_url=data.get("registration_url", ""),
            country=country.iso3 if country and kind == "event" else "",
            countries=[country.iso3] if country and kind != "event" else [],
            source_url=data.get("source_url", ""),
            source_organisation=data["organisation"].slug if data.get("source_url") else "",
        )


def contribute(request: HttpRequest) -> HttpResponse:
    """The form, for members of an organisation; on success, the draft is with the editors."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("catalog:login"))
    form = ContributionForm(request.POST or None, user=request.user)
    if not Organisation.objects.filter(memberships__user=request.user).exists():
        raise PermissionDenied(_("Only members of an organisation can propose news and events."))
    if request.method == "POST" and form.is_valid():
        try:
            news_services.news_contribution_submit(
                user=request.user, organisation=form.cleaned_data["organisation"], spec=form.spec()
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            return render(request, "library/news/contribute_sent.html")
    return render(request, "library/news/contribute.html", {"form": form})
