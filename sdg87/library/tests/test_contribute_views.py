"""The contribution and review pages, and the file view, through the test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sdg87.catalog.models import Status
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.services import files
from sdg87.library.tests.review_fixtures import *  # noqa: F403
from sdg87.library.tests.review_fixtures import EXE, PDF, upload

pytestmark = pytest.mark.urls("sdg87.library.tests.contribute_test_urls")
BASE = "/en/contribute/publications/"


def _client(user: Any) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def test_contributor_creates_uploads_submits_and_editor_publishes(
    rev_org: Any, rev_users: dict[str, Any], rev_place: Any
) -> None:
    contributor = _client(rev_users["contributor"])
    response = contributor.post(
        BASE + "new/",
        {
            "publisher": rev_org.pk,
            "title": "T-Rev Lessons from a cooperative",
            "resource_type": "lessons_learned",
            "abstract": "What we learned.",
            "creators": "Mensah, Kofi, 0000-0002-1825-0097\nT-Rev Research NGO",
            "language": "en",
            "year": "2023",
            "themes": ["child_labour"],
            "geographies": "TRVZ",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    pub = Publication.objects.get(title="T-Rev Lessons from a cooperative")
    assert response["Location"] == f"{BASE}{pub.slug}/"
    assert [str(c) for c in pub.creators.order_by("position")] == [
        "Mensah, Kofi",
        "T-Rev Research NGO",
    ]
    response = contributor.post(f"{BASE}{pub.slug}/files/", {"file": upload(PDF), "title": "PDF"})
    assert response.status_code == 302
    response = contributor.post(f"{BASE}{pub.slug}/action/submit/", {"message": "ready"})
    assert response.status_code == 302

    editor = _client(rev_users["editor"])
    page = editor.get(f"{BASE}{pub.slug}/").content.decode()
    assert "Approve" in page and "Request changes" in page
    editor.post(f"{BASE}{pub.slug}/action/approve/", {})
    editor.post(f"{BASE}{pub.slug}/action/publish/", {"message": "v1"})
    pub.refresh_from_db()
    assert (pub.status, pub.live) == (Status.PUBLISHED, True)
    assert publication_public_queryset().filter(pk=pub.pk).exists()

    file = pub.files.get()
    response = Client().get(f"/en/publication-files/{file.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{pub.slug}-{file.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_form_reports_every_error_at_once(rev_org: Any, rev_users: dict[str, Any]) -> None:
    response = _client(rev_users["contributor"]).post(
        BASE + "new/",
        {
            "publisher": rev_org.pk,
            "title": "T-Rev Bad identifiers",
            "resource_type": "report",
            "creators": "Doe, Jane, 0000-0002-1825-0098",
            "doi": "not-a-doi",
            "isbns": "123",
            "language": "en",
            "geographies": "QQQ",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "4 fields need correcting" in page
    assert "Enter a DOI such as 10.1000/xyz123." in page
    assert "0000-0002-1825-0098 is not a valid ORCID iD" in page
    assert "Not a valid ISBN: 123" in page
    assert "Unknown geography codes: QQQ" in page
    assert not Publication.objects.filter(title="T-Rev Bad identifiers").exists()


def test_rejected_file_is_reported_on_the_page(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    response = _client(rev_users["contributor"]).post(
        f"{BASE}{draft.slug}/files/", {"file": upload(EXE, name="setup.pdf")}
    )
    assert response.status_code == 400
    assert "This file is not one of the accepted types" in response.content.decode()
    assert not draft.files.exists()


@pytest.mark.parametrize("who", ["other", "member"])
def test_outsiders_do_not_see_the_draft_or_its_files(
    draft: Publication, rev_users: dict[str, Any], who: str
) -> None:
    row = files.publication_file_add(
        actor=rev_users["contributor"], publication=draft, file=upload(PDF)
    )
    client = _client(rev_users[who])
    assert client.get(f"{BASE}{draft.slug}/").status_code == 404
    assert client.get(f"{BASE}{draft.slug}/edit/").status_code == 404
    assert client.post(f"{BASE}{draft.slug}/action/submit/", {}).status_code == 404
    assert client.get(f"/en/publication-files/{row.pk}/").status_code == 404
    assert Client().get(f"/en/publication-files/{row.pk}/").status_code == 404
    assert _client(rev_users["contributor"]).get(
        f"/en/publication-files/{row.pk}/"
    ).status_code == (200)


def test_anonymous_is_sent_to_sign_in(draft: Publication) -> None:
    response = Client().get(f"{BASE}{draft.slug}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unverified_record_publish_refusal_is_shown(
    draft: Publication, rev_users: dict[str, Any]
) -> None:
    Publication.objects.filter(pk=draft.pk).update(verified=False, status=Status.SUBMITTED)
    editor = _client(rev_users["editor"])
    response = editor.post(f"{BASE}{draft.slug}/action/approve/", {}, follow=True)
    assert "This record is unverified" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
