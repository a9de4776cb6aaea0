"""Test news items and events (slugs start with `t-news-`), written through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from wagtail.models import Page

from sdg87.library.news_services import ItemSpec, NewsTree, item_upsert, news_tree_ensure


def tree() -> NewsTree:
    return news_tree_ensure()


def news(slug: str, *, on: date, the_tree: NewsTree | None = None, **kw: Any) -> Page:
    spec = ItemSpec(
        slug=f"t-news-{slug}",
        title=kw.pop("title", f"T news {slug}"),
        kind=kw.pop("kind", "news"),
        date=on,
        **kw,
    )
    page, _changed = item_upsert(spec=spec, tree=the_tree)
    return page


def event(slug: str, *, on: date, the_tree: NewsTree | None = None, **kw: Any) -> Page:
    spec = ItemSpec(
        slug=f"t-news-{slug}", title=kw.pop("title", f"T event {slug}"), kind="event", date=on, **kw
    )
    page, _changed = item_upsert(spec=spec, tree=the_tree)
    return page


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)
