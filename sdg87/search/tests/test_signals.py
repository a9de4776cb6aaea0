"""The index follows its sources (sdg87.search.signals): a save or delete of a watched model
refreshes the documents it touches once the transaction commits (the test backend runs the
task at once), never for a change rolled back, never while bundled data loads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import transaction

from sdg87.catalog.models import Dataset
from sdg87.catalog.services import datasets
from sdg87.core import loading
from sdg87.geo.models import Geography, GeographyAlias, GeographyKind
from sdg87.search import signals
from sdg87.search.models import SearchDocument
from sdg87.search.selectors import search
from sdg87.search.types import SearchParams

pytestmark = pytest.mark.django_db


def queued(callbacks: list[Callable[[], Any]]) -> list[tuple[str, list[str]]]:
    """The search refreshes among a transaction's on-commit callbacks: (kind, ids)."""
    return [
        (c.args[0], c.args[1])
        for c in callbacks
        if isinstance(c, partial) and c.func is signals._queue
    ]


def document(dataset: Dataset) -> SearchDocument | None:
    return SearchDocument.objects.filter(kind="dataset", object_id=str(dataset.pk)).first()


def found(q: str) -> set[str]:
    return {h.object_id for h in search(params=SearchParams(q=q), facets=False).hits}


def test_publishing_indexes_and_a_title_change_refreshes(
    indexed_dataset: Callable[..., Dataset],
    search_users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    dataset = indexed_dataset(title="ZZ cocoa farm household survey", state="approved")
    assert document(dataset) is None  # not live: not in the index
    dataset = indexed_dataset(title="ZZ cocoa farm household survey")
    doc = document(dataset)
    assert doc is not None and doc.heading == "ZZ cocoa farm household survey"
    assert str(dataset.pk) in found("cocoa")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        datasets.dataset_update(
            actor=search_users["editor"],
            dataset=dataset,
            data={"title": "ZZ brick kiln household survey"},
        )
    assert ("dataset", [str(dataset.pk)]) in queued(callbacks)
    doc = document(dataset)
    assert doc is not None and doc.heading == "ZZ brick kiln household survey"
    assert str(dataset.pk) in found("brick kiln")
    # the old title is gone from the title terms (the file's own title still says cocoa)
    assert "brick" in doc.title.split() and "cocoa" not in doc.title.split()


def test_deleting_removes_the_document(
    indexed_dataset: Callable[..., Dataset], django_capture_on_commit_callbacks: Any
) -> None:
    dataset = indexed_dataset(title="ZZ tea estate wage records")
    assert document(dataset) is not None
    pk = dataset.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dataset.delete()
    assert ("dataset", [str(pk)]) in queued(callbacks)
    assert not SearchDocument.objects.filter(kind="dataset", object_id=str(pk)).exists()
    assert found("tea estate") == set()


def test_nothing_is_queued_for_a_change_rolled_back(
    indexed_dataset: Callable[..., Dataset],
    search_users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    dataset = indexed_dataset(title="ZZ garment workshop inspections")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        datasets.dataset_update(
            actor=search_users["editor"],
            dataset=Dataset.objects.get(pk=dataset.pk),
            data={"title": "ZZ renamed then rolled back"},
        )
        raise RuntimeError("roll back")
    assert queued(callbacks) == []
    doc = document(dataset)
    assert doc is not None and doc.heading == "ZZ garment workshop inspections"


def test_nothing_is_queued_while_bundled_data_loads(
    monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """During a load step (sdg87.core.loading) saves queue nothing: one rebuild follows the
    load. The same saves outside a load queue their refresh."""
    monkeypatch.setattr(loading._loading, "active", True, raising=False)
    assert loading.loading_in_progress()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        country = Geography.objects.create(
            code="QZT", iso3="QZT", iso2="QZ", kind=GeographyKind.COUNTRY, name_en="Zedland"
        )
        GeographyAlias.objects.create(geography=country, name="Zed Republic", source="curated")
    assert queued(callbacks) == []
    assert not SearchDocument.objects.filter(kind="country", object_id="QZT").exists()

    monkeypatch.setattr(loading._loading, "active", False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        GeographyAlias.objects.create(
            geography=country, name="Zedlandia", language="es", source="curated"
        )
    assert queued(callbacks) == [("country", ["QZT"])]
    doc = SearchDocument.objects.get(kind="country", object_id="QZT")
    assert {"zed republic", "zedlandia"} <= set(doc.keys.values_list("key", flat=True))


def test_many_to_many_links_refresh_the_watched_side_from_either_side(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdg87.alliance.models import ActionGroup, RoadmapAction
    from sdg87.api.tests.test_alliance_api import draft_action
    from sdg87.orgs.models import Organisation, OrganisationType

    Geography.objects.create(code="ZZA", iso3="ZZA", kind=GeographyKind.COUNTRY, name_en="Zedland")
    group = ActionGroup.objects.create(slug="zz-group", name="ZZ Group", group_type="action_group")
    org = Organisation.objects.create(slug="zz-org", name="ZZ Org", type=OrganisationType.NGO)
    action: RoadmapAction = draft_action("ZZA", "ZZ action")

    with django_capture_on_commit_callbacks() as callbacks:
        group.members.add(org)
    assert queued(callbacks) == [("action_group", ["zz-group"])]
    with django_capture_on_commit_callbacks() as callbacks:
        org.action_groups.remove(group)  # the other side of the link
    assert queued(callbacks) == [("action_group", ["zz-group"])]
    group.members.add(org)
    with django_capture_on_commit_callbacks() as callbacks:
        org.action_groups.clear()
    assert queued(callbacks) == [("action_group", ["zz-group"])]
    with django_capture_on_commit_callbacks() as callbacks:
        action.responsible_organisations.add(org)
    assert queued(callbacks) == [("roadmap_action", [str(action.pk)])]
    with django_capture_on_commit_callbacks() as callbacks:
        org.roadmap_actions.clear()
    assert queued(callbacks) == [("roadmap_action", [str(action.pk)])]
    with django_capture_on_commit_callbacks() as callbacks:
        org.action_groups.add(group)
        group.members.remove(org)
    assert queued(callbacks) == [("action_group", ["zz-group"])] * 2

    monkeypatch.setattr(loading._loading, "active", True, raising=False)
    with django_capture_on_commit_callbacks() as callbacks:
        group.members.add(org)
    assert queued(callbacks) == []  # nothing while bundled data loads
