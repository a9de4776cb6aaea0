"""Feeds of news and events: Atom (django.contrib.syndication, Atom1Feed), filterable by
`theme`, `country` and `organisation` query parameters like the pages, and iCalendar
(the icalendar package): one file per event and a feed of upcoming events.

Only live, public pages (sdg87.library.news_selectors) are in any feed. In iCalendar an all-day
event is written with DATE values (DTEND is the day after the last day, as RFC 5545 says) and
a timed one with its own time zone; an event whose day is not known (only its month or year)
has no calendar entry, because a calendar needs a day. UIDs are the page's translation key,
so the English, French and Spanish files of one event are the same calendar entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sdg87.library import news_selectors as sel
from sdg87.library.pages import DatePrecision, EventPage, Filters, NewsPage, _filters_from

FEED_SIZE = 50
PRODID = "-//SDG 8.7 Knowledge Platform//News and events//EN"


def request_filters(request: HttpRequest) -> Filters:
    return _filters_from(request)


def _lang() -> str:
    return (get_language() or "en")[:2]


class _PageFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"request": request, "filters": request_filters(request), "lang": _lang()}

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_link(self, item: Any) -> str:
        return str(item.url)

    def item_guid(self, item: Any) -> str:
        return f"urn:uuid:{item.translation_key}:{item.locale.language_code}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Any) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Any) -> datetime | None:
        return item.last_published_at

    def item_categories(self, item: Any) -> list[str]:
        return [t.code for t in item.themes.all()]


class NewsFeed(_PageFeed):
    def title(self, obj: dict[str, Any]) -> str:
        return _("News · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("News on ending forced labour, modern slavery, human trafficking and child labour")

    def link(self, obj: dict[str, Any]) -> str:
        index = sel.news_index(locale=obj["lang"])
        return index.url if index is not None else f"/{obj['lang']}/"

    def items(self, obj: dict[str, Any]) -> QuerySet[NewsPage]:
        qs = sel.news_public_queryset(locale=obj["lang"])
        return sel.news_filter(qs, **obj["filters"]).order_by("-date", "-id")[:FEED_SIZE]

    def item_description(self, item: NewsPage) -> str:
        return f"{item.when.label}: {item.summary}" if item.summary else item.when.label


class EventFeed(_PageFeed):
    def title(self, obj: dict[str, Any]) -> str:
        return _("Events · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def link(self, obj: dict[str, Any]) -> str:
        index = sel.event_index(locale=obj["lang"])
        return index.url if index is not None else f"/{obj['lang']}/"

    def items(self, obj: dict[str, Any]) -> QuerySet[EventPage]:
        qs = sel.event_public_queryset(locale=obj["lang"])
        return sel.event_filter(qs, **obj["filters"]).order_by("-start_date", "-id")[:FEED_SIZE]

    def item_description(self, item: EventPage) -> str:
        when = item.when.label + (f" \u2013 {item.until.label}" if item.until else "")
        place = ", ".join(p for p in (item.place, item.country.name if item.country else "") if p)
        text = strip_tags(item.description)
        return " · ".join(part for part in (when, place, text) if part)


# iCalendar


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "sdg87.local"


def event_uid(page: EventPage) -> str:
    return f"event-{page.translation_key}@{_host()}"


def has_calendar_entry(page: EventPage) -> bool:
    return page.date_precision == DatePrecision.DAY


def event_vevent(page: EventPage, *, url: str) -> Event:
    """One VEVENT; all-day events as DATE values, timed ones in their own zone."""
    event = Event()
    event.add("uid", event_uid(page))
    event.add("dtstamp", page.last_published_at or timezone.now())
    event.add("summary", page.title)
    if page.all_day:
        event.add("dtstart", page.start_date)
        event.add("dtend", (page.end_date or page.start_date) + timedelta(days=1))
    else:
        event.add("dtstart", page.local_start)
        if page.local_end is not None:
            event.add("dtend", page.local_end)
    location = ", ".join(
        p for p in (page.place, page.country.name_en if page.country else "") if p
    ) or (page.online_url if page.online else "")
    if location:
        event.add("location", location)
    description = strip_tags(page.description).strip()
    if description:
        event.add("description", description)
    event.add("url", url)
    if page.last_published_at:
        event.add("last-modified", page.last_published_at)
    return event


def calendar_of(pages: list[EventPage], *, request: HttpRequest, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for page in pages:
        if has_calendar_entry(page):
            cal.add_component(event_vevent(page, url=request.build_absolute_uri(page.url)))
    cal.add_missing_timezones()
    return cal.to_ical()
