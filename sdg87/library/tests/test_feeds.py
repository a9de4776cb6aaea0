"""The Atom feeds of new publications and new datasets: valid Atom, newest first, filtered,
public records only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from sdg87.catalog.tests.mini_catalog import MiniCatalog
from sdg87.library import feeds
from sdg87.library.tests.library_fixtures import *  # noqa: F403
from sdg87.library.tests.library_fixtures import HIDDEN, LibraryFixture, make_pub

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client: Any, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title") is not None and root.find(f"{ATOM}updated") is not None
    return [
        {
            "title": e.findtext(f"{ATOM}title") or "",
            "link": e.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]
            "id": e.findtext(f"{ATOM}id") or "",
            "published": e.findtext(f"{ATOM}published") or "",
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_publication_feed_is_atom_newest_first_and_public_only(
    client: Any, lib: LibraryFixture
) -> None:
    """The organisation's four public records, the most recently published first (d was
    published 2 days ago, a 5); the hidden ones, published 'now', are not there."""
    items = entries(client, "/en/library/feed/?organisation=t-lib-org")
    assert [i["title"] for i in items] == [
        "T-Lib t-lib-d title",
        "T-Lib t-lib-c title",
        "T-Lib t-lib-b title",
        "T-Lib t-lib-a title",
    ]
    assert items[0]["link"] == "http://testserver/en/library/t-lib-d/"
    assert items[0]["id"] == "http://testserver/en/library/t-lib-d/"
    everything = client.get("/en/library/feed/").content.decode()
    for slug in HIDDEN:
        assert slug not in everything


def test_publication_feed_filters(client: Any, lib: LibraryFixture) -> None:
    def titles(query: str) -> list[str]:
        return [i["title"] for i in entries(client, "/fr/library/feed/?" + query)]

    assert titles("organisation=t-lib-org&type=policy_brief") == ["T-Lib t-lib-c title"]
    assert titles("country=QZB") == ["T-Lib t-lib-c title", "T-Lib t-lib-b title"]
    assert titles("organisation=t-lib-org&theme=forced_labour&country=QZA") == [
        "T-Lib t-lib-b title"
    ]
    assert entries(client, "/fr/library/feed/?country=QZB")[0]["link"].endswith(
        "/fr/library/t-lib-c/"
    )


def test_publication_feed_is_bounded(client: Any, lib: LibraryFixture, monkeypatch: Any) -> None:
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    for n in range(3):
        make_pub(f"t-lib-f{n}", lib.org2)
    assert len(entries(client, "/en/library/feed/?organisation=t-lib-org2")) == 2


def test_dataset_feed_lists_public_datasets_only(client: Any, mini_catalog: MiniCatalog) -> None:
    """The mini catalogue's public and metadata-only datasets (both listed publicly); not
    its organisation-only dataset nor its draft."""
    items = entries(client, "/en/datasets/feed/?organisation=zz-test-ministry")
    assert sorted(i["link"] for i in items) == [
        "http://testserver/en/datasets/zz-metadata-only/",
        "http://testserver/en/datasets/zz-public/",
    ]
    assert entries(client, "/en/datasets/feed/?organisation=zz-other-ngo") == []
