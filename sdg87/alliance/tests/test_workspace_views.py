"""The workspace pages through the test client: the list and the upload form in en/fr/es,
uploads through the page (a clear error and nothing stored for a file too big, of the wrong
type by its content, an .exe renamed .pdf), a new version, propose / withdraw, the
secretariat's release and decline, the download as an attachment with nosniff, CSRF on every
POST, 403 for outsiders, a sign-in redirect for anonymous visitors, and the hub: the link for
those who may see the workspace only (also when the hub is served from the page cache) and the
released documents for everybody."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from sdg87.alliance.models import ActionGroup, Release, WorkspaceDocument, WorkspaceVersion
from sdg87.alliance.services import workspace
from sdg87.alliance.tests.workspace_fixtures import *  # noqa: F403
from sdg87.alliance.tests.workspace_fixtures import EXE, HTML, PDF, make_document, upload

pytestmark = pytest.mark.django_db

BASE = "/en/action-groups/zz-ws-group/workspace/"
HUB = "/en/action-groups/zz-ws-group/"


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _client(people: dict[str, Any], role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _no_files() -> bool:
    root = Path(settings.SDG87_PRIVATE_ROOT)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_index_in_each_language(lang: str, ws_people: dict[str, Any], group: ActionGroup) -> None:
    make_document(ws_people, group, title="Minutes of the April meeting")
    response = _client(ws_people, "editor").get(f"/{lang}/action-groups/zz-ws-group/workspace/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Minutes of the April meeting" in body
    assert 'enctype="multipart/form-data"' in body and "csrfmiddlewaretoken" in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "no-store" in response["Cache-Control"]


def test_who_reaches_the_workspace(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Members only note")
    anon = Client().get(BASE)
    assert anon.status_code == 302 and "/login/" in anon["Location"]
    assert _client(ws_people, "other").get(BASE).status_code == 403
    assert _client(ws_people, "other").get(f"{BASE}{doc.pk}/").status_code == 403
    assert _client(ws_people, "other").get(f"{BASE}999999/").status_code == 403
    member = _client(ws_people, "member").get(BASE).content.decode()
    assert "Members only note" in member and "Add a document" not in member
    secretariat = _client(ws_people, "secretariat").get(f"{BASE}{doc.pk}/")
    assert secretariat.status_code == 200
    assert _client(ws_people, "member").get(f"{BASE}999999/").status_code == 404
    assert Client().get("/en/action-groups/no-such-group/workspace/").status_code == 404


def test_upload_through_the_page(ws_people: dict[str, Any], group: ActionGroup) -> None:
    client = _client(ws_people, "editor")
    response = client.post(
        f"{BASE}new/",
        {"title": "Draft brief", "kind": "draft_output", "description": "", "file": upload(PDF)},
    )
    doc = WorkspaceDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{doc.pk}/"
    page = client.get(f"{BASE}{doc.pk}/").content.decode()
    assert "Draft brief" in page and "minutes.pdf" in page and "Members only" in page
    version = doc.versions.get()
    download = client.get(f"{BASE}files/{version.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert "sandbox" in download["Content-Security-Policy"]
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "setup.pdf", "This file is not one of the accepted types"),
        (HTML, "page.pdf", "This file is not one of the accepted types"),
        (b"plain words", "notes.pdf", "This file is not one of the accepted types"),
        (PDF + b"%" * 400, "big.pdf", "the limit is"),
    ],
    ids=["exe-renamed-pdf", "html", "text", "too-big"],
)
def test_bad_upload_through_the_page(
    content: bytes,
    name: str,
    message: str,
    settings: Any,
    ws_people: dict[str, Any],
    group: ActionGroup,
) -> None:
    """The form comes back (400) with the reason beside the file field; nothing is stored."""
    settings.SDG87_LIBRARY_MAX_UPLOAD_BYTES = 300
    response = _client(ws_people, "editor").post(
        f"{BASE}new/", {"title": "Bad", "kind": "document", "file": upload(content, name=name)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved" in body and message in body
    assert not WorkspaceDocument.objects.exists() and not WorkspaceVersion.objects.exists()
    assert _no_files()


def test_bad_version_through_the_page(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Has one version")
    response = _client(ws_people, "editor").post(
        f"{BASE}{doc.pk}/version/", {"file": upload(EXE, name="v2.pdf"), "note": "v2"}
    )
    assert response.status_code == 400
    assert "This file is not one of the accepted types" in response.content.decode()
    assert doc.versions.count() == 1
    ok = _client(ws_people, "editor").post(
        f"{BASE}{doc.pk}/version/", {"file": upload(PDF, name="v2.pdf"), "note": "v2"}
    )
    assert ok.status_code == 302 and doc.versions.count() == 2


def test_outsiders_cannot_post(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Guarded")
    other, member = _client(ws_people, "other"), _client(ws_people, "member")
    assert other.post(f"{BASE}new/", {"title": "x", "kind": "document"}).status_code == 403
    assert member.post(f"{BASE}new/", {"title": "x", "kind": "document"}).status_code == 403
    assert other.post(f"{BASE}{doc.pk}/propose/").status_code == 403
    assert member.post(f"{BASE}{doc.pk}/decide/", {"decision": "release"}).status_code == 403
    assert Client().post(f"{BASE}{doc.pk}/propose/").status_code == 403
    assert member.get(f"{BASE}{doc.pk}/propose/").status_code == 405
    doc.refresh_from_db()
    assert doc.release == Release.PRIVATE


def test_csrf_required(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="CSRF")
    client = _client(ws_people, "member", enforce_csrf_checks=True)
    assert client.post(f"{BASE}{doc.pk}/propose/").status_code == 403
    doc.refresh_from_db()
    assert doc.release == Release.PRIVATE


def test_release_through_the_pages(ws_people: dict[str, Any], group: ActionGroup) -> None:
    """A member proposes; the secretariat sees the decision form, declines without a note
    (400), declines with one, then releases after a new proposal; the hub lists it and
    everybody downloads its latest version, while its older version stays members only."""
    doc = make_document(ws_people, group, title="Guidance on fair recruitment")
    workspace.version_add(actor=ws_people["editor"], document=doc, file=upload(PDF, "v2.pdf"))
    old, latest = doc.versions.order_by("number")
    member, secretariat = _client(ws_people, "member"), _client(ws_people, "secretariat")
    assert "Propose for public release" in member.get(f"{BASE}{doc.pk}/").content.decode()
    assert member.post(f"{BASE}{doc.pk}/propose/", {"release_note": "Ready"}).status_code == 302
    page = secretariat.get(f"{BASE}{doc.pk}/").content.decode()
    assert "Release or decline" in page and "Propose for public release" not in page
    refused = secretariat.post(f"{BASE}{doc.pk}/decide/", {"decision": "decline"})
    assert refused.status_code == 400
    assert "Say why the release is declined" in refused.content.decode()
    declined = secretariat.post(
        f"{BASE}{doc.pk}/decide/", {"decision": "decline", "release_note": "Add sources."}
    )
    assert declined.status_code == 302
    assert "Add sources." in member.get(f"{BASE}{doc.pk}/").content.decode()
    member.post(f"{BASE}{doc.pk}/propose/")
    assert secretariat.post(f"{BASE}{doc.pk}/decide/", {"decision": "release"}).status_code == 302
    doc.refresh_from_db()
    assert doc.release == Release.RELEASED
    cache.clear()
    hub = Client().get(HUB).content.decode()
    assert "Guidance on fair recruitment" in hub
    assert f"{BASE}files/{latest.pk}/" in hub and f"{BASE}files/{old.pk}/" not in hub
    public = Client().get(f"{BASE}files/{latest.pk}/")
    assert public.status_code == 200 and public["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in public.get("Cache-Control", "")
    assert Client().get(f"{BASE}files/{old.pk}/").status_code == 302  # sign in first
    assert _client(ws_people, "other").get(f"{BASE}files/{old.pk}/").status_code == 404
    taken = secretariat.post(f"{BASE}{doc.pk}/take-back/", {"release_note": "Outdated."})
    assert taken.status_code == 302
    cache.clear()  # the data version is bumped on commit, which a test never reaches
    assert "Guidance on fair recruitment" not in Client().get(HUB).content.decode()
    assert _client(ws_people, "other").get(f"{BASE}files/{latest.pk}/").status_code == 404


def test_withdraw_through_the_page(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Withdrawn proposal")
    member = _client(ws_people, "member")
    member.post(f"{BASE}{doc.pk}/propose/")
    assert "Withdraw the proposal" in member.get(f"{BASE}{doc.pk}/").content.decode()
    assert member.post(f"{BASE}{doc.pk}/withdraw/").status_code == 302
    doc.refresh_from_db()
    assert doc.release == Release.PRIVATE


def test_edit_details(ws_people: dict[str, Any], group: ActionGroup) -> None:
    doc = make_document(ws_people, group, title="Before")
    editor = _client(ws_people, "editor")
    bad = editor.post(f"{BASE}{doc.pk}/edit/", {"title": "<b>x</b>", "kind": "document"})
    assert bad.status_code == 400 and "HTML tags are not accepted" in bad.content.decode()
    ok = editor.post(f"{BASE}{doc.pk}/edit/", {"title": "After", "kind": "document"})
    assert ok.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "After"


def test_hub_link_only_for_those_who_may_see(ws_people: dict[str, Any], group: ActionGroup) -> None:
    """The link appears for viewers only, whatever order the (cached) hub is asked in."""
    link = f'href="{BASE}"'
    order = ["member", "anonymous", "other", "secretariat", "anonymous", "superuser", "editor"]
    for role in order + list(reversed(order)):
        response = _client(ws_people, role).get(HUB)
        assert response.status_code == 200
        body = response.content.decode()
        assert (link in body) is (role not in ("anonymous", "other")), role
        assert "Workspace (members only)" in body or role in ("anonymous", "other")
        assert "Released documents" in body
        assert "No document of this group's workspace has been released" in body
