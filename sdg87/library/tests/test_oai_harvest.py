"""A real harvester (oaipmh-scythe, from PyPI) harvests the whole repository from a live
server, across resumption tokens, by GET and by POST."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig

from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.library.oai import selectors
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.tests.test_oai_fixtures import ORG_SET, build_world


@pytest.fixture
def live_world(transactional_db, live_server, settings):
    settings.SDG87_OAI_PAGE_SIZE = 7  # several pages even on an almost empty database
    world = build_world()
    return world, f"{live_server.url}/oai"


def _public_identifiers() -> set[str]:
    pubs = publication_public_queryset().values_list("slug", flat=True)
    datasets = dataset_public_queryset().values_list("slug", flat=True)
    return {selectors.oai_identifier("publication", s) for s in pubs} | {
        selectors.oai_identifier("dataset", s) for s in datasets
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_scythe_harvests_every_public_record(live_world, method):
    """ListRecords (oai_dc), deleted records skipped: exactly the public publications and
    datasets, each once, with their titles; ListIdentifiers: the same plus the deleted."""
    _world, endpoint = live_world
    public = _public_identifiers()
    assert len(public) >= 6  # the fixtures' five publications and one dataset at least

    with Scythe(endpoint, http_config=HTTPConfig(http_method=method, timeout=30)) as scythe:
        harvested = scythe.list_records(metadata_prefix="oai_dc", ignore_deleted=True)
        records: list[Any] = list(harvested)
        identifiers = [r.header.identifier for r in records]
        assert len(identifiers) == len(public)
        assert set(identifiers) == public
        by_id = {r.header.identifier: r for r in records}
        report = by_id[selectors.oai_identifier("publication", "t-oai-report")]
        assert report.metadata["title"] == ["OAI test publication report"]
        assert report.metadata["creator"] == ["Tester, Ada", "OAI Working Group"]

        headers: list[Any] = list(scythe.list_identifiers(metadata_prefix="oai_dc"))
        deleted = {h.identifier for h in headers if h.deleted}
        assert {h.identifier for h in headers if not h.deleted} == public
        now = timezone.now()
        expected_deleted = (
            selectors.publications_listed(now).count()
            - publication_public_queryset(now=now).count()
            + selectors.datasets_listed(now).count()
            - dataset_public_queryset(now=now).count()
            + selectors.deleted_listed(now).count()
        )
        assert len(headers) == len(public) + expected_deleted
        assert {
            selectors.oai_identifier("publication", "t-oai-unpublished"),
            selectors.oai_identifier("publication", "t-oai-gone"),
            selectors.oai_identifier("dataset", "t-oai-ds-withdrawn"),
        } <= deleted


def test_scythe_selective_harvest_by_set_and_date(live_world):
    _world, endpoint = live_world
    with Scythe(endpoint) as scythe:
        headers: list[Any] = list(
            scythe.list_identifiers(
                metadata_prefix="oai_datacite", set_=ORG_SET, from_="2024-03-11", until="2024-03-12"
            )
        )
        assert [h.identifier.rsplit("/", 1)[1] for h in headers] == [
            "t-oai-evaluation",
            "t-oai-article",
            "t-oai-files-embargoed",
            "t-oai-ds-withdrawn",
            "t-oai-unpublished",
            "t-oai-unverified",
        ]
        listed: list[Any] = list(scythe.list_sets())
        sets = {s.setSpec for s in listed}
        assert {ORG_SET, "country:XQZ", "type:dataset"} <= sets
        identify: Any = scythe.identify()
        assert identify.deletedRecord == "persistent"
