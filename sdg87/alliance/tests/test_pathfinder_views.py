"""The public Pathfinder pages, through the test client on the real bundled data."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from sdg87.alliance.models import (
    ChangeReview,
    Completion,
    Milestone,
    PathfinderCountry,
    Potential,
    Rating,
    Reply,
    ReplySubject,
    ReviewStatus,
    RoadmapAction,
    StatusChange,
    Verification,
)
from sdg87.alliance.pathfinder_views import source_host

pytestmark = pytest.mark.django_db

SHOWN = ["verified", "verified_secondary", "verified_approx"]


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    """Pages are cached per URL: each test sees the database as it left it."""
    cache.clear()
    yield
    cache.clear()


def _text(response: Any) -> str:
    """The page's main content as plain text."""
    html = response.content.decode()
    main = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def _csv(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_source_host_names_the_publisher() -> None:
    assert source_host("https://www.ilo.org/africa/x") == "ilo.org"
    assert (
        source_host("https://github.com/USDepartmentofLabor/Child-Labor-Android/blob/x.xml")
        == "US Department of Labor (ILAB)"
    )
    assert source_host("") == ""


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_index_renders_in_each_language(client: Client, bundled_data: None, lang: str) -> None:
    """The table lists every public Pathfinder Country, linked to its page, in the page's
    language, with the main navigation's link to the Alliance 8.7 pages."""
    response = client.get(f"/{lang}/pathfinders/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert f'href="/{lang}/pathfinders/UGA/"' in html
    assert f'<a href="/{lang}/alliance/">' in html  # main navigation
    rows = html.count('<th scope="row"><a href="/' + lang + "/pathfinders/")
    assert rows == PathfinderCountry.objects.filter(verification__in=SHOWN).count()


def test_index_sorts_by_links(client: Client, bundled_data: None) -> None:
    """?sort=milestones&dir=desc puts Sri Lanka (12 verified milestones) first; the column
    heading says so with aria-sort and links to the other direction."""
    html = client.get("/en/pathfinders/?sort=milestones&dir=desc").content.decode()
    first = re.search(r'<th scope="row"><a href="/en/pathfinders/([A-Z]{3})/"', html)
    assert first is not None and first.group(1) == "LKA"
    assert 'aria-sort="descending"><a href="?sort=milestones&amp;dir=asc"' in html
    html = client.get("/en/pathfinders/?sort=country&dir=desc").content.decode()
    order = re.findall(r'<th scope="row"><a href="/en/pathfinders/([A-Z]{3})/"', html)
    assert order[0] == "VNM" and order[-1] == "ALB"


def test_index_empty_cells_say_not_reported(client: Client, bundled_data: None) -> None:
    """France has no verified milestone, no roadmap action and no 8.7.1 figure here."""
    html = client.get("/en/pathfinders/").content.decode()
    row = re.search(r'<tr>\s*<th scope="row"><a href="/en/pathfinders/FRA/".*?</tr>', html, re.S)
    assert row is not None
    assert row.group(0).count("not reported") >= 3


def test_csv_has_one_row_per_public_pathfinder(client: Client, bundled_data: None) -> None:
    """Both CSV addresses give exactly one row per public Pathfinder Country with its counts;
    Uganda: 7 milestones, 8 actions, 8.7.1 13.2 in 2017 (ages 5-17), limited progress."""
    public = set(
        PathfinderCountry.objects.filter(verification__in=SHOWN).values_list(
            "country__iso3", flat=True
        )
    )
    for url in ("/en/pathfinders/?format=csv", "/en/pathfinders.csv"):
        rows = _csv(client, url)
        assert len(rows) == len(public)
        assert {r["iso3"] for r in rows} == public
    uga = next(r for r in _csv(client, "/en/pathfinders.csv") if r["iso3"] == "UGA")
    assert (uga["milestones"], uga["roadmap_actions"]) == ("7", "8")
    assert (uga["sdg871_value"], uga["sdg871_year"], uga["sdg871_age"]) == ("13.2", "2017", "Y5T17")
    assert uga["sdg871_category"] == "limited_progress"
    assert uga["share_substantial_or_complete"] == ""  # nothing reported is not 0 %
    sorted_rows = _csv(client, "/en/pathfinders.csv?sort=milestones&dir=desc")
    assert sorted_rows[0]["iso3"] == "LKA"


def test_csv_cells_cannot_run_as_formulas(client: Client, bundled_data: None) -> None:
    """A milestone title starting with '=' is written with a leading quote."""
    latest = (
        Milestone.objects.filter(country__iso3="UGA", verification__in=SHOWN)
        .order_by("-date")
        .first()
    )
    assert latest is not None
    Milestone.objects.filter(pk=latest.pk).update(title='=HYPERLINK("http://x","y")')
    uga = next(r for r in _csv(client, "/en/pathfinders.csv") if r["iso3"] == "UGA")
    assert uga["latest_milestone"].startswith("'=")


def test_uganda_page_shows_nap_ii_with_quotes(client: Client, bundled_data: None) -> None:
    """Uganda's page: NAP II and its actions with their verbatim quotes in <details>, the
    third-party reports marked, no unverified milestone, and the 8.7.1 trend with its
    Open SDG category."""
    response = client.get("/en/pathfinders/UGA/")
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    assert "Second National Plan of Action for the Elimination of Child Labour (NAP II)" in text
    for action in RoadmapAction.objects.filter(plan__country__iso3="UGA"):
        assert action.text in text
    quote = RoadmapAction.objects.get(key="uga-2").quote
    assert "<details><summary>What the source says</summary><blockquote>" in html
    assert quote.replace('"', "&quot;") in html
    assert "Reported by a third party (eclt.org)" in text
    unverified = Milestone.objects.get(country__iso3="UGA", verification="unverified")
    assert unverified.title not in text
    assert "Limited progress" in text
    assert "13.2%" in text


def test_unverified_action_never_appears(client: Client, bundled_data: None) -> None:
    """The one unverified row of roadmap_actions.csv (Malawi) is on no page and in no CSV."""
    action = RoadmapAction.objects.get(verification=Verification.UNVERIFIED)
    country = action.plan.country.iso3
    for url in (f"/en/pathfinders/{country}/", "/en/pathfinders/"):
        assert action.text not in _text(client.get(url))
        assert action.quote not in client.get(url).content.decode()
    mwi = next(r for r in _csv(client, "/en/pathfinders.csv") if r["iso3"] == country)
    assert mwi["roadmap_actions"] == "1"


def test_conflicting_milestone_never_appears(client: Client, bundled_data: None) -> None:
    conflicting = Milestone.objects.get(verification=Verification.CONFLICTING)
    page = _text(client.get(f"/en/pathfinders/{conflicting.country.iso3}/"))
    assert conflicting.title not in page


def test_approximate_dates_are_marked(client: Client, bundled_data: None) -> None:
    """Viet Nam's approximate milestones show their date as approximate (in each language)."""
    approx = Milestone.objects.filter(country__iso3="VNM", verification="verified_approx")
    assert approx.exists()
    text = _text(client.get("/en/pathfinders/VNM/"))
    for m in approx:
        assert m.title in text
    assert "2016 (approximate)" in text
    assert text.count("(approximate)") == approx.count() == 4  # and no exact date marked


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_detail_renders_in_french_and_spanish(
    client: Client, bundled_data: None, lang: str
) -> None:
    response = client.get(f"/{lang}/pathfinders/PER/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert f'href="/{lang}/countries/PER/"' in html
    assert "Estrategia Nacional para la Prevención y Erradicación del Trabajo Infantil" in html


def test_404_for_a_country_that_is_not_a_public_pathfinder(
    client: Client, bundled_data: None
) -> None:
    assert client.get("/en/pathfinders/XXX/").status_code == 404
    assert client.get("/en/pathfinders/GBR/").status_code == 404
    PathfinderCountry.objects.filter(country__iso3="KEN").update(
        verification=Verification.UNVERIFIED
    )
    assert client.get("/en/pathfinders/KEN/").status_code == 404
    rows = _csv(client, "/en/pathfinders.csv")
    assert "KEN" not in {r["iso3"] for r in rows}


def test_lower_case_code_redirects(client: Client, bundled_data: None) -> None:
    response = client.get("/en/pathfinders/uga/")
    assert response.status_code == 302
    assert response["Location"] == "/en/pathfinders/UGA/"


def test_empty_state_says_who_can_add(client: Client, bundled_data: None) -> None:
    """Brazil: nothing verified — the page says so and who can add it."""
    text = _text(client.get("/en/pathfinders/BRA/"))
    assert "Nothing has been verified yet about Brazil" in text
    assert "focal points can add them" in text
    assert "No roadmap action of Brazil has been verified or published yet" in text


def test_status_and_rating_side_by_side_with_reply(client: Client, bundled_data: None) -> None:
    """An accepted status, its evidence link, the independent rating with its reason and the
    government's reply to it are all on the page; a proposed status is not."""
    user_model = get_user_model()
    fp = user_model.objects.create_user("fp", "fp@example.org", "pw-fp")
    action = RoadmapAction.objects.get(key="uga-4")
    StatusChange.objects.create(
        action=action,
        completion=Completion.SUBSTANTIAL,
        as_of=date(2024, 5, 1),
        evidence="Minutes of four NSC meetings",
        evidence_url="https://example.org/nsc-minutes",
        review=ChangeReview.ACCEPTED,
        proposed_by=fp,
    )
    StatusChange.objects.create(
        action=action,
        completion=Completion.COMPLETE,
        as_of=date(2024, 9, 1),
        evidence="Proposal not yet accepted",
        review=ChangeReview.PROPOSED,
        proposed_by=fp,
    )
    rating = Rating.objects.create(
        action=action,
        completion=Completion.LIMITED,
        potential=Potential.SUBSTANTIAL,
        reason="Only two meetings had minutes available.",
        reviewer=user_model.objects.create_user("rev", "rev@example.org", "pw-rev"),
    )
    Reply.objects.create(
        country=action.plan.country,
        subject=ReplySubject.RATING,
        subject_ref=str(rating.pk),
        title="The Ministry's response",
        text="All four sets of minutes are filed.",
        status=ReviewStatus.PUBLISHED,
        live=True,
        published_at=timezone.now(),
    )
    html = client.get("/en/pathfinders/UGA/").content.decode()
    block = html[html.index('id="action-uga-4"') :]
    block = block[: block.index("</article>")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))
    assert "Reported by the country" in text and "Independent rating" in text
    assert "substantial" in text and "Minutes of four NSC meetings" in text
    assert 'href="https://example.org/nsc-minutes"' in block
    assert "Only two meetings had minutes available." in text
    assert "All four sets of minutes are filed." in text
    assert "Proposal not yet accepted" not in html


def test_country_profile_links_to_the_pathfinder_page(client: Client, bundled_data: None) -> None:
    html = client.get("/en/countries/UGA/").content.decode()
    assert 'href="/en/pathfinders/UGA/"' in html
