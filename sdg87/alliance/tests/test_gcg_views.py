"""The GCG page on the bundled data: meetings (verified only, approximate dates marked),
counts one table per measure, goals at ?as_of=, published assessments, and the
secretariat's publish form (POST refused to everyone else)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from sdg87.alliance.models import AllianceRole, GCGMeeting, GoalAssessment, RoleName
from sdg87.alliance.services.goals import goal_assessment_publish


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _get(client: Client, query: str = "", lang: str = "en") -> str:
    with translation.override(lang):
        response = client.get(f"/{lang}/gcg/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _secretariat():
    user = get_user_model().objects.create_user("sec")
    AllianceRole.objects.create(user=user, role=RoleName.SECRETARIAT)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_page_in_every_language(client: Client, bundled_data: None, lang: str) -> None:
    html = _get(client, lang=lang)
    assert (
        "https://readkong.com/page/briefing-pack-for-the-7th-meeting-of-the-global-1704417" in html
    )
    assert "End child labour in all its forms by 2025" in html


@pytest.mark.django_db
def test_meetings_verified_only_and_approximate_marked(client: Client, bundled_data: None) -> None:
    html = _get(client)
    assert "Chaired by Anousheh Karvar" in html  # 7th meeting, verified
    assert "amended procedure for the inclusion" not in html  # 6th, sources conflict
    assert "Wilton Park" not in html  # unverified
    assert "December 2022 (approximate)" in html
    assert html.index("Official launch of Alliance 8.7") < html.index("Chaired by Anousheh Karvar")
    assert "It was adopted by Delegates at the 5th Global Conference" in html  # a quote


@pytest.mark.django_db
def test_counts_one_table_per_measure(client: Client, bundled_data: None) -> None:
    html = _get(client)
    assert html.count('<caption id="counts-') == len(
        {
            "pathfinder_countries",
            "partner_organisations",
            "pathfinder_countries_committed",
            "pathfinder_countries_started_process",
            "pathfinder_countries_expressed_interest",
            "pathfinder_countries_implementing",
            "pathfinder_countries_initial_group",
        }
    )
    assert "20+" in html and "https://alliance87.org/action" in html


@pytest.mark.django_db
def test_goal_status_at_a_date(client: Client, bundled_data: None) -> None:
    html = _get(client, "?as_of=2021-06-10")
    assert "Status: deterioration" in html
    assert "160.0" in html and "151.6" in html
    assert 'value="2021-06-10"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["yesterday", "2014-12-31", "2999-01-01"])
def test_bad_date_falls_back_to_today_with_a_message(
    client: Client, bundled_data: None, value: str
) -> None:
    html = _get(client, f"?as_of={value}")
    assert 'role="alert"' in html
    assert "showing today" in html


@pytest.mark.django_db
def test_published_assessment_shown_as_it_was(client: Client, bundled_data: None) -> None:
    meeting = GCGMeeting.objects.get(number=9)
    goal_assessment_publish(actor=_secretariat(), meeting=meeting, as_of=date(2021, 6, 10))
    html = _get(client)
    assert "No assessment has been published yet" not in html
    assert "Assessment as at June 10, 2021" in html
    assert "Meeting no. 9" in html
    published = html[html.index('id="assessments"') : html.index('id="meetings-heading"')]
    assert "deterioration" in published and "160" in published


@pytest.mark.django_db
def test_publish_form_only_for_the_secretariat(client: Client, bundled_data: None) -> None:
    assert "Publish the assessment" not in _get(client)
    response = client.post("/en/gcg/", {"as_of": "2025-06-01"})
    assert response.status_code == 403
    client.force_login(get_user_model().objects.create_user("plain"))
    assert client.post("/en/gcg/", {"as_of": "2025-06-01"}).status_code == 403
    assert not GoalAssessment.objects.exists()


@pytest.mark.django_db
def test_secretariat_publishes_from_the_page(client: Client, bundled_data: None) -> None:
    client.force_login(_secretariat())
    assert "Publish the assessment" in _get(client)
    meeting = GCGMeeting.objects.get(number=9)
    response = client.post("/en/gcg/", {"as_of": "2025-06-01", "meeting": str(meeting.pk)})
    assert response.status_code == 302
    assessment = GoalAssessment.objects.get()
    assert (assessment.as_of, assessment.meeting) == (date(2025, 6, 1), meeting)
    response = client.post("/en/gcg/", {"as_of": "2025-06-01", "meeting": "999999"})
    assert response.status_code == 302
    assert GoalAssessment.objects.count() == 1


@pytest.mark.django_db
def test_goal_quote_beside_its_source(client: Client, bundled_data: None) -> None:
    """Each goal shows its source's verbatim quote (Goal.quote) beside the source link."""
    html = _get(client)
    assert '<blockquote class="goal-quote">' in html
    assert "by 2025 end child labour in all its forms" in html
    assert "https://unstats.un.org/sdgs/metadata/?Text=&amp;Goal=8&amp;Target=8.7" in html
