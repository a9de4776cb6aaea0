"""Test news items and events (slugs start with `t-news-`), written through the services,
about a test country (QZN) and a test organisation (t-news-org) that no bundled row uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import Page

from sdg87.geo.models import Geography, GeographyKind
from sdg87.library.news_services import ItemSpec, NewsTree, item_upsert, news_tree_ensure
from sdg87.orgs.models import Organisation, OrganisationType

URLS = "sdg87.library.tests.news_test_urls"


def news(slug: str, *, on: date, **kw: Any) -> Page:
    spec = ItemSpec(
        slug=f"t-news-{slug}",
        title=kw.pop("title", f"T news {slug}"),
        kind=kw.pop("kind", "news"),
        date=on,
        **kw,
    )
    page, _changed = item_upsert(spec=spec)
    return page


def event(slug: str, *, on: date, **kw: Any) -> Page:
    spec = ItemSpec(
        slug=f"t-news-{slug}", title=kw.pop("title", f"T event {slug}"), kind="event", date=on, **kw
    )
    page, _changed = item_upsert(spec=spec)
    return page


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


@dataclass
class NewsWorld:
    tree: NewsTree
    country: Geography
    org: Organisation


@pytest.fixture(name="news_world")
def news_world_fixture(db: None) -> NewsWorld:
    country = Geography.objects.create(
        code="QZN", iso3="QZN", kind=GeographyKind.COUNTRY, name_en="T-News-land"
    )
    org = Organisation.objects.create(
        slug="t-news-org",
        name="T News Organisation",
        type=OrganisationType.NGO,
        website="https://t-news-org.example/",
    )
    return NewsWorld(tree=news_tree_ensure(), country=country, org=org)
