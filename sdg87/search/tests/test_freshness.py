"""The freshness facet's kept sets (sdg87.search.freshness): exact at every moment, across a
threshold crossing, a superseding edition's scheduled publication and a bulk update() of a
dataset row, compared with the catalog's with_freshness at the same fixed `now`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from sdg87.catalog.models import Dataset
from sdg87.catalog.selectors import freshness_snapshot, with_freshness
from sdg87.search.selectors import search
from sdg87.search.types import SearchParams

pytestmark = pytest.mark.django_db


def _facet(now: datetime) -> Counter[str]:
    outcome = search(params=SearchParams(kind=("dataset",)), now=now)
    (facet,) = [f for f in outcome.facets if f.name == "freshness"]
    assert not facet.cut_short
    return Counter({v.value: v.count for v in facet.values if v.count})


def _catalog(now: datetime, pks: list[int]) -> Counter[str]:
    annotated = with_freshness(Dataset.objects.filter(pk__in=pks), now=now)
    rows = annotated.values_list("freshness", flat=True)  # type: ignore[misc]
    return Counter(str(f) for f in rows)


def _chosen(value: str, now: datetime) -> set[int]:
    found = search(params=SearchParams(freshness=(value,), per_page=100), now=now, facets=False)
    return {int(h.object_id) for h in found.hits}


def test_counts_follow_a_threshold_crossing(indexed_dataset: Callable[..., Dataset]) -> None:
    """Monthly data updated at T is fresh until T + 30 days and due from then on (to the
    microsecond), whatever was counted before; the counts equal the catalog's."""
    monthly = indexed_dataset(title="ZZ monthly wages", frequency="monthly")
    annual = indexed_dataset(title="ZZ annual survey", frequency="annual")
    updated = timezone.now() - timedelta(days=10)
    Dataset.objects.filter(pk__in=[monthly.pk, annual.pk]).update(data_updated_at=updated)
    due = updated + timedelta(days=30)
    before, at = due - timedelta(microseconds=1), due
    pks = [monthly.pk, annual.pk]

    assert _facet(before) == _catalog(before, pks) == Counter({"fresh": 2})
    assert _facet(at) == _catalog(at, pks) == Counter({"fresh": 1, "due": 1})
    assert _chosen("due", at) == {monthly.pk}
    # back before the crossing (a fixed `now` in the past): fresh again
    assert _facet(before) == Counter({"fresh": 2})
    assert _chosen("due", before) == set()
    snapshot = freshness_snapshot(now=before)
    assert snapshot.valid_until == due and not snapshot.holds_at(due)


def test_counts_follow_a_bulk_update(indexed_dataset: Callable[..., Dataset]) -> None:
    """A row changed without a save (update(): no signal, no index refresh) changes the counts
    of the next search at the very same moment."""
    dataset = indexed_dataset(title="ZZ quarterly prices", frequency="quarterly")
    now = timezone.now()
    Dataset.objects.filter(pk=dataset.pk).update(data_updated_at=now - timedelta(days=1))
    assert _facet(now) == Counter({"fresh": 1})
    Dataset.objects.filter(pk=dataset.pk).update(data_updated_at=now - timedelta(days=200))
    assert _facet(now) == _catalog(now, [dataset.pk]) == Counter({"delinquent": 1})
    Dataset.objects.filter(pk=dataset.pk).update(frequency="never")
    assert _facet(now) == Counter({"historical": 1})


def test_superseded_from_the_newer_editions_publication(
    indexed_dataset: Callable[..., Dataset], search_users: dict[str, Any]
) -> None:
    """An edition superseded by one scheduled for P is superseded from P on (not before)."""
    old = indexed_dataset(title="ZZ report 2019", frequency="annual")
    publish = timezone.now() + timedelta(days=3)
    new = indexed_dataset(title="ZZ report 2025", frequency="annual", publish_at=publish)
    Dataset.objects.filter(pk=old.pk).update(superseded_by=new)
    before, at = publish - timedelta(microseconds=1), publish
    assert _chosen("superseded", before) == set()
    assert _facet(before) == _catalog(before, [old.pk])
    assert _chosen("superseded", at) == {old.pk}
    assert _facet(at)["superseded"] == 1 == _catalog(at, [old.pk])["superseded"]


@pytest.mark.django_db(transaction=True)  # outside a transaction, reads may go to a replica
def test_postings_and_freshness_are_read_where_their_version_is(
    indexed_dataset: Callable[..., Dataset], settings: Any
) -> None:
    """An anonymous GET may read from a replica, but the index version and the datasets'
    fingerprint are read on the primary: the postings and the freshness sets kept under them
    must come from the primary too, or a lagging replica's rows would be kept under the new
    version until the next change (review of ef99ac2). Here the replica alias does not exist,
    so any read sent to it fails."""
    from django.db import router

    from sdg87.core import dbrouter
    from sdg87.search import postings

    indexed_dataset(title="ZZ replica check", frequency="monthly")
    settings.DATABASE_ROUTERS = ["sdg87.core.dbrouter.PrimaryReplicaRouter"]
    postings.clear()
    token = dbrouter._replica_allowed.set(True)  # what request_began sets for an anonymous GET
    try:
        assert router.db_for_read(Dataset) == "replica"
        assert _facet(timezone.now())["fresh"] == 1
    finally:
        dbrouter._replica_allowed.reset(token)
