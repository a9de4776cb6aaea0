"""Members propose news and events from the site: a draft page in Wagtail's moderation
workflow, public only after an editor approves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import WorkflowState

from sdg87.library.pages import EventPage, NewsPage
from sdg87.library.tests.news_fixtures import (
    URLS,
    NewsWorld,
    days,
    news_world_fixture,  # noqa: F401
)
from sdg87.orgs.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]
URL = "/en/news-and-events/propose/"


def _form(world: NewsWorld, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": world.org.pk,
        "kind": "event",
        "title": "T news proposed meeting",
        "date": days(40).isoformat(),
        "place": "Lima",
        "country": world.country.pk,
        "text": "A meeting.\n\nSecond paragraph <b>bold</b>.",
        "source_url": "https://t-news-org.example/meeting",
        **extra,
    }


def test_a_member_submits_a_draft_for_moderation(news_world: NewsWorld, client: Any) -> None:
    user = get_user_model().objects.create_user("t-news-member", password="x")
    Membership.objects.create(user=user, organisation=news_world.org)
    client.force_login(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form(news_world))
    assert response.status_code == 200, response.content
    assert "Sent to the editors" in response.content.decode()
    page = EventPage.objects.get(slug="t-news-proposed-meeting")
    assert not page.live and page.organisation == news_world.org
    assert page.description == "<p>A meeting.</p><p>Second paragraph &lt;b&gt;bold&lt;/b&gt;.</p>"
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == user
    # not public anywhere while in moderation
    assert client.get("/en/events/t-news-proposed-meeting/").status_code == 404
    assert "proposed meeting" not in client.get("/en/events/").content.decode()
    # an editor approves: the page is published through the workflow
    editor = get_user_model().objects.create_superuser("t-news-editor", password="x")
    state.current_task_state.task.specific.on_action(state.current_task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live
    client.logout()
    assert client.get("/en/events/t-news-proposed-meeting/").status_code == 200


def test_only_members_may_propose(news_world: NewsWorld, client: Any) -> None:
    outsider = get_user_model().objects.create_user("t-news-outsider", password="x")
    client.force_login(outsider)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to sign in
    assert not NewsPage.objects.filter(slug__startswith="t-news-proposed").exists()


def test_a_member_cannot_post_for_another_organisation(news_world: NewsWorld, client: Any) -> None:
    from sdg87.orgs.models import Organisation, OrganisationType

    other = Organisation.objects.create(
        slug="t-news-other", name="Other", type=OrganisationType.NGO
    )
    user = get_user_model().objects.create_user("t-news-m2", password="x")
    Membership.objects.create(user=user, organisation=other)
    client.force_login(user)
    response = client.post(URL, _form(news_world))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not EventPage.objects.filter(slug="t-news-proposed-meeting").exists()
