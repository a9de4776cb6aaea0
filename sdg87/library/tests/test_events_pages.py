"""Events: the upcoming/past split at an explicit time, the pages' lists and filters, and
drafts and scheduled pages that never show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from sdg87.library import news_selectors as sel
from sdg87.library.pages import EventPage
from sdg87.library.tests.news_fixtures import (
    URLS,
    NewsWorld,
    days,
    event,
    news_world_fixture,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def _slugs(qs: Any) -> list[str]:
    return [p.slug for p in qs if p.slug.startswith("t-news-")]


def test_upcoming_and_past_at_an_explicit_now(news_world: NewsWorld) -> None:
    """At 2030-05-12 12:00 UTC: an all-day event ending that day is still upcoming; a timed
    event that ended the day before in Zurich is past; a June 2030 event (day unknown) is
    upcoming; one in 2029 (year only) is past."""
    event("a", on=date(2030, 5, 10), end_date=date(2030, 5, 12))
    event(
        "b",
        on=date(2030, 5, 11),
        starts_at=datetime(2030, 5, 11, 7, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 11, 15, 0, tzinfo=UTC),
        time_zone="Europe/Zurich",
    )
    event("c", on=date(2030, 6, 1), date_precision="month")
    event("d", on=date(2029, 1, 1), date_precision="year")
    now = datetime(2030, 5, 12, 12, 0, tzinfo=UTC)
    qs = sel.event_public_queryset(locale="en")
    assert _slugs(sel.events_upcoming(qs, now=now)) == ["t-news-a", "t-news-c"]
    assert _slugs(sel.events_past(qs, now=now)) == ["t-news-b", "t-news-d"]
    # a day later the all-day event is over too
    later = now + timedelta(days=1)
    assert _slugs(sel.events_upcoming(qs, now=later)) == ["t-news-c"]


def test_times_are_stored_aware_and_shown_in_the_events_zone(
    news_world: NewsWorld, client: Any
) -> None:
    page = event(
        "timed",
        on=date(2030, 5, 11),
        starts_at=datetime(2030, 5, 11, 7, 0, tzinfo=UTC),
        ends_at=datetime(2030, 5, 11, 15, 0, tzinfo=UTC),
        time_zone="Europe/Zurich",
    )
    assert page.start_date == date(2030, 5, 11) and page.last_day == date(2030, 5, 11)
    html = client.get("/en/events/t-news-timed/").content.decode()
    assert '<time datetime="2030-05-11T09:00+02:00">' in html
    assert "(Europe/Zurich)" in html


def test_a_time_needs_a_zone(news_world: NewsWorld) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        event("nozone", on=date(2030, 5, 11), starts_at=datetime(2030, 5, 11, 7, tzinfo=UTC))
    assert "time_zone" in err.value.message_dict


def test_event_pages_list_upcoming_then_past(news_world: NewsWorld, client: Any) -> None:
    event("soon", on=days(10), country="QZN")
    event("gone", on=days(-10), country="QZN")
    upcoming = client.get("/en/events/", {"country": "QZN"}).content.decode()
    assert "T event soon" in upcoming and "T event gone" not in upcoming
    past = client.get("/en/events/", {"country": "QZN", "when": "past"}).content.decode()
    assert "T event gone" in past and "T event soon" not in past
    assert 'aria-current="page">Past<' in past


def test_filters_by_theme_country_and_organisation(news_world: NewsWorld, client: Any) -> None:
    event("cl", on=days(5), country="QZN", themes=["child_labour"])
    event("ht", on=days(6), themes=["human_trafficking"], organisation="t-news-org")
    event("none", on=days(7))

    def listed(**query: str) -> set[str]:
        html = client.get("/en/events/", query).content.decode()
        return {s for s in ("T event cl", "T event ht", "T event none") if s in html}

    assert listed(country="QZN") == {"T event cl"}
    assert listed(organisation="t-news-org") == {"T event ht"}
    assert listed(theme="human_trafficking", organisation="t-news-org") == {"T event ht"}
    # the filter form offers the test country by name
    assert '<option value="QZN">T-News-land</option>' in client.get("/en/events/").content.decode()


def test_drafts_and_scheduled_events_never_show(news_world: NewsWorld, client: Any) -> None:
    live = event("live", on=days(3), country="QZN")
    draft = event("draft", on=days(3), country="QZN")
    draft.unpublish()
    scheduled = event("later", on=days(3), country="QZN")
    scheduled.unpublish()
    scheduled.go_live_at = timezone.now() + timedelta(days=2)
    revision = scheduled.save_revision()
    revision.publish()  # scheduled: approved to go live later, not live now
    scheduled.refresh_from_db()
    assert live.live and not draft.live and not scheduled.live
    html = client.get("/en/events/", {"country": "QZN"}).content.decode()
    assert "T event live" in html
    assert "T event draft" not in html and "T event later" not in html
    for slug in ("t-news-draft", "t-news-later"):
        assert client.get(f"/en/events/{slug}/").status_code == 404
        # its French translation is still a live page, but withdrawn with its original
        assert client.get(f"/fr/events/{slug}/").status_code == 404
        assert client.get(f"/en/events/{slug}/event.ics").status_code == 404
        assert client.get(f"/fr/events/{slug}/event.ics").status_code == 404
    ics = client.get("/en/events/upcoming.ics").content.decode()
    assert "T event live" in ics and "T event draft" not in ics and "T event later" not in ics
    feed = client.get("/en/events/feed.atom").content.decode()
    assert "T event live" in feed and "T event draft" not in feed
    api = client.get("/api/v1/events", {"country": "QZN"}).json()
    assert [r["slug"] for r in api["results"]] == ["t-news-live"]
    assert EventPage.objects.filter(slug="t-news-draft").count() == 3  # it exists, unpublished


def test_paging_has_no_cap(news_world: NewsWorld, client: Any) -> None:
    for n in range(23):
        event(f"p{n:02d}", on=days(30 + n), country="QZN")
    first = client.get("/en/events/", {"country": "QZN"}).content.decode()
    assert "23 upcoming events" in first and "Page 1 of 2" in first
    assert 'href="?country=QZN&amp;page=2"' in first
    second = client.get("/en/events/", {"country": "QZN", "page": "2"}).content.decode()
    assert "T event p22" in second and "T event p00" not in second
