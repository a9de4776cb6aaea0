"""iCalendar downloads of events (one file per event, a feed of upcoming events). The news
and event pages themselves are Wagtail pages (sdg87.library.pages) served by wagtail_urls."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sdg87.library import news_selectors as sel
from sdg87.library.news_feeds import calendar_of, has_calendar_entry, request_filters

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
