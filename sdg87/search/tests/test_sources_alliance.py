"""The Alliance 8.7 in the search index (sdg87.search.sources.alliance): Pathfinder Countries,
public roadmap actions and Action Groups over the bundled data. Only public rows make
documents: Malawi's unverified roadmap description, a draft action and hidden milestones are
never found; publishing an action indexes it on commit and taking it down removes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sdg87.alliance.models import (
    SHOWN,
    ActionGroup,
    Milestone,
    PathfinderCountry,
    RoadmapAction,
    Verification,
)
from sdg87.api.tests.test_alliance_api import UNVERIFIED_ACTION, draft_action
from sdg87.search.indexing import index_rebuild, served_generation
from sdg87.search.models import SearchDocument
from sdg87.search.registry import DocumentData, sources
from sdg87.search.selectors import search
from sdg87.search.sources import alliance
from sdg87.search.types import KINDS, SearchParams

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]
ALLIANCE_KINDS = ("pathfinder", "roadmap_action", "action_group")


def alliance_documents() -> Iterator[DocumentData]:
    for kind in ALLIANCE_KINDS:
        source = sources()[kind]
        for row in source.rows():
            doc = source.build(row)
            if doc is not None:
                yield doc


@pytest.fixture
def indexed() -> None:
    """The Alliance documents only, as one served generation (fast; the other kinds are
    tested by their own modules)."""
    index_rebuild(documents=list(alliance_documents()))


def docs(kind: str) -> Any:
    return SearchDocument.objects.filter(generation=served_generation(), kind=kind)


def hits(q: str, **params: Any) -> list[tuple[str, str]]:
    outcome = search(params=SearchParams(q=q, per_page=100, **params), facets=False)
    return [(h.kind, h.object_id) for h in outcome.hits]


def test_kinds_are_registered_with_labels() -> None:
    registered = sources()
    for kind in ALLIANCE_KINDS:
        assert kind in KINDS and kind in registered
        assert str(registered[kind].label)
    assert registered["roadmap_action"].build is alliance.build_action


@pytest.mark.usefixtures("indexed")
def test_one_document_per_public_row() -> None:
    """30 Pathfinder Countries, the 54 public actions (of 55), the 9 Action Groups."""
    public_pf = PathfinderCountry.objects.filter(verification__in=SHOWN).count()
    assert docs("pathfinder").count() == public_pf == 30
    assert RoadmapAction.objects.count() == 55
    assert docs("roadmap_action").count() == 54
    assert docs("action_group").count() == ActionGroup.objects.count() == 9
    assert not docs("roadmap_action").filter(heading__startswith=UNVERIFIED_ACTION).exists()


@pytest.mark.usefixtures("indexed")
def test_the_unverified_action_is_never_found() -> None:
    """Its words find Malawi's verified actions, never the unverified one."""
    unverified = RoadmapAction.objects.get(text__startswith=UNVERIFIED_ACTION)
    assert unverified.verification == Verification.UNVERIFIED
    found = hits("comprehensive framework priorities interventions strategic outcomes")
    assert ("roadmap_action", str(unverified.pk)) not in found
    assert alliance.action_row(str(unverified.pk)) is None


@pytest.mark.usefixtures("indexed")
def test_action_document_links_to_its_place_on_the_country_page() -> None:
    """Peru's Child Labour Free Seal: title text, the country page's anchor, place and theme
    facets; a search limited to Peru's actions finds exactly Peru's public actions."""
    action = RoadmapAction.objects.get(text__startswith="Child Labour Free Seal recognising")
    doc = alliance.build_action(action)
    assert doc.path == f"/en/pathfinders/PER/#action-{action.key}"
    assert doc.facets["place"] == ["PER"] and "child_labour" in doc.facets["theme"]
    assert "supply_chains" in doc.facets["theme"]
    assert ("roadmap_action", str(action.pk)) in hits("child labour free seal")
    peru = search(
        params=SearchParams(kind=("roadmap_action",), place=("PER",), per_page=100),
        facets=False,
    )
    expected = RoadmapAction.objects.filter(
        plan__country__iso3="PER", verification__in=SHOWN, live=True
    ).count()
    assert peru.total == expected > 0


@pytest.mark.usefixtures("indexed")
def test_pathfinder_document_has_public_milestones_only() -> None:
    """Nigeria's document: heading in three languages; its conflicting workshop and its
    unverified committee are not in its text."""
    doc = alliance.build_pathfinder(PathfinderCountry.objects.get(country__iso3="NGA"))
    assert doc.heading == "Nigeria: Alliance 8.7 Pathfinder Country"
    assert doc.path == "/en/pathfinders/NGA/" and doc.facets["place"] == ["NGA"]
    assert set(doc.translations) == {"fr", "es"}
    text = " ".join(t.text for t in doc.texts)
    hidden = Milestone.objects.filter(country__iso3="NGA").exclude(verification__in=SHOWN)
    assert hidden.count() == 2
    for m in hidden:
        assert m.title not in text
    shown = Milestone.objects.filter(country__iso3="NGA", verification__in=SHOWN).first()
    assert shown is not None and shown.title in text
    assert ("pathfinder", "NGA") in hits("Nigeria pathfinder")


@pytest.mark.usefixtures("indexed")
def test_action_group_document() -> None:
    doc = alliance.build_group(ActionGroup.objects.get(slug="supply_chains"))
    assert doc.path == "/en/action-groups/supply_chains/"
    assert doc.facets["theme"] == ["supply_chains"]
    assert ("action_group", "supply_chains") in hits("supply chains action group")


@pytest.mark.usefixtures("indexed")
def test_draft_is_never_indexed_and_publishing_follows_on_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A draft action is not found; published (live) it is indexed once the change commits;
    taken down again, its document goes."""
    with django_capture_on_commit_callbacks(execute=True):
        action = draft_action("NPL", "Zorbling brick kiln inspections in every district")
    assert hits("zorbling") == []
    assert alliance.action_row(str(action.pk)) is None
    with django_capture_on_commit_callbacks(execute=True):
        action.live = True
        action.status = "published"
        action.save()
    assert hits("zorbling") == [("roadmap_action", str(action.pk))]
    with django_capture_on_commit_callbacks(execute=True):
        action.live = False
        action.save()
    assert hits("zorbling") == []
    assert not docs("roadmap_action").filter(object_id=str(action.pk)).exists()
