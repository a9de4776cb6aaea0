"""The warm-up after a data change (sdg87.site.warmup): which pages, enqueued after each
bump, skipped when outdated, and the pages it renders served from the cache afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.tasks import default_task_backend
from django.test.utils import CaptureQueriesContext

from sdg87.alliance.pathfinder import pathfinder_countries
from sdg87.core.cache import data_version, data_version_bump
from sdg87.site.warmup import pages_warm, warmup_paths

pytestmark = pytest.mark.django_db


def test_paths_follow_the_documented_rule(bundled_data):
    """Home and global estimates, every Pathfinder country, the top countries and the
    indicator series' pages, in each of the three languages."""
    paths = warmup_paths(top=3)
    for lang in ("en", "fr", "es"):
        assert f"/{lang}/" in paths and f"/{lang}/global-estimates/" in paths
        assert f"/{lang}/indicators/SL_TLF_CHLDEA/" in paths
        for iso3 in pathfinder_countries():
            assert f"/{lang}/countries/{iso3}/" in paths
    countries = {p for p in paths if p.startswith("/en/countries/")}
    assert len(countries) <= len(pathfinder_countries()) + 3
    assert len(paths) == len(set(paths))


def test_each_bump_enqueues_one_warm_up(settings, django_capture_on_commit_callbacks):
    """With SDG87_PAGE_WARMUP on, a data-version bump enqueues the task for the new version."""
    settings.SDG87_PAGE_WARMUP = True
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        data_version_bump()
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert [r.task.name for r in results] == ["pages_warm_task"]
    assert results[0].args == [data_version()]


def test_an_outdated_version_is_skipped_and_a_current_one_leaves_pages_cached(client, settings):
    """A task for an old version does nothing; for the current one, the page it rendered is
    then served from the cache (under SITE_URL's host) without a query."""
    settings.SITE_URL = "http://warm.example"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "warm.example"]
    assert pages_warm(version=data_version() - 1, paths=["/en/indicators/"])["skipped"]
    done = pages_warm(version=data_version(), paths=["/en/indicators/"])
    assert done["rendered"] == 1 and done["failed"] == []
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/en/indicators/", HTTP_HOST="warm.example").status_code == 200
    assert len(captured) == 0


def test_the_warm_up_draws_charts_where_pages_would_not_wait(
    bundled_data, client, settings, tmp_path
):
    """Pages show a chart not yet drawn as an image (SDG87_CHART_DEFER); the warm-up, which is
    there to fill the chart store, draws it into the page and the store."""
    from django.core.cache import cache

    from sdg87.core.charts.render import memory_clear

    settings.SDG87_CHART_DEFER = True
    settings.SDG87_CHART_DIR = str(tmp_path)
    settings.SITE_URL = "http://warm.example"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "warm.example"]
    cache.clear()
    memory_clear()
    path = "/en/indicators/SL_TLF_CHLDEA/"
    done = pages_warm(version=data_version(), paths=[path])
    assert done["rendered"] == 1 and done["failed"] == []
    assert len(list(tmp_path.glob("*.svg"))) == 1
    html = client.get(path, HTTP_HOST="warm.example").content.decode()
    assert '<div class="chart-svg"><svg' in html
    assert '<div class="chart-svg"><img' not in html
    cache.clear()
    memory_clear()
    (svg,) = tmp_path.glob("*.svg")
    svg.unlink()
    html = client.get(path).content.decode()
    assert f'<div class="chart-svg"><img src="/charts/{svg.stem}.svg"' in html
