"""/api/v1/publications: filters, keyset pagination, CSV, the detail, the error shape, and no
record the public may not see."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from sdg87.library.tests.library_fixtures import *  # noqa: F403
from sdg87.library.tests.library_fixtures import HIDDEN, LibraryFixture

pytestmark = pytest.mark.django_db
API = "/api/v1/publications"


def slugs(client: Any, query: str) -> list[str]:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, response.content
    return [r["slug"] for r in response.json()["results"]]


def test_filters(client: Any, lib: LibraryFixture) -> None:
    """The page's filters (OR within one, AND across), a year range and title text."""
    org = "organisation=t-lib-org"
    assert slugs(client, org) == ["t-lib-a", "t-lib-b", "t-lib-c", "t-lib-d"]
    assert slugs(client, f"{org}&type=report&type=policy_brief") == [
        "t-lib-a",
        "t-lib-b",
        "t-lib-c",
    ]
    assert slugs(client, "country=QZA,QZB&theme=forced_labour") == ["t-lib-b", "t-lib-c"]
    assert slugs(client, "country=qza") == ["t-lib-a", "t-lib-b", "t-lib-e"]
    assert slugs(client, f"{org}&year_from=2020&year_to=2020") == ["t-lib-a"]
    assert slugs(client, f"{org}&year_from=2021") == ["t-lib-b", "t-lib-c"]
    assert slugs(client, "language=fr&organisation=t-lib-org&organisation=t-lib-org2") == [
        "t-lib-b"
    ]
    assert slugs(client, "q=T-LIB-E") == ["t-lib-e"]


def test_keyset_pages_follow_next_to_the_end(client: Any, lib: LibraryFixture) -> None:
    first = client.get(f"{API}?organisation=t-lib-org&limit=3").json()
    assert [r["slug"] for r in first["results"]] == ["t-lib-a", "t-lib-b", "t-lib-c"]
    assert first["next"].startswith("http://testserver/api/v1/publications?")
    second = client.get(first["next"]).json()
    assert [r["slug"] for r in second["results"]] == ["t-lib-d"]
    assert second["next"] is None


def test_record_fields(client: Any, lib: LibraryFixture) -> None:
    """Creators with their ORCID, identifiers, links (the publisher's page, or the copy when
    none is known), public editions only, evidence codings."""
    results = {r["slug"]: r for r in client.get(f"{API}?organisation=t-lib-org").json()["results"]}
    a, d = results["t-lib-a"], results["t-lib-d"]
    person = {"family": "Doe", "given": "Jane", "name": "", "orcid": "0000-0002-1825-0097"}
    office = {"family": "", "given": "", "name": "T-Lib Research Office", "orcid": ""}
    assert a["creators"] == [{"kind": "person", **person}, {"kind": "organisation", **office}]
    assert a["publisher"] == {"slug": "t-lib-org", "name": "T-Lib Research Office", "acronym": ""}
    assert a["themes"] == ["child_labour"] and a["countries"] == ["QZA"]
    assert a["links"]["page"] == "http://testserver/en/library/t-lib-a/"
    assert a["links"]["publisher_page"] == "https://example.org/t-lib-a"
    assert a["links"]["copy_found_at"] == ""
    assert [e["slug"] for e in a["editions"]] == ["t-lib-b"]  # not the draft edition
    assert a["identifiers"] == {"doi": "", "isbns": [], "handle": ""}
    assert d["links"]["publisher_page"] == ""
    assert d["links"]["copy_found_at"] == "https://www.docslib.org/doc/t-lib-d"
    assert d["evidence"] == [
        {
            "intervention": "cash_transfers",
            "outcome": "child_labour_incidence",
            "design": "rct",
            "direction": "reduced",
            "finding_quote": "Child labour fell by a tenth.",
        }
    ]


def test_csv_streams_every_match(client: Any, lib: LibraryFixture) -> None:
    response = client.get(f"{API}?organisation=t-lib-org&format=csv&limit=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["slug"] for r in rows] == ["t-lib-a", "t-lib-b", "t-lib-c", "t-lib-d"]
    assert rows[0]["authors"] == "Doe, Jane; T-Lib Research Office"
    assert rows[0]["orcids"] == "0000-0002-1825-0097"
    assert rows[1]["countries"] == "QZA; QZB"
    assert rows[3]["evidence"] == "cash_transfers>child_labour_incidence:rct:reduced"


def test_detail_and_errors(client: Any, lib: LibraryFixture) -> None:
    detail = client.get(f"{API}/t-lib-a").json()
    assert detail["slug"] == "t-lib-a" and detail["files_open"] is True
    assert detail["files"] == [] and detail["versions"] == []
    missing = client.get(f"{API}/no-such-record")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "Publication not found"}}
    bad_range = client.get(f"{API}?year_from=2021&year_to=2020")
    assert bad_range.status_code == 400 and bad_range.json()["error"]["code"] == "invalid_range"
    assert client.get(f"{API}?cursor=nope").json()["error"]["code"] == "invalid_cursor"
    assert client.get(f"{API}?limit=0").status_code == 422


def test_no_hidden_record_anywhere(client: Any, lib: LibraryFixture) -> None:
    """Not listed, not in the CSV, not found by slug, for each reason a record is hidden."""
    listed = slugs(client, "country=QZA&limit=100")
    text = b"".join(client.get(f"{API}?format=csv").streaming_content).decode()
    for slug in HIDDEN:
        assert slug not in listed and slug not in text
        assert client.get(f"{API}/{slug}").status_code == 404
