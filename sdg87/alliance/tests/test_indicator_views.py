"""Linking a series to a roadmap action through the pages: the focal point's form, the
secretariat's queue, and the per-action trend on the public accountability view (published
figures only, baseline and target marked, the table behind the chart, the source links)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sdg87.alliance.models import ActionIndicator, ChangeReview
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.alliance.tests.indicator_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _as(people: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


FORM = {
    "series": "",
    "label": "Share of children in hazardous work",
    "baseline_year": "2017",
    "baseline_value": "15",
    "target_year": "2030",
    "target_value": "5",
    "source_url": "https://example.org/uganda-nap",
}


def test_link_through_the_pages_then_public_trend(
    bundled_data: None,
    people: Any,
    bundled_action: Any,
    test_series: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    fp, sec = _as(people, "focal_point"), _as(people, "secretariat")
    url = f"/en/pathfinders/UGA/manage/actions/{bundled_action.pk}/indicators/new/"
    form = fp.get(url)
    assert form.status_code == 200 and b"ZZ_CL_TEST" in form.content
    assert "Link an indicator" in fp.get("/en/pathfinders/UGA/manage/").content.decode()

    bad = fp.post(url, {**FORM, "series": test_series.pk, "target_year": "2010"})
    assert bad.status_code == 400 and b"Nothing was saved" in bad.content
    assert not ActionIndicator.objects.filter(action=bundled_action).exists()

    assert fp.post(url, {**FORM, "series": test_series.pk}).status_code == 302
    link = ActionIndicator.objects.get(action=bundled_action)
    assert link.review == ChangeReview.PROPOSED

    public = Client().get("/en/pathfinders/UGA/").content.decode()
    assert 'id="trend-zz-uga-test-1-zz_cl_test"' not in public  # not before acceptance

    queue = sec.get("/en/pathfinders/review/").content.decode()
    assert "ZZ_CL_TEST" in queue
    with django_capture_on_commit_callbacks(execute=True):  # the page cache's version bump
        done = sec.post(f"/en/pathfinders/indicator-links/{link.pk}/accept/", {"back": "review"})
    assert done["Location"].endswith("/pathfinders/review/")
    link.refresh_from_db()
    assert link.review == ChangeReview.ACCEPTED

    page = Client().get("/en/pathfinders/UGA/")
    html = page.content.decode()
    assert 'id="trend-zz-uga-test-1-zz_cl_test"' in html
    assert "<svg" in html
    # The table behind the chart: both published figures, the baseline and the target.
    for text in ("20.0%", "15.0%", "5.0%", "Baseline (national roadmap)", "National target"):
        assert text in html, text
    # Never the figure of a release that is not public.
    assert "99.0" not in html
    # Sources: the release of the figures and the plan of the baseline and target.
    assert "https://example.org/zz-survey/2018" in html
    assert "https://example.org/uganda-nap" in html
    # Falls 1 point a year (20 -> 15, 2012-2017); 10 points in 13 years needed: on track.
    assert "Against the national target (5.0 by 2030):" in html
    assert "On track" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("other_focal_point", 403), ("reviewer", 403), ("secretariat", 403)],
)
def test_only_the_focal_point_reaches_the_form(
    people: Any, bundled_action: Any, test_series: Any, role: str, status: int
) -> None:
    url = f"/en/pathfinders/UGA/manage/actions/{bundled_action.pk}/indicators/new/"
    assert _as(people, role).get(url).status_code == status
    assert _as(people, role).post(url, {**FORM, "series": test_series.pk}).status_code == status
    assert not ActionIndicator.objects.filter(action=bundled_action).exists()


def test_only_the_secretariat_decides_through_the_page(
    people: Any, bundled_action: Any, test_series: Any
) -> None:
    fp = _as(people, "focal_point")
    url = f"/en/pathfinders/UGA/manage/actions/{bundled_action.pk}/indicators/new/"
    fp.post(url, {**FORM, "series": test_series.pk})
    link = ActionIndicator.objects.get(action=bundled_action)
    assert fp.post(f"/en/pathfinders/indicator-links/{link.pk}/accept/").status_code == 403
    assert fp.get(f"/en/pathfinders/indicator-links/{link.pk}/accept/").status_code == 405
    link.refresh_from_db()
    assert link.review == ChangeReview.PROPOSED


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_form_renders_in_each_language(
    people: Any, bundled_action: Any, test_series: Any, lang: str
) -> None:
    url = f"/{lang}/pathfinders/UGA/manage/actions/{bundled_action.pk}/indicators/new/"
    assert _as(people, "focal_point").get(url).status_code == 200
