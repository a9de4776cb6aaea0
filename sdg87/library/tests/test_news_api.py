"""/api/v1/news and /api/v1/events: the pages' filters, keyset pagination, CSV, errors."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from sdg87.library.tests.news_fixtures import (
    URLS,
    NewsWorld,
    days,
    event,
    news,
    news_world_fixture,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def test_news_filters_and_fields(news_world: NewsWorld, client: Any) -> None:
    news("y", on=date(2002, 1, 1), date_precision="year", countries=["QZN"], summary="S")
    news("t", on=date(2024, 5, 6), countries=["QZN"], themes=["child_labour"])
    news("o", on=date(2024, 5, 7), organisation="t-news-org")
    body = client.get("/api/v1/news", {"country": "qzn"}).json()
    assert [r["slug"] for r in body["results"]] == ["t-news-y", "t-news-t"]
    year = body["results"][0]
    assert (year["date"], year["date_precision"], year["summary"]) == ("2002", "year", "S")
    assert year["countries"] == ["QZN"] and year["language"] == "en"
    assert year["url"] == "http://testserver/en/news/t-news-y/"
    themed = client.get("/api/v1/news", {"country": "QZN", "theme": "child_labour"}).json()
    assert [r["slug"] for r in themed["results"]] == ["t-news-t"]
    org = client.get("/api/v1/news", {"organisation": "t-news-org"}).json()
    assert [(r["slug"], r["organisation"]["slug"]) for r in org["results"]] == [
        ("t-news-o", "t-news-org")
    ]
    french = client.get("/api/v1/news", {"organisation": "t-news-org", "lang": "fr"}).json()
    assert french["results"][0]["url"] == "http://testserver/fr/news/t-news-o/"
    assert french["results"][0]["language"] == "fr"


def test_keyset_pages_follow_next(news_world: NewsWorld, client: Any) -> None:
    for n in range(5):
        news(f"k{n}", on=date(2024, 1, n + 1), countries=["QZN"])
    seen: list[str] = []
    url: str | None = "/api/v1/news?country=QZN&limit=2"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [r["slug"] for r in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == [f"t-news-k{n}" for n in range(5)]
    bad = client.get("/api/v1/news", {"cursor": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_cursor"


def test_events_upcoming_past_and_range(news_world: NewsWorld, client: Any) -> None:
    event("past", on=days(-30), country="QZN")
    event("soon", on=days(30), country="QZN", place="Lima")
    event("later", on=days(300), country="QZN")

    def slugs(**query: Any) -> list[str]:
        response = client.get("/api/v1/events", {"country": "QZN", **query})
        assert response.status_code == 200, response.content
        return [r["slug"] for r in response.json()["results"]]

    assert slugs(when="upcoming") == ["t-news-soon", "t-news-later"]
    assert slugs(when="past") == ["t-news-past"]
    assert slugs(**{"from": days(0).isoformat(), "to": days(100).isoformat()}) == ["t-news-soon"]
    soon = client.get("/api/v1/events", {"country": "QZN", "when": "upcoming"}).json()["results"]
    assert soon[0]["start"] == days(30).isoformat() and soon[0]["all_day"] is True
    assert soon[0]["ics_url"] == "http://testserver/en/events/t-news-soon/event.ics"
    bad = client.get("/api/v1/events", {"from": "2030-01-02", "to": "2030-01-01"})
    assert bad.status_code == 400
    assert bad.json() == {
        "error": {
            "code": "invalid_range",
            "message": "from must not be after to.",
            "parameter": "from",
        }
    }
    wrong = client.get("/api/v1/events", {"when": "someday"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_parameter"


def test_csv(news_world: NewsWorld, client: Any) -> None:
    event("csv", on=date(2031, 2, 3), country="QZN", title="=HYPERLINK(1)", body="<p>Hi</p>")
    response = client.get("/api/v1/events", {"country": "QZN", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["slug"] == "t-news-csv"
    assert rows[0]["title"] == "'=HYPERLINK(1)"  # inert in spreadsheets
    assert rows[0]["start"] == "2031-02-03" and rows[0]["country"] == "QZN"
    assert rows[0]["description"] == "Hi"
