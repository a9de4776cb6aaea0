"""The contributors' pages, and the issue's scenario end to end through them: a focal point
of Uganda adds an action and submits it, the secretariat publishes it, the focal point reports
its status with evidence, the secretariat accepts it, a reviewer rates it, the focal point
writes a reply to the TIP tier which the secretariat publishes after a review of its form;
everything then is in the public querysets (and nothing before)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sdg87.alliance import visibility
from sdg87.alliance.models import (
    ChangeReview,
    Rating,
    Reply,
    ReviewStatus,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _as(people: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def test_scenario_end_to_end_through_the_pages(people: Any, uga: Any) -> None:
    fp, sec, rev = _as(people, "focal_point"), _as(people, "secretariat"), _as(people, "reviewer")

    page = fp.get("/en/pathfinders/UGA/manage/")
    assert page.status_code == 200
    form = fp.get("/en/pathfinders/uga/manage/actions/new/")
    assert form.status_code == 200 and b"csrfmiddlewaretoken" in form.content
    response = fp.post(
        "/en/pathfinders/UGA/manage/actions/new/",
        {
            "plan_title": "NAP II",
            "priority_area": "Prevention",
            "text": "Train 200 district labour officers in child labour inspection",
            "responsible_body": "Ministry of Gender, Labour and Social Development",
            "start_date": "2025-01-01",
            "end_date": "2026-06-30",
            "budget_amount": "150000",
            "budget_currency": "USD",
            "funding": "partly_funded",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = RoadmapAction.objects.get(verification=Verification.CONTRIBUTED)
    assert action.key == f"uga-p{action.pk}"
    assert not visibility.public_actions().filter(pk=action.pk).exists()  # a draft
    manage = fp.get("/en/pathfinders/UGA/manage/").content.decode()
    assert action.key in manage and "Submit for review" in manage

    base = f"/en/pathfinders/UGA/manage/actions/{action.pk}"
    assert fp.post(f"{base}/submit/", {"message": "ready"}).status_code == 302
    queue = sec.get("/en/pathfinders/review/").content.decode()
    assert action.key in queue
    assert sec.post(f"{base}/publish/", {"back": "review"})["Location"].endswith(
        "/pathfinders/review/"
    )
    action.refresh_from_db()
    assert action.status == ReviewStatus.PUBLISHED and action.live
    assert visibility.public_actions().filter(pk=action.pk).exists()

    response = fp.post(
        f"{base}/status/",
        {
            "completion": "substantial",
            "as_of": "2025-06-30",
            "evidence": "Inspectorate report: 140 of 200 officers trained.",
            "evidence_url": "https://example.org/inspectorate-2025.pdf",
        },
    )
    assert response.status_code == 302
    change = StatusChange.objects.get(action=action)
    assert not visibility.public_status_changes().filter(pk=change.pk).exists()
    assert sec.post(f"/en/pathfinders/status-changes/{change.pk}/accept/", {}).status_code == 302
    change.refresh_from_db()
    assert change.review == ChangeReview.ACCEPTED
    assert visibility.public_status_changes().filter(pk=change.pk).exists()

    assert action.key in rev.get("/en/pathfinders/rate/").content.decode()
    response = rev.post(
        f"/en/pathfinders/rate/{action.pk}/",
        {"completion": "limited", "potential": "modest", "reason": "Only 3 of 12 districts."},
    )
    assert response.status_code == 302
    rating = Rating.objects.get(action=action)
    assert visibility.public_ratings().filter(pk=rating.pk).exists()

    response = fp.post(
        "/en/pathfinders/UGA/manage/replies/new/",
        {
            "subject": "tip_tier",
            "subject_ref": "2024",
            "title": "Response of the Government of Uganda to the 2024 TIP Report",
            "text": "Uganda has strengthened its labour inspection since 2023.",
        },
    )
    assert response.status_code == 302
    reply = Reply.objects.get(country=uga)
    assert not visibility.public_replies().filter(pk=reply.pk).exists()
    rbase = f"/en/pathfinders/UGA/manage/replies/{reply.pk}"
    assert fp.post(f"{rbase}/submit/", {}).status_code == 302
    assert fp.post(f"{rbase}/publish/", {}).status_code == 403  # not its own reviewer
    assert "Submitted replies" in sec.get("/en/pathfinders/review/").content.decode()
    assert sec.post(f"{rbase}/publish/", {"back": "review"}).status_code == 302
    reply.refresh_from_db()
    assert reply.live and reply.published_at is not None and reply.versions.count() == 1
    public = visibility.public_replies().get(pk=reply.pk)
    assert public.subject == "tip_tier" and public.subject_ref == "2024"

    history = fp.get("/en/pathfinders/UGA/manage/").content.decode()
    for word in ("publish", "accept", "submit"):
        assert word in history


def test_reply_to_a_rating_is_chosen_from_the_countrys_ratings(
    people: Any, uga: Any, bundled_action: Any
) -> None:
    from sdg87.alliance.services import ratings

    rating = ratings.rating_create(
        actor=people["reviewer"],
        action=bundled_action,
        completion="limited",
        potential="modest",
        reason="Little evidence.",
    )
    fp = _as(people, "focal_point")
    form = fp.get("/en/pathfinders/UGA/manage/replies/new/").content.decode()
    assert f'value="{rating.pk}"' in form
    missing = fp.post(
        "/en/pathfinders/UGA/manage/replies/new/",
        {"subject": "rating", "title": "On the rating", "text": "We disagree."},
    )
    assert missing.status_code == 400
    ok = fp.post(
        "/en/pathfinders/UGA/manage/replies/new/",
        {"subject": "rating", "rating": str(rating.pk), "title": "On the rating", "text": "No."},
    )
    assert ok.status_code == 302
    assert Reply.objects.get().subject_ref == str(rating.pk)


def test_form_errors_are_shown_and_nothing_saved(people: Any, uga: Any) -> None:
    fp = _as(people, "focal_point")
    response = fp.post(
        "/en/pathfinders/UGA/manage/actions/new/",
        {"priority_area": "P", "text": "<script>alert(1)</script>", "budget_currency": "US"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "plain text" in body and "three-letter" in body
    assert "<script>alert(1)</script>" not in body
    assert not RoadmapAction.objects.filter(verification=Verification.CONTRIBUTED).exists()


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_pages_answer_in_french_and_spanish(people: Any, uga: Any, lang: str) -> None:
    fp = _as(people, "focal_point")
    assert fp.get(f"/{lang}/pathfinders/UGA/manage/").status_code == 200
    assert fp.get(f"/{lang}/pathfinders/UGA/manage/replies/new/").status_code == 200


def test_anonymous_is_sent_to_the_login_page(people: Any, uga: Any) -> None:
    for url in (
        "/en/pathfinders/UGA/manage/",
        "/en/pathfinders/review/",
        "/en/pathfinders/rate/",
        "/en/pathfinders/UGA/manage/replies/new/",
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("other_focal_point", "/en/pathfinders/UGA/manage/", 403),
        ("reviewer", "/en/pathfinders/UGA/manage/", 403),
        ("secretariat", "/en/pathfinders/UGA/manage/", 200),
        ("superuser", "/en/pathfinders/UGA/manage/", 200),
        ("focal_point", "/en/pathfinders/review/", 403),
        ("reviewer", "/en/pathfinders/review/", 403),
        ("secretariat", "/en/pathfinders/review/", 200),
        ("focal_point", "/en/pathfinders/rate/", 403),
        ("secretariat", "/en/pathfinders/rate/", 403),
        ("reviewer", "/en/pathfinders/rate/", 200),
        ("secretariat", "/en/pathfinders/UGA/manage/actions/new/", 403),
        ("secretariat", "/en/pathfinders/UGA/manage/replies/new/", 403),
        ("focal_point", "/en/pathfinders/ZZQ/manage/", 404),
    ],
)
def test_who_reaches_which_page(people: Any, uga: Any, role: str, url: str, status: int) -> None:
    assert _as(people, role).get(url).status_code == status


def test_a_focal_point_of_the_country_cannot_open_its_actions_rating_page(
    people: Any, bundled_action: Any, uga: Any
) -> None:
    from sdg87.alliance.models import RoleName
    from sdg87.alliance.services import roles

    roles.alliance_role_grant(
        actor=None, user=people["reviewer"], role=RoleName.FOCAL_POINT, country=uga
    )
    rev = _as(people, "reviewer")
    assert bundled_action.key not in rev.get("/en/pathfinders/rate/").content.decode()
    assert rev.get(f"/en/pathfinders/rate/{bundled_action.pk}/").status_code == 403
