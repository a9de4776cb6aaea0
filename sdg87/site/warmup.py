"""Warm the most visited public pages after each data change, in the background.

Every data change (sdg87.core.cache.data_version_bump) invalidates every cached page, and
rendering all 250 countries in 3 languages costs minutes of CPU; so after a change only the
pages most likely to be asked for first are rendered again, by a django.tasks task, which
also leaves their charts in the chart store (var/charts/). The rule (no page views are
recorded, so it is by importance, not by traffic):

1. the home page and the global estimates;
2. the Alliance 8.7 Pathfinder countries' profiles;
3. the `SDG87_PAGE_WARMUP_TOP` (20) countries holding the most series;
4. the page of every public series that belongs to an indicator;

each in English, French and Spanish. A task enqueued for a data version that is no longer
current does nothing (a newer one follows), so a load that bumps the version many times
warms once.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.db.transaction import on_commit
from django.urls import reverse
from django.utils import translation

from sdg87.alliance.pathfinder import pathfinder_countries
from sdg87.core.cache import data_version
from sdg87.core.charts.render import charts_drawn_inline
from sdg87.geo.models import GeographyKind
from sdg87.indicators import selectors as stats

logger = logging.getLogger(__name__)


def top_countries(*, limit: int) -> list[str]:
    """ISO3 codes of the `limit` countries with the most series (ties: by code)."""
    if limit <= 0:
        return []
    rows = (
        stats.observation_list()
        .filter(geography__kind=GeographyKind.COUNTRY)
        .exclude(geography__iso3="")
        .order_by()
        .values_list("geography__iso3")
        .annotate(n=Count("series_id", distinct=True))
    )
    ranked = sorted(((-n, iso3) for iso3, n in rows if iso3), key=lambda item: item)
    return [iso3 for _n, iso3 in ranked[:limit]]


def warmup_paths(*, top: int) -> list[str]:
    """The addresses to render after a data change, in the order of the rule above."""
    countries = sorted(pathfinder_countries())
    countries += [iso3 for iso3 in top_countries(limit=top) if iso3 not in countries]
    series = [s.code for s in stats.series_list() if s.indicator_id is not None]
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("site:home"))
            paths.append(reverse("site:global-estimates"))
            paths += [reverse("site:country-detail", args=[iso3]) for iso3 in countries]
            paths += [reverse("site:indicator-detail", args=[c]) for c in series]
    return paths


def pages_warm(
    *, version: int, top: int | None = None, paths: list[str] | None = None
) -> dict[str, Any]:
    """Render the warm-up pages (or `paths`) for data version `version` through the whole
    request stack, as an anonymous visitor of SITE_URL's host, so they land under the keys
    visitors use. Nothing is done when the version is no longer current."""
    if version != data_version():
        return {"skipped": True, "version": version}
    from django.test import Client

    site = urlsplit(str(getattr(settings, "SITE_URL", "")) or "http://127.0.0.1")
    client = Client(HTTP_HOST=site.netloc or "127.0.0.1")
    secure = site.scheme == "https"
    limit = settings.SDG87_PAGE_WARMUP_TOP if top is None else top
    rendered, failed = 0, []
    started = time.perf_counter()
    for path in paths if paths is not None else warmup_paths(top=limit):
        if version != data_version():  # a newer change: its own task takes over
            break
        with charts_drawn_inline():  # the warm-up is there to fill the chart store
            status = client.get(path, secure=secure).status_code
        if status == 200:
            rendered += 1
        else:
            failed.append((path, status))
    seconds = time.perf_counter() - started
    logger.info("warmed %s pages for data version %s in %.1f s", rendered, version, seconds)
    return {"version": version, "rendered": rendered, "failed": failed, "seconds": seconds}


def pages_warm_enqueue(*, version: int) -> None:
    """Enqueue the warm-up once the current transaction commits (if SDG87_PAGE_WARMUP)."""
    if not getattr(settings, "SDG87_PAGE_WARMUP", False):
        return
    from sdg87.site.tasks import pages_warm_task

    on_commit(lambda: pages_warm_task.enqueue(version))


def on_data_version_changed(sender: object, *, version: int, **kwargs: Any) -> None:
    pages_warm_enqueue(version=version)
