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
from sdg87.harvest.models import HarvestedRecord, HarvestSource, Outcome, RunStatus, SourceKind
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


def test_dcat_catalogue_harvest_and_its_echo(live_catalog, allow_private):
    """The platform's own DCAT-AP catalogue (Turtle), harvested into the NGO: the ministry's
    two public datasets (the organisation-only one is not in the public catalogue) are created
    with their licence and landing page; on run 2 the catalogue also lists those copies,
    which name the originals as their identifier: they are skipped as copies, the originals
    are unchanged. The RDF/XML form of the same catalogue gives the same records."""
    cat, base = live_catalog
    source = harvest_source_create(
        actor=cat.outsider,
        organisation=cat.other_org,
        name="Ministry DCAT",
        kind=SourceKind.DCAT,
        url=f"{base}/catalog.ttl",
        schedule="weekly",
    )
    run = source.runs.get()
    assert run.status == RunStatus.SUCCEEDED, run.error
    outcomes = _outcomes(run)
    assert list(outcomes) == [Outcome.CREATED]
    created = outcomes[Outcome.CREATED]
    # The catalogue lists every public dataset of the platform: the ministry's two, and the
    # bundled ones when an earlier test of this process gave the bundled data.
    assert {"Test dataset zz-metadata-only", "Test dataset zz-public"} <= set(created)
    assert "Test dataset zz-org-only" not in created  # members only: not in the catalogue
    record = HarvestedRecord.objects.get(source=source, remote_id=f"{base}/dataset/zz-public")
    assert record.original_url == f"{base}/en/datasets/zz-public/"
    assert record.dataset.licence == cat.public.licence and record.dataset.live

    n = len(created)
    run2 = harvest_source_run(source_id=source.pk, force=True)
    assert run2 is not None
    assert (run2.created, run2.unchanged, run2.skipped, run2.removed) == (0, n, n, 0)

    rdf_xml = HarvestSource.objects.create(
        organisation=cat.other_org,
        name="Ministry RDF/XML",
        kind=SourceKind.DCAT,
        url=f"{base}/catalog.rdf",
        created_by=cat.outsider,
    )
    run3 = harvest_source_run(source_id=rdf_xml.pk, force=True)
    assert run3 is not None
    assert run3.status == RunStatus.SUCCEEDED, run3.error
    assert (run3.seen, run3.created, run3.skipped) == (2 * n, n, n)


def test_sdmx_dataflow_harvest(live_server, bundled_data, transactional_db, allow_private):
    """The platform's /sdmx/ dataflow of 8.7.1 (SDMX-ML 2.1 structure message) becomes one
    dataset with the flow's English name and a link to its data; run 2 leaves it unchanged."""
    from django.contrib.auth import get_user_model

    from sdg87.orgs.models import Role
    from sdg87.orgs.services import membership_set, organisation_upsert

    editor = get_user_model().objects.create_user("zz-sdmx", "s@example.org", "pw-123-abc")
    org = organisation_upsert(slug="zz-sdmx-mirror", name="ZZ SDMX mirror", type="ngo")
    membership_set(user=editor, organisation=org, role=Role.EDITOR)
    source = harvest_source_create(
        actor=editor,
        organisation=org,
        name="Our SDMX",
        kind=SourceKind.SDMX,
        url=f"{live_server.url}/sdmx/dataflow/SDG87/SDG_8_7_1/latest",
        schedule="daily",
        default_licence="CC-BY-4.0",
    )
    run = source.runs.get()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.created == 1
    dataset = HarvestedRecord.objects.get(source=source).dataset
    assert dataset.title.startswith("8.7.1") and dataset.licence == "CC-BY-4.0"
    assert list(dataset.distributions.values_list("url", flat=True)) == [
        f"{live_server.url}/sdmx/data/SDG87,SDG_8_7_1,1.0/all"
    ]
    run2 = harvest_source_run(source_id=source.pk, force=True)
    assert run2 is not None and (run2.created, run2.unchanged) == (0, 1)
