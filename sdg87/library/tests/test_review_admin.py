"""Publications in the Wagtail admin: listed with status filters, scoped to the editor's
organisations; an edit saved there goes through publication_update (audited, validated, a
published record back to draft), and a refusal is a form error with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from sdg87.catalog.models import Status
from sdg87.library.models import Publication, PublicationAuditEntry
from sdg87.library.tests.review_fixtures import *  # noqa: F403


def _form(pub: Publication, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: getattr(pub, name)
        for name in (
            "title",
            "resource_type",
            "abstract",
            "publisher_name",
            "container_title",
            "issued",
            "year",
            "language",
            "work",
            "doi",
            "handle",
            "url",
            "licence",
            "visibility",
            "publish_at",
            "embargo_until",
        )
    }
    data["isbns"] = "[]"
    data["sdg_targets"] = '["8.7"]'
    data["themes"] = list(pub.themes.values_list("pk", flat=True))
    data["geographies"] = list(pub.geographies.values_list("pk", flat=True))
    data["verified"] = "on" if pub.verified else ""
    data |= changes
    return {name: "" if value is None else value for name, value in data.items()}


@pytest.fixture
def superuser_client(rev_users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(rev_users["superuser"])
    return client


def test_edit_goes_through_the_service(draft: Publication, superuser_client: Client) -> None:
    Publication.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED, live=True)
    url = reverse("wagtailsnippets_library_publication:edit", args=[draft.pk])
    response = superuser_client.post(url, _form(draft, title="T-Rev Corrected title"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.title, draft.sdg_targets, draft.status, draft.live) == (
        "T-Rev Corrected title",
        ["8.7"],
        Status.DRAFT,
        True,
    )
    entry = PublicationAuditEntry.objects.filter(publication=draft, action="edit").get()
    assert entry.message == "title, sdg_targets"
    assert entry.from_status == Status.PUBLISHED


def test_refusal_is_a_form_error_and_nothing_is_saved(
    draft: Publication, superuser_client: Client
) -> None:
    url = reverse("wagtailsnippets_library_publication:edit", args=[draft.pk])
    response = superuser_client.post(url, _form(draft, title="T-Rev X", isbns='["123"]'))
    assert response.status_code == 200
    assert "Not a valid ISBN: 123" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "T-Rev What works against child labour in cocoa"


def test_listing_filters_by_status_and_is_scoped_to_the_editors_organisations(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    index = reverse("wagtailsnippets_library_publication:list")
    client = Client()
    client.force_login(rev_users["superuser"])
    page = client.get(index, {"status": "draft", "q": "T-Rev"}).content.decode()
    assert "T-Rev What works against child labour in cocoa" in page
    page = client.get(index, {"status": "published", "q": "T-Rev"}).content.decode()
    assert "T-Rev What works against child labour in cocoa" not in page
    other = rev_users["other"]
    other.is_staff = True
    other.save()
    other.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_publication"),
        Permission.objects.get(codename="change_publication"),
    )
    client.force_login(other)
    response = client.get(index, {"q": "T-Rev"})
    assert response.status_code == 200
    assert "T-Rev What works against child labour in cocoa" not in response.content.decode()
