"""News items and events as search documents: one per English page, with the French or
Spanish title where a translator changed it; scheduled pages visible from their go-live time;
drafts and withdrawn pages (with their translations) not in the index. Pages are written
through the library's news services (slugs `t-news-`, sdg87.library.tests.news_fixtures)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sdg87.library.news_services import page_publish
from sdg87.library.pages import EventPage, NewsPage
from sdg87.library.tests.news_fixtures import (
    NewsWorld,
    days,
    event,
    news,
    news_world_fixture,  # noqa: F401
)
from sdg87.orgs.models import Organisation
from sdg87.search.registry import DocumentData
from sdg87.search.sources.news import SOURCES

pytestmark = pytest.mark.django_db
NEWS, EVENTS = SOURCES


def document(source: Any, page: Any) -> DocumentData | None:
    row = source.get(str(page.pk))
    assert row is not None
    return source.build(row)


def translation_of(page: Any, lang: str) -> Any:
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code=lang)


def test_news_item(news_world: NewsWorld) -> None:
    """A public news item: heading, English path, plain-text summary from the rich body,
    date and year, and its themes, countries, organisations and kind as facets."""
    page = news(
        "one",
        on=date(2024, 2, 29),
        kind="campaign",
        body="<p>Cocoa &amp; <b>child labour</b> in QZN.</p>",
        countries=["QZN"],
        themes=["child_labour"],
        organisation="t-news-org",
    )
    doc = document(NEWS, page)
    assert doc is not None
    assert (doc.kind, doc.object_id, doc.heading) == ("news", str(page.pk), "T news one")
    assert doc.path == "/en/news/t-news-one/"
    assert doc.summary == "Cocoa & child labour in QZN."
    assert (doc.date, doc.year, doc.language) == (date(2024, 2, 29), 2024, "en")
    assert doc.public and doc.visible_from is None and doc.translations == {}
    assert doc.meta == ["Campaign", "T News Organisation", "2024"]
    assert doc.facets == {
        "theme": ["child_labour"],
        "place": ["QZN"],
        "organisation": ["t-news-org"],
        "language": ["en"],
        "resource_type": ["campaign"],
    }
    assert {t.text for t in doc.texts} >= {"T news one", "T-News-land", "T News Organisation"}


def test_translated_page_gives_its_heading(news_world: NewsWorld) -> None:
    """A French translation with its own title adds the French heading (and French to the
    language facet); the untranslated Spanish copy adds nothing."""
    page = news("tr", on=date(2024, 1, 1), summary="An English summary.")
    french = translation_of(page, "fr")
    french.title = "Actualité traduite"
    french.summary = "Un résumé en français."
    page_publish(french)
    doc = document(NEWS, page)
    assert doc is not None
    assert doc.translations == {
        "fr": {"heading": "Actualité traduite", "summary": "Un résumé en français."}
    }
    assert doc.facets["language"] == ["en", "fr"]
    assert ("Actualité traduite", "fr", "title") in {(t.text, t.lang, t.weight) for t in doc.texts}
    # documents are per English original: the translation has none of its own
    assert NEWS.get(str(french.pk)) is None


def test_scheduled_draft_and_withdrawn(news_world: NewsWorld) -> None:
    """A page approved to go live later is visible from then; an unpublished page makes no
    document, even while its French translation is still a live page."""
    scheduled = event("later", on=days(10), country="QZN")
    scheduled.unpublish()
    scheduled.go_live_at = timezone.now() + timedelta(days=2)
    scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    assert not scheduled.live
    doc = document(EVENTS, scheduled)
    assert doc is not None and doc.public and doc.visible_from == scheduled.go_live_at
    withdrawn = news("gone", on=date(2024, 1, 1))
    withdrawn.unpublish()
    assert translation_of(withdrawn, "fr").live
    assert document(NEWS, withdrawn) is None


def test_event(news_world: NewsWorld) -> None:
    """An event: its start date, place and country as text and facts, and "event" as type."""
    page = event(
        "conf",
        on=date(2030, 5, 10),
        end_date=date(2030, 5, 11),
        place="Qzn City",
        country="QZN",
        body="<p>A conference on forced labour.</p>",
        organiser_name="T Organisers",
        themes=["forced_labour"],
    )
    doc = document(EVENTS, page)
    assert doc is not None
    assert doc.path == "/en/events/t-news-conf/"
    assert (doc.date, doc.year) == (date(2030, 5, 10), 2030)
    assert doc.summary == "A conference on forced labour."
    assert doc.meta == ["Qzn City, T-News-land", "T Organisers", "2030"]
    assert doc.facets["resource_type"] == ["event"] and doc.facets["place"] == ["QZN"]
    assert doc.facets["theme"] == ["forced_labour"]
    assert {"Qzn City", "T Organisers"} <= {t.text for t in doc.texts}


def test_watches_map_translations_to_their_original(news_world: NewsWorld) -> None:
    page = news("w", on=date(2024, 1, 1), organisation="t-news-org")
    other = news("w2", on=date(2024, 1, 2), source_organisation="t-news-org")
    watches = dict(NEWS.watches)
    assert watches[NewsPage](page) == [str(page.pk)]
    assert watches[NewsPage](translation_of(page, "es")) == [str(page.pk)]
    org = Organisation.objects.get(slug="t-news-org")
    assert sorted(watches[Organisation](org)) == sorted([str(page.pk), str(other.pk)])
    ev = event("w3", on=date(2030, 1, 1))
    assert dict(EVENTS.watches)[EventPage](translation_of(ev, "fr")) == [str(ev.pk)]


def _build_all(source: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        built = [source.build(row) for row in source.rows()]
    assert any(built)
    return len(queries.captured_queries)


def test_rows_cost_a_fixed_number_of_queries(news_world: NewsWorld) -> None:
    """As many queries for 1 page as for 6 (once the site's root paths are cached)."""
    news("q0", on=date(2024, 1, 1), countries=["QZN"], themes=["child_labour"])
    event("e0", on=date(2030, 1, 1), country="QZN", themes=["child_labour"])
    _build_all(NEWS)  # caches what every page's URL needs (Wagtail's site root paths)
    few_news, few_events = _build_all(NEWS), _build_all(EVENTS)
    for n in range(1, 6):
        news(f"q{n}", on=date(2024, 1, n), countries=["QZN"], themes=["child_labour"])
        event(f"e{n}", on=date(2030, 1, n), country="QZN", themes=["child_labour"])
    assert (_build_all(NEWS), _build_all(EVENTS)) == (few_news, few_events)
