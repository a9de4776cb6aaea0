"""API v1 Alliance 8.7 endpoints over the bundled data (data/alliance87/) and contributions made
in the test: only public rows (sdg87.alliance.visibility) come out, approximate dates are
flagged, a self-reported status is the latest ACCEPTED one and the independent rating is a
separate field."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from sdg87.alliance.goals import GoalStatus
from sdg87.alliance.models import (
    SHOWN,
    ActionGroup,
    ChangeReview,
    Completion,
    GCGMeeting,
    Goal,
    GoalMetric,
    Plan,
    Potential,
    Rating,
    ReviewStatus,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.api.tests.test_routers_indicators import assert_error
from sdg87.geo.models import Geography
from sdg87.orgs.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

DATA = Path(settings.BASE_DIR) / "data" / "alliance87"
# The one `unverified` row of roadmap_actions.csv (Malawi's roadmap, text cut in the source).
UNVERIFIED_ACTION = "Comprehensive framework of priorities and interventions"


def csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def shown(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if r["verification_status"] in SHOWN]


def user(name: str) -> Any:
    return get_user_model().objects.create_user(username=name, password="x" * 12)


def bundled_action(iso3: str) -> RoadmapAction:
    return RoadmapAction.objects.filter(
        plan__country__iso3=iso3, verification=Verification.VERIFIED
    ).earliest("id")


def status_change(
    action: RoadmapAction,
    *,
    completion: str,
    as_of: dt.date,
    review: str = ChangeReview.ACCEPTED,
    evidence: str = "Evidence",
    decided_at: dt.datetime | None = None,
) -> StatusChange:
    accepted = review == ChangeReview.ACCEPTED
    return StatusChange.objects.create(
        action=action,
        completion=completion,
        as_of=as_of,
        evidence=evidence,
        evidence_url="https://example.org/evidence",
        review=review,
        decided_at=(decided_at or timezone.now()) if accepted else None,
    )


def draft_action(iso3: str, text: str, *, live: bool = False, status: str = "draft") -> Any:
    plan = Plan.objects.filter(country__iso3=iso3).first() or Plan.objects.create(
        country=Geography.objects.get(iso3=iso3), title="Test plan"
    )
    return RoadmapAction.objects.create(
        plan=plan,
        key=f"t-{iso3.lower()}-{RoadmapAction.objects.count()}",
        priority_area="Test area",
        text=text,
        verification=Verification.CONTRIBUTED,
        status=status,
        live=live,
    )


def all_actions(client: Any, url: str = "/api/v1/roadmap-actions?limit=7") -> list[dict]:
    """Every page, following `next`."""
    out: list[dict] = []
    while url:
        body = client.get(url).json()
        out += body["results"]
        url = body["next"]
    return out


# --- pathfinders -------------------------------------------------------------------------------


def test_pathfinders_list_every_verified_country_with_public_milestones(client):
    """The 30 Pathfinder Countries; their milestones are exactly the file's shown rows (85 of
    89: no unverified or conflicting milestone), each with source and quote."""
    body = client.get("/api/v1/pathfinders").json()
    expected = {r["iso3"] for r in shown(csv_rows("pathfinder_countries.csv"))}
    assert body["count"] == len(expected) == 30
    assert {p["iso3"] for p in body["results"]} == expected
    milestones = [m for p in body["results"] for m in p["milestones"]]
    file_rows = csv_rows("pathfinder_milestones.csv")
    assert len(milestones) == len(shown(file_rows)) == 85 < len(file_rows)
    assert {m["verification"] for m in milestones} <= set(SHOWN)
    hidden = {r["title"] for r in file_rows if r["verification_status"] not in SHOWN}
    assert not hidden & {m["title"] for m in milestones}
    assert all(m["source_url"] for m in milestones)


def test_pathfinder_detail_flags_approximate_dates(client):
    """Viet Nam's workshop of 2019-05-09 is `verified_approx`: flagged approximate, its date as
    precise as stored; a year-only milestone has a year-only date."""
    body = client.get("/api/v1/pathfinders/vnm?lang=fr").json()
    assert body["iso3"] == "VNM" and body["name"] == "Viet Nam"
    workshop = next(m for m in body["milestones"] if m["date"] == "2019-05-09")
    assert workshop["approximate"] is True and workshop["verification"] == "verified_approx"
    assert workshop["quote"]
    years = [m for m in body["milestones"] if m["date_precision"] == "year"]
    assert years and all(len(m["date"]) == 4 for m in years)
    exact = [m for m in body["milestones"] if m["verification"] == "verified"]
    assert all(m["approximate"] is False for m in exact)


def test_pathfinder_detail_hides_conflicting_and_unverified(client):
    """Nigeria's conflicting workshop (2019-12-10) and unverified committee are not listed."""
    body = client.get("/api/v1/pathfinders/NGA").json()
    titles = " ".join(m["title"] for m in body["milestones"])
    assert "communication strategy" not in titles and "Technical Committee" not in titles
    assert body["milestones"]


def test_pathfinder_detail_errors(client):
    """A country that is not a Pathfinder, an unknown code and a bad language are JSON errors."""
    assert_error(client.get("/api/v1/pathfinders/BGD"), 404, "unknown_pathfinder")
    assert_error(client.get("/api/v1/pathfinders/QQQQ"), 404, "unknown_pathfinder")
    assert_error(client.get("/api/v1/pathfinders?lang=xx"), 422, "invalid_parameter")


# --- roadmap actions ---------------------------------------------------------------------------


def test_roadmap_actions_are_the_shown_rows_and_never_the_unverified_one(client):
    """Paging through every action gives the file's 54 shown rows, each once; Malawi's
    unverified roadmap description is not among them."""
    actions = all_actions(client)
    rows = csv_rows("roadmap_actions.csv")
    assert len(actions) == len(shown(rows)) == 54 == len(rows) - 1
    assert len({a["id"] for a in actions}) == 54
    assert not [a for a in actions if UNVERIFIED_ACTION in a["text"]]
    assert [a["id"] for a in actions] == sorted(a["id"] for a in actions)
    approx = [a for a in actions if a["verification"] == "verified_approx"]
    assert len(approx) == 5 and all(a["approximate"] for a in approx)
    third = [a for a in actions if a["reported_by_third_party"]]
    assert len(third) == 5 and all(a["quote"] and a["source_url"] for a in third)


def test_roadmap_actions_filters(client):
    """`country` is repeatable and comma-separated; `priority_area` is exact, any case."""
    peru = all_actions(client, "/api/v1/roadmap-actions?country=per")
    rows = shown(csv_rows("roadmap_actions.csv"))
    assert len(peru) == len([r for r in rows if r["iso3"] == "PER"]) > 0
    both = all_actions(client, "/api/v1/roadmap-actions?country=PER,NPL")
    both2 = all_actions(client, "/api/v1/roadmap-actions?country=PER&country=NPL")
    assert {a["country"] for a in both} == {"PER", "NPL"} and both == both2
    supply = all_actions(client, "/api/v1/roadmap-actions?priority_area=SUPPLY%20CHAINS")
    assert len(supply) == len([r for r in rows if r["priority_area"] == "Supply chains"]) > 0
    malawi = all_actions(client, "/api/v1/roadmap-actions?country=MWI")
    assert len(malawi) == len([r for r in rows if r["iso3"] == "MWI"]) > 0
    assert not [a for a in malawi if UNVERIFIED_ACTION in a["text"]]
    assert all_actions(client, "/api/v1/roadmap-actions?country=FRA,QQQ") == []
    assert_error(client.get("/api/v1/roadmap-actions?limit=101"), 422, "invalid_parameter")
    assert_error(client.get("/api/v1/roadmap-actions?cursor=nope"), 400, "invalid_cursor")


def test_roadmap_action_shape_plan_and_indicator(client):
    """An action carries its plan, priority area, timeline and indicators with the target as
    the plan states it (Uganda's NAP II: 22.8% by 4% by 2022)."""
    actions = all_actions(client, "/api/v1/roadmap-actions?country=UGA")
    target = next(a for a in actions if a["indicators"])
    assert target["plan"]["period"] == "2020/21-2024/25"
    assert target["plan"]["title"].startswith("Second National Plan of Action")
    assert target["indicators"][0]["label"] == "child labour rate (%)"
    assert target["indicators"][0]["target_text"] == "from 22.8% by 4% by 2022"
    assert target["timeline"] == "by 2022" and target["reported_by_third_party"] is True
    assert target["self_reported_status"] is None and target["independent_rating"] is None


def test_self_reported_status_is_the_latest_accepted_and_the_rating_separate(client):
    """Of an accepted change (2024), a newer accepted one (2025) and a newer proposed one
    (2026), the 2025 change is the status; the reviewer's rating is its own field."""
    action = bundled_action("PER")
    status_change(action, completion=Completion.LIMITED, as_of=dt.date(2024, 1, 1))
    status_change(action, completion=Completion.SUBSTANTIAL, as_of=dt.date(2025, 1, 1))
    status_change(
        action,
        completion=Completion.COMPLETE,
        as_of=dt.date(2026, 1, 1),
        review=ChangeReview.PROPOSED,
        evidence="Not yet accepted",
    )
    Rating.objects.create(
        action=action,
        completion=Completion.LIMITED,
        potential=Potential.MODEST,
        reason="Pilot only in two regions",
        reviewer=user("rev"),
    )
    found = next(a for a in all_actions(client) if a["id"] == action.pk)
    status = found["self_reported_status"]
    assert status["completion"] == "substantial" and status["as_of"] == "2025-01-01"
    assert status["evidence_url"] == "https://example.org/evidence" and status["accepted_at"]
    rating = found["independent_rating"]
    assert rating["completion"] == "limited" and rating["potential"] == "modest"
    assert rating["reason"] == "Pilot only in two regions"
    assert "Not yet accepted" not in str(found)


def test_returned_change_and_drafts_never_appear(client):
    """A returned change is not a status; a draft or submitted contributed action, and a live
    one marked unverified, are not listed; a published contributed action is."""
    action = bundled_action("NPL")
    status_change(
        action, completion=Completion.COMPLETE, as_of=dt.date(2025, 1, 1), review="returned"
    )
    draft_action("NPL", "Draft action text")
    draft_action("NPL", "Submitted action text", status=ReviewStatus.SUBMITTED)
    published = draft_action("NPL", "Published action text", live=True, status="published")
    actions = all_actions(client, "/api/v1/roadmap-actions?country=NPL")
    texts = [a["text"] for a in actions]
    assert "Draft action text" not in texts and "Submitted action text" not in texts
    assert "Published action text" in texts
    assert next(a for a in actions if a["id"] == action.pk)["self_reported_status"] is None
    assert next(a for a in actions if a["id"] == published.pk)["verification"] == "contributed"


# --- GCG and partners --------------------------------------------------------------------------


def test_gcg_meetings_are_the_shown_rows(client):
    """12 of the 13 meetings: the 6th meeting, whose year the sources contradict, is absent."""
    body = client.get("/api/v1/gcg-meetings").json()
    rows = csv_rows("gcg_meetings.csv")
    assert body["count"] == len(shown(rows)) == 12
    assert "amended procedure for the inclusion" not in str(body["results"])
    dates = [m["date"] for m in body["results"] if m["date"]]
    assert dates == sorted(dates)
    assert {m["verification"] for m in body["results"]} <= set(SHOWN)


def test_gcg_goals_with_target_and_public_meeting(client):
    """A goal lists its metric, target and the meeting that set it; a goal set at a meeting
    that is not public shows no meeting."""
    meeting = GCGMeeting.objects.filter(verification=Verification.VERIFIED).earliest("id")
    hidden = GCGMeeting.objects.get(verification=Verification.CONFLICTING)
    Goal.objects.create(
        key="roadmaps",
        title="Twenty roadmaps adopted",
        meeting=meeting,
        metric=GoalMetric.ROADMAPS,
        target_value=20,
        target_date=dt.date(2030, 12, 31),
    )
    Goal.objects.create(
        key="pf",
        title="More Pathfinders",
        meeting=hidden,
        metric=GoalMetric.PATHFINDERS,
        target_value=40,
        target_date=dt.date(2029, 1, 1),
    )
    body = client.get("/api/v1/gcg-goals?lang=es").json()
    assert body["count"] == Goal.objects.count() == len(body["results"])
    mine = [g for g in body["results"] if g["key"] in ("pf", "roadmaps")]
    assert [g["key"] for g in mine] == ["pf", "roadmaps"]  # by target date
    assert mine[0]["meeting"] is None
    roadmaps = mine[1]
    assert roadmaps["target_value"] == 20 and roadmaps["target_date"] == "2030-12-31"
    assert roadmaps["meeting"]["id"] == meeting.pk and roadmaps["metric"] == "roadmaps_adopted"
    # the status computed from live data (sdg87.alliance.gcg_selectors) at `as_of`
    assert roadmaps["as_of"] == timezone.localdate().isoformat()
    assert roadmaps["status"] in {s.value for s in GoalStatus} and roadmaps["status_label"]
    roadmaps_then = next(
        g
        for g in client.get("/api/v1/gcg-goals?as_of=2020-01-01").json()["results"]
        if g["key"] == "roadmaps"
    )
    assert roadmaps_then["as_of"] == "2020-01-01"
    assert roadmaps_then["current"]["value"] <= roadmaps["current"]["value"]
    assert_error(client.get("/api/v1/gcg-goals?as_of=2020-13-01"), 422, "invalid_parameter")


def test_partners_with_groups_and_pathfinder_involvement(client):
    """Organisations with an Alliance role; Action Group membership and the countries whose
    public actions name them; an organisation without a role is not a partner."""
    body = client.get("/api/v1/partners").json()
    roles = Organisation.objects.exclude(alliance87_role="")
    assert body["count"] == roles.count() > 0
    org = roles.earliest("name")
    group = ActionGroup.objects.get(slug="supply_chains")
    group.members.add(org)
    bundled_action("UGA").responsible_organisations.add(org)
    draft_action("PER", "Draft naming the org").responsible_organisations.add(org)
    found = next(
        p for p in client.get("/api/v1/partners").json()["results"] if p["slug"] == org.slug
    )
    assert found["action_groups"] == [{"slug": "supply_chains", "name": group.name}]
    assert found["pathfinder_countries"] == ["UGA"]
    assert found["alliance87_role"] == org.alliance87_role and found["alliance87_role_label"]
    plain = Organisation.objects.filter(alliance87_role="").first()
    if plain is not None:
        assert plain.slug not in {p["slug"] for p in body["results"]}


def test_openapi_documents_the_alliance_operations(client):
    """Each operation is in the document with its error responses."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/pathfinders",
        "/api/v1/pathfinders/{iso3}",
        "/api/v1/roadmap-actions",
        "/api/v1/gcg-goals",
        "/api/v1/gcg-meetings",
        "/api/v1/partners",
    ):
        responses = paths[path]["get"]["responses"]
        assert {"200", "400", "404", "422"} <= set(responses), path
