"""iCalendar: one file per event and the feed of upcoming events, parsed back with the
icalendar package."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sdg87.library.tests.news_fixtures import (
    URLS,
    NewsWorld,
    days,
    event,
    news_world_fixture,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def _events(body: bytes) -> list[Any]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_an_all_day_event_has_date_values(news_world: NewsWorld, client: Any) -> None:
    """DTSTART is the first day as a DATE, DTEND the day after the last (exclusive), no time
    is invented; UID is the page's translation key, the same in every language."""
    page = event(
        "conf", on=date(2031, 3, 4), end_date=date(2031, 3, 6), place="Rabat", country="QZN"
    )
    response = client.get("/en/events/t-news-conf/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (vevent,) = _events(response.content)
    assert vevent["DTSTART"].dt == date(2031, 3, 4)
    assert not isinstance(vevent["DTSTART"].dt, datetime)
    assert vevent["DTEND"].dt == date(2031, 3, 7)
    assert b"DTSTART;VALUE=DATE:20310304" in response.content
    assert str(vevent["UID"]) == f"event-{page.translation_key}@127.0.0.1"
    assert vevent["DTSTAMP"].dt == page.last_published_at.replace(microsecond=0)
    assert str(vevent["SUMMARY"]) == "T event conf"
    assert str(vevent["LOCATION"]) == "Rabat, T-News-land"
    assert str(vevent["URL"]) == "http://testserver/en/events/t-news-conf/"
    (french,) = _events(client.get("/fr/events/t-news-conf/event.ics").content)
    assert french["UID"] == vevent["UID"]
    assert str(french["URL"]) == "http://testserver/fr/events/t-news-conf/"


def test_a_timed_event_keeps_its_zone(news_world: NewsWorld, client: Any) -> None:
    event(
        "call",
        on=date(2031, 3, 4),
        starts_at=datetime(2031, 3, 4, 13, 0, tzinfo=UTC),
        ends_at=datetime(2031, 3, 4, 14, 30, tzinfo=UTC),
        time_zone="America/Lima",
    )
    body = client.get("/en/events/t-news-call/event.ics").content
    (vevent,) = _events(body)
    assert vevent["DTSTART"].dt == datetime(2031, 3, 4, 8, 0, tzinfo=ZoneInfo("America/Lima"))
    assert vevent["DTEND"].dt - vevent["DTSTART"].dt == timedelta(minutes=90)
    assert b"DTSTART;TZID=America/Lima:20310304T080000" in body
    assert b"BEGIN:VTIMEZONE" in body


def test_an_event_without_a_known_day_has_no_calendar_file(
    news_world: NewsWorld, client: Any
) -> None:
    event("month", on=date(2031, 6, 1), date_precision="month")
    assert client.get("/en/events/t-news-month/event.ics").status_code == 404


def test_upcoming_feed_holds_upcoming_events_only(news_world: NewsWorld, client: Any) -> None:
    event("next", on=days(20), country="QZN")
    event("today", on=days(0), country="QZN")
    event("over", on=days(-20), country="QZN")
    event("vague", on=days(40).replace(day=1), date_precision="month", country="QZN")
    response = client.get("/en/events/upcoming.ics", {"country": "QZN"})
    assert response.status_code == 200
    found = {str(v["SUMMARY"]): v["DTSTART"].dt for v in _events(response.content)}
    assert found == {"T event today": days(0), "T event next": days(20)}
