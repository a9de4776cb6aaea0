"""The workspaces' permission matrix through every interface: nothing of a members-only
document leaks, and a released one is public on the hub (see sdg87/alliance/permissions.py).

Documents are made through the services as the member organisation's editor would: one
members only, one proposed for release, one whose release was declined (each with a unique
word in its title, description and file name), and one released with two versions (only the
latest is public). Roles: anonymous, an editor of an unrelated organisation (other), a plain
member and a contributor (editor) of the member organisation, the secretariat, a superuser.

Interfaces: the workspace list, each document's page, each version's download, the /media/
URL of each stored file (and Django's static serve over MEDIA_ROOT, as DEBUG would serve it),
the group hub, the site search after a rebuild of the index (with a control word that must be
found), the Atom feeds (library, datasets, news, events, roadmap), OAI-PMH (ListRecords,
ListIdentifiers), every /api/v1 listing endpoint (with and without `q`), the CKAN search and
the sitemap (the platform has none: any answer there must not name a document).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.test import Client, RequestFactory
from django.views.static import serve

from config.api import api
from sdg87.alliance.models import ActionGroup, WorkspaceDocument
from sdg87.alliance.services import workspace
from sdg87.alliance.tests.workspace_fixtures import *  # noqa: F403
from sdg87.alliance.tests.workspace_fixtures import (
    PDF,
    VIEWERS,
    WS_ROLES,
    docx_bytes,
    make_document,
    upload,
)
from sdg87.search.indexing import index_rebuild

pytestmark = pytest.mark.django_db

BASE = "/en/action-groups/zz-ws-group/workspace/"
HUB = "/en/action-groups/zz-ws-group/"
SECRETS = ("zqleakprivate", "zqleakproposed", "zqleakreturned")
RELEASED = "zqreleasedpublic"
TITLE_TAIL = "minutes of the group"
CONTROL = "qxgroupword"  # in the public group's name: the search must find it

FEEDS = (
    "/en/library/feed/",
    "/en/datasets/feed/",
    "/en/news/feed.atom",
    "/en/events/feed.atom",
    "/en/pathfinders/feed.atom",
)
OAI = (
    {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
)
SITEMAPS = ("/sitemap.xml", "/en/sitemap.xml", "/robots.txt")


def api_listings() -> list[str]:
    """Every GET endpoint of /api/v1 without a path parameter (the listings)."""
    paths = api.get_openapi_schema()["paths"]
    return sorted(p for p, ops in paths.items() if "get" in ops and "{" not in p)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def documents(ws_people: dict[str, Any], group: ActionGroup) -> dict[str, WorkspaceDocument]:
    editor, secretariat = ws_people["editor"], ws_people["secretariat"]
    out = {word: make_document(ws_people, group, title=f"{word} {TITLE_TAIL}") for word in SECRETS}
    workspace.release_propose(actor=editor, document=out["zqleakproposed"])
    workspace.release_propose(actor=editor, document=out["zqleakreturned"])
    workspace.release_decide(
        actor=secretariat, document=out["zqleakreturned"], release=False, note="Not yet."
    )
    released = make_document(ws_people, group, title=f"{RELEASED} guidance")
    workspace.version_add(
        actor=editor, document=released, file=upload(docx_bytes(), f"{RELEASED}.docx")
    )
    workspace.release_propose(actor=editor, document=released)
    workspace.release_decide(actor=secretariat, document=released, release=True)
    out[RELEASED] = released
    for doc in out.values():
        doc.refresh_from_db()
    index_rebuild()
    return out


def _client(people: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return str(response.content.decode("utf-8", "replace")).lower()


def _leaks(text: str) -> list[str]:
    text = text.lower()
    return [word for word in SECRETS if word in text]


def _named(text: str) -> bool:
    """Does an answer to a query name a workspace document (beyond echoing the query)? The
    titles end with TITLE_TAIL and every workspace URL holds /workspace/."""
    text = text.lower()
    return TITLE_TAIL in text or "/workspace/" in text


@pytest.mark.parametrize("role", WS_ROLES)
def test_workspace_pages_and_downloads(
    role: str, ws_people: dict[str, Any], documents: dict[str, WorkspaceDocument]
) -> None:
    """Viewers see the list, every page and every version; anonymous visitors are sent to
    sign in and others refused, without a word of any document; the latest version of the
    released document is for everybody."""
    client, sees = _client(ws_people, role), role in VIEWERS
    index = client.get(BASE)
    expected = 200 if sees else 302 if role == "anonymous" else 403
    assert index.status_code == expected, "workspace list"
    assert (_leaks(_text(index)) == list(SECRETS)) is sees, "workspace list content"
    for word, doc in documents.items():
        page = client.get(f"{BASE}{doc.pk}/")
        assert page.status_code == expected, f"page {word}"
        assert (word in _text(page)) is sees, f"page content {word}"
        latest = doc.versions.order_by("-number")[0]
        for version in doc.versions.all():
            public = word == RELEASED and version.pk == latest.pk
            download = client.get(f"{BASE}files/{version.pk}/")
            want = 200 if (sees or public) else 302 if role == "anonymous" else 404
            assert download.status_code == want, f"download {word} v{version.number}"
            if want == 200:
                body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
                assert body == (PDF if version.number == 1 else docx_bytes()) or public
                assert download["X-Content-Type-Options"] == "nosniff"
            else:
                assert not _leaks(_text(download))


@pytest.mark.parametrize("role", WS_ROLES)
def test_stored_files_not_under_media(
    role: str, ws_people: dict[str, Any], documents: dict[str, WorkspaceDocument]
) -> None:
    """No stored file is under MEDIA_ROOT: /media/<name> is a 404 for everybody, and so is
    Django's static serve over MEDIA_ROOT (what config/urls.py mounts when DEBUG is on)."""
    client = _client(ws_people, role)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for doc in documents.values():
        for version in doc.versions.all():
            name = str(version.file.name)
            path = Path(version.file.path).resolve()
            assert path.is_file() and media_root not in path.parents
            assert not (media_root / name).exists()
            response = client.get(f"{settings.MEDIA_URL}{name}", follow=True)
            assert response.status_code == 404, name
            with pytest.raises(Http404):
                serve(RequestFactory().get(f"/media/{name}"), name, document_root=str(media_root))


@pytest.mark.parametrize("role", WS_ROLES)
def test_hub(role: str, ws_people: dict[str, Any], documents: dict[str, WorkspaceDocument]) -> None:
    """The hub names no private document for anybody, lists the released one with its
    latest version for everybody, and links the workspace for viewers only."""
    response = _client(ws_people, role).get(HUB)
    assert response.status_code == 200
    text = _text(response)
    assert _leaks(text) == []
    assert RELEASED in text
    latest = documents[RELEASED].versions.order_by("-number")[0]
    assert f"{BASE}files/{latest.pk}/" in text
    assert (f'href="{BASE}"' in text) is (role in VIEWERS)


@pytest.mark.parametrize("role", WS_ROLES)
def test_search_feeds_oai_api_sitemap(
    role: str, ws_people: dict[str, Any], documents: dict[str, WorkspaceDocument]
) -> None:
    """Site search (after a rebuild; the control word of the public group is found), the
    Atom feeds, OAI-PMH, every /api/v1 listing, the CKAN search and the sitemap never name a
    workspace document, whoever asks."""
    client = _client(ws_people, role)
    control = client.get("/en/search/", {"q": CONTROL})
    assert control.status_code == 200 and "zz-ws-group" in _text(control), "search control"
    for word in (*SECRETS, RELEASED):
        found = client.get("/en/search/", {"q": word})
        assert found.status_code == 200
        assert not _named(_text(found)), f"site search {word}"
        api_search = client.get("/api/v1/search", {"q": word})
        assert not _named(_text(api_search)), f"api search {word}"
    for url in FEEDS:
        feed = client.get(url)
        assert feed.status_code == 200, url
        assert _leaks(_text(feed)) == [], url
    for params in OAI:
        body = _text(client.get("/oai", params))
        assert "<oai-pmh" in body and _leaks(body) == [], params
    listings = api_listings()
    assert len(listings) >= 15 and "/api/v1/publications" in listings
    for url in listings:
        for params in ({}, {"q": SECRETS[0]}):
            response = client.get(url, params)
            assert response.status_code < 500, url
            text = _text(response)
            assert not _named(text) and (params or _leaks(text) == []), url
    ckan = client.get("/api/3/action/package_search", {"q": SECRETS[0]})
    assert not _named(_text(ckan))
    for url in SITEMAPS:
        response = client.get(url, follow=True)
        assert response.status_code == 404 or _leaks(_text(response)) == [], url
