"""The editor pages (sources, a source's runs, a run's report) and the provenance line on a
harvested dataset's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sdg87.catalog.tests.mini_catalog import MiniCatalog
from sdg87.harvest.models import (
    HarvestedRecord,
    HarvestRun,
    HarvestRunItem,
    HarvestSource,
    Outcome,
    RunStatus,
    SourceKind,
)


@pytest.fixture
def harvested(mini_catalog: MiniCatalog) -> dict[str, Any]:
    now = timezone.now()
    source = HarvestSource.objects.create(
        organisation=mini_catalog.org,
        name="ILO CKAN",
        kind=SourceKind.CKAN,
        url="https://ckan.example.org/",
        created_by=mini_catalog.editor,
    )
    run = HarvestRun.objects.create(
        source=source,
        started_at=now,
        finished_at=now,
        status=RunStatus.PARTIAL,
        seen=2,
        created=1,
        failed=1,
    )
    HarvestRunItem.objects.create(
        run=run,
        remote_id="pkg-1",
        title="Child labour survey",
        outcome=Outcome.CREATED,
        dataset=mini_catalog.public,
    )
    HarvestRunItem.objects.create(
        run=run, remote_id="pkg-2", outcome=Outcome.FAILED, reason="the package has no title"
    )
    HarvestedRecord.objects.create(
        source=source,
        remote_id="pkg-1",
        dataset=mini_catalog.public,
        original_url="https://ckan.example.org/dataset/pkg-1",
        content_hash="x",
        first_harvested_at=now,
        last_harvested_at=now,
    )
    return {"source": source, "run": run}


def test_editors_see_sources_runs_and_reports(client, mini_catalog, harvested):
    """The organisation's editor sees the source, its run counts and the run's report with
    the failure reason; the outcome filter narrows the report."""
    client.force_login(mini_catalog.editor)
    page = client.get("/en/harvest/sources/").content.decode()
    assert "ILO CKAN" in page and "Register a source" in page
    page = client.get(f"/en/harvest/sources/{harvested['source'].pk}/").content.decode()
    assert "Harvest now" in page and f"/en/harvest/runs/{harvested['run'].pk}/" in page
    page = client.get(f"/en/harvest/runs/{harvested['run'].pk}/").content.decode()
    assert page.count("<h1") == 1
    assert "the package has no title" in page and "Child labour survey" in page
    page = client.get(f"/en/harvest/runs/{harvested['run'].pk}/?outcome=created").content
    assert b"the package has no title" not in page


def test_others_cannot_see_or_run(client, mini_catalog, harvested):
    """Anonymous: to the login page; a contributor of the organisation or an admin of another
    one: 403 on the list, 404 on the source, its run and the harvest-now button."""
    pk, run = harvested["source"].pk, harvested["run"].pk
    assert client.get("/en/harvest/sources/").status_code == 302
    for user in (mini_catalog.contributor, mini_catalog.outsider):
        client.force_login(user)
        listing = client.get("/en/harvest/sources/")
        if user == mini_catalog.outsider:  # admin of another organisation: its own (no) sources
            assert b"ILO CKAN" not in listing.content
        else:
            assert listing.status_code == 403
        assert client.get(f"/en/harvest/sources/{pk}/").status_code == 404
        assert client.get(f"/en/harvest/runs/{run}/").status_code == 404
        assert client.post(f"/en/harvest/sources/{pk}/run/").status_code == 404


def test_registering_a_source_from_the_page(client, mini_catalog, settings):
    """A valid form registers the source (its first run waits for the commit) and leads to
    its page; a file: address is refused on the form."""
    settings.SDG87_HARVEST_ALLOW_PRIVATE = True
    client.force_login(mini_catalog.editor)
    form = {
        "organisation": mini_catalog.org.pk,
        "name": "Neighbour",
        "kind": "dcat",
        "url": "http://127.0.0.1:9/catalog.ttl",
        "default_licence": "CC-BY-4.0",
        "schedule": "weekly",
    }
    response = client.post("/en/harvest/sources/", form)
    source = HarvestSource.objects.get(name="Neighbour")
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert source.created_by == mini_catalog.editor and source.next_run_at is not None
    response = client.post("/en/harvest/sources/", {**form, "url": "file:///etc/passwd"})
    assert response.status_code == 400
    assert HarvestSource.objects.count() == 1


def test_dataset_page_says_where_a_harvested_dataset_came_from(client, mini_catalog, harvested):
    """'Harvested from <source>, last harvested <date>' with the original link, for anybody
    who may see the dataset; a dataset made here has no such line."""
    page = client.get(f"/en/datasets/{mini_catalog.public.slug}/").content.decode()
    assert "Harvested from ILO CKAN, last harvested" in page
    assert 'href="https://ckan.example.org/dataset/pkg-1"' in page
    page = client.get(f"/en/datasets/{mini_catalog.metadata_only.slug}/").content.decode()
    assert "Harvested from" not in page
