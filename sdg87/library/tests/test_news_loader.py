"""The bundled news_events.csv as Wagtail pages: 30 English pages, French and Spanish
translations, idempotent re-runs, dates and sources shown as honestly as the table gives them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page, Revision

from sdg87.core.ingest import ParseError
from sdg87.library.news_loaders import (
    load_news_events,
    parse_news_events,
    parse_partial_date,
    pick_source,
    themes_of,
)
from sdg87.library.pages import EventPage, NewsPage

URLS = "sdg87.library.tests.news_test_urls"
CSV = Path(settings.SDG87_DATA_DIR) / "library" / "news_events.csv"


def test_partial_dates_keep_their_precision() -> None:
    """A year stays a year and a month a month; a bad date names its row and column."""
    assert parse_partial_date("2002", row=2, column="date") == (date(2002, 1, 1), "year")
    assert parse_partial_date("2017-06", row=2, column="date") == (date(2017, 6, 1), "month")
    assert parse_partial_date("2010-05-10", row=2, column="date") == (date(2010, 5, 10), "day")
    with pytest.raises(ParseError) as err:
        parse_partial_date("2017-13", row=7, column="end_date")
    assert (err.value.row, err.value.column) == (7, "end_date")


def test_source_is_the_publishers_page_only_on_its_own_domain() -> None:
    domains = {"ilo.org": "ilo", "alliance87.org": "a87"}
    assert pick_source(["https://www.ilo.org/x"], domains) == ("https://www.ilo.org/x", "ilo")
    # a report elsewhere comes first, the publisher's page second: the publisher's page wins
    assert pick_source(["https://news.example/y", "https://ilo.org/z"], domains) == (
        "https://ilo.org/z",
        "ilo",
    )
    assert pick_source(["https://notilo.org/y"], domains) == ("https://notilo.org/y", "")


def test_themes_from_words() -> None:
    assert themes_of("Release of the 2016 global estimates of child labour") == [
        "child_labour",
        "measurement",
    ]
    assert themes_of("Alliance 8.7 launched") == []


def test_parser_reads_the_30_rows() -> None:
    specs = parse_news_events(CSV.read_text("utf-8"), org_domains={"ilo.org": "ilo"})
    assert len(specs) == 30
    kinds = {s.kind for s in specs}
    assert kinds == {"event", "news", "campaign"}
    assert sum(s.kind == "event" for s in specs) == 17
    by_slug = {s.slug: s for s in specs}
    assert (by_slug["world-day-2002"].date, by_slug["world-day-2002"].date_precision) == (
        date(2002, 1, 1),
        "year",
    )
    assert by_slug["gcg7-2020"].online is True and by_slug["gcg7-2020"].place == ""
    assert by_slug["hague-2010"].source_organisation == "ilo"
    assert by_slug["hague-2010"].end_date == date(2010, 5, 11)
    assert by_slug["hague-2010"].country == "NLD"


@pytest.mark.django_db
def test_loader_is_idempotent_and_translates(bundled_data: None) -> None:
    """30 live English pages keyed by event_id, each with a French and a Spanish translation
    (same translation_key); a second run adds no page and no revision."""
    slugs = [s.slug for s in parse_news_events(CSV.read_text("utf-8"), org_domains={})]
    assert load_news_events(Path(settings.SDG87_DATA_DIR)) == 30
    pages = Page.objects.filter(slug__in=slugs, locale__language_code="en", live=True)
    assert pages.count() == 30
    assert NewsPage.objects.filter(slug__in=slugs, locale__language_code="en").count() == 13
    assert EventPage.objects.filter(slug__in=slugs, locale__language_code="en").count() == 17
    for lang in ("fr", "es"):
        translated = Page.objects.filter(slug__in=slugs, locale__language_code=lang, live=True)
        assert translated.count() == 30
        assert set(translated.values_list("translation_key", flat=True)) == set(
            pages.values_list("translation_key", flat=True)
        )
    page_count, revisions = Page.objects.count(), Revision.objects.count()
    assert load_news_events(Path(settings.SDG87_DATA_DIR)) == 30
    assert (Page.objects.count(), Revision.objects.count()) == (page_count, revisions)


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_pages_show_dates_and_sources_honestly(bundled_data: None, client) -> None:
    load_news_events(Path(settings.SDG87_DATA_DIR))
    html = client.get("/en/news/world-day-2002/").content.decode()
    assert '<time datetime="2002">2002</time>' in html
    assert "January" not in html  # no invented month or day
    html = client.get("/en/events/sc-ag-launch-2017/").content.decode()
    assert '<time datetime="2017-06">June 2017</time>' in html
    assert "no calendar file is offered" in html
    html = client.get("/en/events/hague-2010/").content.decode()
    assert '<time datetime="2010-05-10">' in html and '<time datetime="2010-05-11">' in html
    assert "Source: International Labour Organization" in html
    assert "/en/events/hague-2010/event.ics" in html
    html = client.get("/en/news/tvpra-2024/").content.decode()
    assert "reported by thompsonhinesmartrade.com" in html
    assert "Source:" not in html


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_french_page_falls_back_to_english_marked_lang_en(bundled_data: None, client) -> None:
    load_news_events(Path(settings.SDG87_DATA_DIR))
    response = client.get("/fr/events/hague-2010/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="en">The Hague Global Child Labour Conference</h1>' in html
    assert '<html lang="fr">' in html
    # the Django home view still serves the language's home page
    home = client.get("/fr/")
    assert home.status_code == 200
    assert home.resolver_match.func.__module__.startswith("sdg87.site")
