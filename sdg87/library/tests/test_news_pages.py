"""News: the list (newest first, filters, paging), the page (dates, source, translation
fallback) and the Atom feeds parsed back with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from sdg87.library.tests.news_fixtures import (
    URLS,
    NewsWorld,
    event,
    news,
    news_world_fixture,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]
ATOM = "{http://www.w3.org/2005/Atom}"


def _positions(html: str, *titles: str) -> list[int]:
    return [html.index(t) for t in titles]


def test_news_newest_first_and_filtered(news_world: NewsWorld, client: Any) -> None:
    news("old", on=date(2001, 1, 1), date_precision="year", countries=["QZN"])
    news("mid", on=date(2020, 7, 1), date_precision="month", countries=["QZN"], kind="campaign")
    news("new", on=date(2024, 2, 29), countries=["QZN"], themes=["forced_labour"])
    news("org", on=date(2023, 1, 5), organisation="t-news-org")
    html = client.get("/en/news/", {"country": "QZN"}).content.decode()
    a, b, c = _positions(html, "T news new", "T news mid", "T news old")
    assert a < b < c
    assert "T news org" not in html
    assert '<time datetime="2020-07">July 2020</time>' in html
    assert '<time datetime="2001">2001</time>' in html
    assert "Campaign" in html
    html = client.get("/en/news/", {"organisation": "t-news-org"}).content.decode()
    assert "T news org" in html and "T news new" not in html
    html = client.get("/en/news/", {"theme": "forced_labour", "country": "QZN"}).content.decode()
    assert "T news new" in html and "T news mid" not in html


def test_source_on_the_organisations_domain_is_its_page(news_world: NewsWorld, client: Any) -> None:
    news(
        "own",
        on=date(2024, 1, 1),
        source_url="https://www.t-news-org.example/news/1",
        source_organisation="t-news-org",
        organisation="t-news-org",
    )
    news("elsewhere", on=date(2024, 1, 1), source_url="https://mirror.example/copy")
    own = client.get("/en/news/t-news-own/").content.decode()
    assert ">Source: T News Organisation</a>" in own
    other = client.get("/en/news/t-news-elsewhere/").content.decode()
    assert ">reported by mirror.example</a>" in other and "Source:" not in other
    assert 'rel="nofollow noopener"' in other


def test_translated_pages_fall_back_to_english_marked(news_world: NewsWorld, client: Any) -> None:
    news("fall", on=date(2024, 1, 1), summary="An English summary.")
    html = client.get("/es/news/t-news-fall/").content.decode()
    assert '<h1 lang="en">T news fall</h1>' in html
    assert '<p class="lede" lang="en">An English summary.</p>' in html
    listing = client.get("/es/news/").content.decode()
    assert '<a href="/es/news/t-news-fall/" lang="en">T news fall</a>' in listing
    english = client.get("/en/news/t-news-fall/").content.decode()
    assert "<h1>T news fall</h1>" in english


def test_rich_text_body_is_sanitised(news_world: NewsWorld, client: Any) -> None:
    news("xss", on=date(2024, 1, 1), body="<p>Hi<script>alert(1)</script></p>")
    html = client.get("/en/news/t-news-xss/").content.decode()
    assert "<script>alert(1)" not in html


def _entries(body: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    out = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None
        out.append((entry.findtext(f"{ATOM}title") or "", link.get("href") or ""))
    return out


def test_atom_feeds_filtered(news_world: NewsWorld, client: Any) -> None:
    news("a1", on=date(2024, 3, 1), countries=["QZN"], themes=["child_labour"])
    news("a2", on=date(2024, 4, 1), countries=["QZN"])
    event("e1", on=date(2031, 1, 1), country="QZN", organisation="t-news-org")
    response = client.get("/en/news/feed.atom", {"country": "QZN"})
    assert response["Content-Type"].startswith("application/atom+xml")
    assert _entries(response.content) == [
        ("T news a2", "http://testserver/en/news/t-news-a2/"),
        ("T news a1", "http://testserver/en/news/t-news-a1/"),
    ]
    themed = client.get("/en/news/feed.atom", {"country": "QZN", "theme": "child_labour"})
    assert [t for t, _ in _entries(themed.content)] == ["T news a1"]
    french = client.get("/fr/news/feed.atom", {"country": "QZN"})
    assert next(link for _, link in _entries(french.content)) == (
        "http://testserver/fr/news/t-news-a2/"
    )
    events = client.get("/en/events/feed.atom", {"organisation": "t-news-org"})
    assert _entries(events.content) == [("T event e1", "http://testserver/en/events/t-news-e1/")]
