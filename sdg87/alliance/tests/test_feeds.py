"""Atom feeds of roadmap status changes and replies (/<lang>/pathfinders/feed.atom and
/<lang>/pathfinders/<iso3>/feed.atom): accepted changes of public actions and published replies
only, newest first, linking to the country's page."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest

from sdg87.alliance.models import (
    ChangeReview,
    Completion,
    Reply,
    ReplySubject,
    ReviewStatus,
    RoadmapAction,
)
from sdg87.api.tests.test_alliance_api import (
    UNVERIFIED_ACTION,
    bundled_action,
    draft_action,
    status_change,
)
from sdg87.geo.models import Geography

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": e.findtext(f"{ATOM}title") or "",
            "link": e.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]
            "id": e.findtext(f"{ATOM}id") or "",
            "updated": e.findtext(f"{ATOM}updated") or "",
            "summary": e.findtext(f"{ATOM}summary") or "",
        }
        for e in root.iter(f"{ATOM}entry")
    ]


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, tzinfo=UTC)


def reply(iso3: str, title: str, *, live: bool, day: int) -> Reply:
    return Reply.objects.create(
        country=Geography.objects.get(iso3=iso3),
        subject=ReplySubject.TIP_TIER,
        title=title,
        text=f"Full text of {title}",
        status=ReviewStatus.PUBLISHED if live else ReviewStatus.SUBMITTED,
        live=live,
        published_at=at(day) if live else None,
    )


def test_country_feed_lists_accepted_changes_and_published_replies_newest_first(client):
    """Nepal's feed: the reply of 5 March, then the change accepted on 3 March, then the one of
    1 March; a proposed and a returned change and an unpublished reply are absent."""
    action = bundled_action("NPL")
    status_change(
        action, completion=Completion.LIMITED, as_of=dt.date(2024, 6, 1), decided_at=at(1)
    )
    status_change(
        action, completion=Completion.SUBSTANTIAL, as_of=dt.date(2025, 6, 1), decided_at=at(3)
    )
    status_change(
        action,
        completion=Completion.COMPLETE,
        as_of=dt.date(2026, 1, 1),
        review=ChangeReview.PROPOSED,
        evidence="PROPOSED EVIDENCE",
    )
    status_change(
        action,
        completion=Completion.COMPLETE,
        as_of=dt.date(2026, 1, 2),
        review=ChangeReview.RETURNED,
        evidence="RETURNED EVIDENCE",
    )
    reply("NPL", "Our answer to the TIP tier", live=True, day=5)
    reply("NPL", "Unpublished answer", live=False, day=6)
    found = entries(client, "/en/pathfinders/NPL/feed.atom")
    assert [e["title"].split(" — ")[-1] for e in found] == [
        "Our answer to the TIP tier",
        "substantial (as of 2025-06-01)",
        "limited (as of 2024-06-01)",
    ]
    assert all(e["link"].endswith("/en/pathfinders/NPL/") for e in found)
    text = str(found)
    assert "PROPOSED EVIDENCE" not in text and "RETURNED EVIDENCE" not in text
    assert "Unpublished answer" not in text
    assert "Full text of Our answer" in found[0]["summary"]
    assert len({e["id"] for e in found}) == 3


def test_global_feed_and_languages(client):
    """The global feed has every country's entries; the French feed links to French pages;
    another country's feed does not list Nepal's change."""
    status_change(bundled_action("NPL"), completion=Completion.LIMITED, as_of=dt.date(2025, 1, 1))
    status_change(bundled_action("PER"), completion=Completion.COMPLETE, as_of=dt.date(2025, 2, 1))
    everything = entries(client, "/en/pathfinders/feed.atom")
    assert {e["title"].split(":")[0] for e in everything} == {"Nepal", "Peru"}
    french = entries(client, "/fr/pathfinders/per/feed.atom")
    assert len(french) == 1 and french[0]["link"].endswith("/fr/pathfinders/PER/")
    assert french[0]["title"].startswith("Pérou")


def test_changes_of_hidden_actions_never_appear(client):
    """An accepted change of a draft action, or of Malawi's unverified bundled action, is in no
    feed."""
    draft = draft_action("MWI", "A draft action of Malawi")
    status_change(draft, completion=Completion.COMPLETE, as_of=dt.date(2025, 1, 1))
    unverified = RoadmapAction.objects.get(text__startswith=UNVERIFIED_ACTION)
    assert unverified.live  # loaded as bundled, hidden only by its verification
    status_change(unverified, completion=Completion.COMPLETE, as_of=dt.date(2025, 1, 1))
    assert entries(client, "/en/pathfinders/MWI/feed.atom") == []
    assert entries(client, "/en/pathfinders/feed.atom") == []


def test_unknown_or_non_pathfinder_country_is_404(client):
    assert client.get("/en/pathfinders/BGD/feed.atom").status_code == 404
    assert client.get("/en/pathfinders/QQQQ/feed.atom").status_code == 404
