"""Harvesting the platform itself over real HTTP (pytest-django's live server, no mocks).

The live server serves the same test database, so the harvested copies go to another
organisation than the originals, and the CKAN source filters on the originals' organisation.
"""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.catalog.models import Dataset, Visibility
from sdg87.catalog.services import datasets, review
from sdg87.catalog.tests.mini_catalog import make_dataset, publish
from sdg87.harvest.models import HarvestedRecord, Outcome, RunStatus, SourceKind
from sdg87.harvest.services import harvest_source_create, harvest_source_run


@pytest.fixture
def allow_private(settings: Any) -> None:
    settings.SDG87_HARVEST_ALLOW_PRIVATE = True
    settings.SDG87_HARVEST_TIMEOUT = 5


def _outcomes(run: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in run.items.all():
        found.setdefault(item.outcome, []).append(item.title)
    return {k: sorted(v) for k, v in found.items()}


def test_ckan_harvest_creates_updates_keeps_and_removes(live_catalog, allow_private):
    """Run 1 creates a published copy of each public dataset of the ministry under the NGO,
    with the original's licence, links and page; after the ministry renames one, withdraws
    one and publishes a new one, run 2 reports exactly 1 created, 1 updated, 1 unchanged and
    1 removed (the copy unpublished, not deleted), and a third run changes nothing."""
    cat, base = live_catalog
    steady = publish(
        make_dataset(cat.org, cat.contributor, "zz-steady", Visibility.PUBLIC),
        contributor=cat.contributor,
        editor=cat.editor,
    )
    source = harvest_source_create(
        actor=cat.outsider,
        organisation=cat.other_org,
        name="Ministry CKAN",
        kind=SourceKind.CKAN,
        url=f"{base}/api/3/action/",
        schedule="daily",
        remote_filter=f"organization:{cat.org.slug}",
    )
    # registering hands the first run to the task worker (immediate in the tests)
    run = source.runs.get()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.created, run.updated, run.unchanged, run.removed, run.failed) == (3, 0, 0, 0, 0)
    copy = HarvestedRecord.objects.get(source=source, remote_id=str(cat.public.pk)).dataset
    assert copy.publisher == cat.other_org and copy.live
    assert copy.title == cat.public.title and copy.licence == cat.public.licence
    record = copy.harvested_record
    assert record.original_url == f"{base}/dataset/zz-public"
    assert list(copy.distributions.values_list("url", flat=True)) == [
        "https://example.org/zz-public.csv"
    ]

    datasets.dataset_update(
        actor=cat.editor, dataset=cat.public, data={"title": "Renamed at the source"}
    )
    review.dataset_unpublish(actor=cat.editor, dataset=cat.metadata_only)
    publish(
        make_dataset(cat.org, cat.contributor, "zz-new", Visibility.PUBLIC),
        contributor=cat.contributor,
        editor=cat.editor,
    )
    run2 = harvest_source_run(source_id=source.pk, force=True)
    assert run2 is not None
    assert run2.status == RunStatus.SUCCEEDED, run2.error
    assert _outcomes(run2) == {
        Outcome.CREATED: ["Test dataset zz-new"],
        Outcome.UPDATED: ["Renamed at the source"],
        Outcome.UNCHANGED: [steady.title],
        Outcome.REMOVED: ["Test dataset zz-metadata-only"],
    }
    assert (run2.created, run2.updated, run2.unchanged, run2.removed) == (1, 1, 1, 1)
    copy.refresh_from_db()
    assert copy.title == "Renamed at the source" and copy.live
    gone = HarvestedRecord.objects.get(source=source, remote_id=str(cat.metadata_only.pk))
    assert gone.removed_at is not None
    assert Dataset.objects.filter(pk=gone.dataset_id, live=False).exists()

    run3 = harvest_source_run(source_id=source.pk, force=True)
    assert run3 is not None
    assert (run3.created, run3.updated, run3.unchanged, run3.removed) == (0, 0, 3, 0)
