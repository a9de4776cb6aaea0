"""Every wording of a roadmap action is kept: each change of the text through the services is
a new version with who wrote it and when; the text the secretariat publishes (and a bundled
action's wording) is a public version; the public page lists the public wordings, dated, and
never a draft's; the focal points' page lists them all with who changed them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sdg87.alliance.models import (
    ActionTextVersion,
    PathfinderCountry,
    PathfinderStatus,
    RoadmapAction,
    Verification,
)
from sdg87.alliance.services import bundled, roadmap
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _create(people: dict[str, Any], uga: Any) -> RoadmapAction:
    return roadmap.roadmap_action_create(
        actor=people["focal_point"],
        country=uga,
        priority_area="Prevention",
        text="Train 200 district labour officers",
    )


def _versions(action: RoadmapAction) -> list[tuple[int, str, Any, bool]]:
    return [
        (v.number, v.text, v.changed_by, v.published)
        for v in ActionTextVersion.objects.filter(action=action).order_by("number")
    ]


def test_each_text_change_is_a_version_with_its_author(people: Any, uga: Any) -> None:
    fp = people["focal_point"]
    action = _create(people, uga)
    assert _versions(action) == [(1, "Train 200 district labour officers", fp, False)]
    roadmap.roadmap_action_update(actor=fp, action=action, data={"timeline": "2025-2026"})
    assert len(_versions(action)) == 1  # the text did not change
    roadmap.roadmap_action_update(
        actor=fp, action=action, data={"text": "Train 250 district labour officers"}
    )
    assert _versions(action) == [
        (1, "Train 200 district labour officers", fp, False),
        (2, "Train 250 district labour officers", fp, False),
    ]
    first = ActionTextVersion.objects.get(action=action, number=1)
    second = ActionTextVersion.objects.get(action=action, number=2)
    assert first.changed_at <= second.changed_at


def test_publication_makes_the_published_text_public(people: Any, uga: Any) -> None:
    fp, sec = people["focal_point"], people["secretariat"]
    action = _create(people, uga)
    roadmap.roadmap_action_update(actor=fp, action=action, data={"text": "Train 250 officers"})
    roadmap.roadmap_action_submit(actor=fp, action=action)
    roadmap.roadmap_action_publish(actor=sec, action=action)
    assert [(n, published) for n, _t, _by, published in _versions(action)] == [
        (1, False),
        (2, True),
    ]


def test_a_bundled_action_whose_wording_changes_keeps_the_former_one(
    bundled_action: RoadmapAction,
) -> None:
    """An action loaded before versions were kept gets its former wording as version 1, then
    the new one; both public, by nobody (the data)."""
    before = RoadmapAction.objects.get(pk=bundled_action.pk)
    bundled_action.text = "Strengthen labour inspection in agriculture and fisheries"
    bundled_action.save()
    bundled._text_versions(bundled_action, before=None)
    assert _versions(bundled_action) == [
        (1, "Strengthen labour inspection in agriculture and fisheries", None, True)
    ]
    ActionTextVersion.objects.filter(action=bundled_action).delete()
    bundled._text_versions(bundled_action, before)
    assert _versions(bundled_action) == [
        (1, "Strengthen labour inspection in agriculture", None, True),
        (2, "Strengthen labour inspection in agriculture and fisheries", None, True),
    ]
    bundled._text_versions(bundled_action, bundled_action)  # reloaded unchanged: nothing new
    assert len(_versions(bundled_action)) == 2


def test_public_page_lists_public_wordings_only(
    people: Any, uga: Any, bundled_action: RoadmapAction
) -> None:
    cache.clear()  # no page cached by another test
    PathfinderCountry.objects.get_or_create(
        country=uga,
        defaults={
            "status": PathfinderStatus.ADOPTED,
            "listed_2025": True,
            "verification": Verification.VERIFIED,
            "source_url": "https://example.org/uganda",
        },
    )
    ActionTextVersion.objects.create(
        action=bundled_action,
        number=1,
        text="Inspect farms (first wording)",
        changed_at="2024-03-01T00:00:00Z",
        published=True,
    )
    ActionTextVersion.objects.create(
        action=bundled_action,
        number=2,
        text="Never-published draft wording",
        changed_at="2024-04-01T00:00:00Z",
        changed_by=people["focal_point"],
        published=False,
    )
    ActionTextVersion.objects.create(
        action=bundled_action,
        number=3,
        text=bundled_action.text,
        changed_at="2025-05-02T00:00:00Z",
        published=True,
    )
    html = Client().get("/en/pathfinders/UGA/").content.decode()
    assert "Text history" in html
    assert "Inspect farms (first wording)" in html and "March 1, 2024" in html
    assert "May 2, 2025" in html
    assert "Never-published draft wording" not in html

    client = Client()
    client.force_login(people["focal_point"])
    manage = client.get("/en/pathfinders/UGA/manage/").content.decode()
    assert "Never-published draft wording" in manage and "fp_uga" in manage


def test_one_wording_shows_no_history(uga: Any, bundled_action: RoadmapAction) -> None:
    cache.clear()  # no page cached by another test
    PathfinderCountry.objects.get_or_create(
        country=uga,
        defaults={
            "status": PathfinderStatus.ADOPTED,
            "listed_2025": True,
            "verification": Verification.VERIFIED,
        },
    )
    bundled._text_versions(bundled_action, before=None)
    assert "Text history" not in Client().get("/en/pathfinders/UGA/").content.decode()
