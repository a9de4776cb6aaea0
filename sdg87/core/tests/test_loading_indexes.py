"""Index updates while a load step runs (sdg87.core.loading.index_updates_batched): one task
for the step instead of one per saved object, leaving the same reference-index and search-index
rows as the same pages saved outside a load; pages written in a step are served, editable,
with a live revision, like any page published through the service."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.test import Client
from django_tasks.signals import task_enqueued as backport_task_enqueued
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from wagtail.models import Locale, Page, ReferenceIndex

from sdg87.core.loading import LoadStep, run_step
from sdg87.library.news_services import ItemSpec, item_upsert
from sdg87.library.pages import NewsPage
from sdg87.library.tests.news_fixtures import URLS, NewsWorld, news_world_fixture

__all__ = ["news_world_fixture"]

pytestmark = pytest.mark.django_db


def _spec(slug: str, world: NewsWorld) -> ItemSpec:
    return ItemSpec(
        slug=slug,
        title="T index sameness: forced labour in T-News-land",
        kind="news",
        date=date(2020, 1, 2),
        summary="A report on forced labour and child labour in T-News-land.",
        countries=[world.country.iso3 or ""],
        themes=["forced_labour"],
        organisation=world.org.slug,
        source_url="https://t-news-org.example/report",
        source_organisation=world.org.slug,
    )


def _in_step(tmp_path: Path, run: Callable[[], Any]) -> None:
    def step_run(data_dir: Path) -> int:
        run()
        return 1

    run_step(LoadStep(key="t.index", label="t", files=(), run=step_run), data_dir=tmp_path)


def _references(page: Page) -> list[tuple[Any, ...]]:
    rows = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
    )
    return sorted(rows.values_list("to_content_type_id", "to_object_id", "model_path"))


def _search_entry(page: Page) -> tuple[Any, ...]:
    entry = apps.get_model("wagtailsearch", "IndexEntry")
    rows = list(
        entry.objects.filter(object_id=str(page.pk)).values_list(
            "content_type_id", "title", "body", "autocomplete"
        )
    )
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def enqueued() -> Iterator[Counter[str]]:
    """Tasks enqueued, by name (Wagtail's and modelsearch's tasks use the django_tasks
    backport; the platform's use django.tasks)."""
    from django.tasks.signals import task_enqueued

    counts: Counter[str] = Counter()

    def count(sender: Any, task_result: Any, **kwargs: Any) -> None:
        counts[task_result.task.name] += 1

    task_enqueued.connect(count, weak=False, dispatch_uid="t-count")
    backport_task_enqueued.connect(count, weak=False, dispatch_uid="t-count-backport")
    yield counts
    task_enqueued.disconnect(dispatch_uid="t-count")
    backport_task_enqueued.disconnect(dispatch_uid="t-count-backport")


def test_a_step_indexes_its_pages_like_saves_outside_a_load(
    news_world: NewsWorld, tmp_path: Path, enqueued: Counter[str]
) -> None:
    outside, _changed = item_upsert(spec=_spec("t-news-index-outside", news_world))
    per_save = dict(enqueued)
    assert per_save["update_reference_index_task"] > 3  # one per save of a page or revision
    assert per_save["insert_or_update_object_task"] > 3
    enqueued.clear()

    _in_step(tmp_path, lambda: item_upsert(spec=_spec("t-news-index-loaded", news_world)))
    assert enqueued["loaded_objects_index"] == 1
    assert enqueued["update_reference_index_task"] == 0
    assert enqueued["insert_or_update_object_task"] == 0

    loaded = NewsPage.objects.get(slug="t-news-index-loaded", locale__language_code="en")
    outside = NewsPage.objects.get(pk=outside.pk)
    assert _references(outside)  # the organisations, country and themes it links to
    assert _references(loaded) == _references(outside)
    assert _search_entry(loaded) == _search_entry(outside)
    for lang in ("fr", "es"):
        locale = Locale.objects.get(language_code=lang)
        pair = [page.get_translation(locale) for page in (loaded, outside)]
        assert _search_entry(pair[0]) == _search_entry(pair[1])
        assert _references(pair[0]) == _references(pair[1])


@pytest.mark.urls(URLS)
def test_a_page_written_in_a_step_is_published_served_and_editable(
    news_world: NewsWorld, tmp_path: Path
) -> None:
    _in_step(tmp_path, lambda: item_upsert(spec=_spec("t-news-index-served", news_world)))
    page = NewsPage.objects.get(slug="t-news-index-served", locale__language_code="en")
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision is not None and page.latest_revision == page.live_revision
    assert page.live_revision.as_object().title == page.title
    assert Client().get(page.url).status_code == 200
    admin = get_user_model().objects.create_superuser("t-index-admin", "t@example.org", "x")
    client = Client()
    client.force_login(admin)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_search_receivers_come_back_after_a_failed_step(tmp_path: Path) -> None:
    def boom() -> None:
        raise RuntimeError("t")

    with pytest.raises(RuntimeError):
        _in_step(tmp_path, boom)
    sync_receivers, _async_receivers = post_save._live_receivers(NewsPage)
    assert search_on_save in sync_receivers


def test_one_object_failing_to_index_leaves_the_others_indexed(news_world: NewsWorld) -> None:
    """The step's task indexes every object it can; one that fails (here a model that no
    longer exists) is logged and the task ends failed, after the others are indexed."""
    from sdg87.core.loading import loaded_objects_index_update

    page, _changed = item_upsert(spec=_spec("t-news-index-partial", news_world))
    entry = apps.get_model("wagtailsearch", "IndexEntry")
    entry.objects.filter(object_id=str(page.pk)).delete()
    ReferenceIndex.objects.filter(object_id=str(page.pk)).delete()
    label = ["library", "newspage", str(page.pk)]
    with pytest.raises(RuntimeError, match="2 of 4 failed"):
        loaded_objects_index_update(
            references=[["t_gone", "model", "1"], label], search=[["t_gone", "model", "1"], label]
        )
    assert entry.objects.filter(object_id=str(page.pk)).count() == 1
    assert _references(page)
