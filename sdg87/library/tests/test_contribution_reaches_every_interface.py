"""Issue 10's "done when", end to end on a live server: a contributor submits a report with a
PDF through the site, an editor of the same organisation approves and publishes it, and the
report then appears in the library listing, the Atom feed, OAI-PMH (harvested by the real
oaipmh-scythe client over HTTP) and its citation downloads (BibTeX parsed back by
bibtexparser, RIS by rispy). Before publication it appears in none of them."""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from typing import Any

import bibtexparser
import pytest
import requests
import rispy
from django.test import Client
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import NoRecordsMatch

from sdg87.library.models import Publication
from sdg87.library.oai import selectors as oai
from sdg87.library.tests.review_fixtures import *  # noqa: F403
from sdg87.library.tests.review_fixtures import PDF, upload

TITLE = "T-Rev Forced labour in brick kilns: lessons from a cooperative"
ATOM = "{http://www.w3.org/2005/Atom}"


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _everywhere(base: str, pub: Publication) -> dict[str, bool]:
    """Where an anonymous visitor finds the report, over HTTP."""
    listing = requests.get(f"{base}/en/library/", params={"q": "brick kilns"}, timeout=30)
    feed = ET.fromstring(requests.get(f"{base}/en/library/feed/", timeout=30).content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    headers: list[Any] = []
    with Scythe(f"{base}/oai") as scythe, contextlib.suppress(NoRecordsMatch):
        headers = list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="org:t-rev-ngo"))
    bib = requests.get(f"{base}/en/library/{pub.slug}/cite.bib", timeout=30)
    return {
        "page": requests.get(f"{base}/en/library/{pub.slug}/", timeout=30).status_code == 200,
        "listing": f"/en/library/{pub.slug}/" in listing.text,
        "feed": TITLE in titles,
        "oai": oai.oai_identifier("publication", pub.slug) in {h.identifier for h in headers},
        "cite": bib.status_code == 200,
    }


def test_a_contributed_report_reaches_listing_feed_oai_and_citations(
    transactional_db: None,
    live_server: Any,
    rev_org: Any,
    rev_users: dict[str, Any],
) -> None:
    base = live_server.url
    contributor = _signed_in(rev_users["contributor"])
    response = contributor.post(
        "/en/contribute/publications/new/",
        {
            "publisher": rev_org.pk,
            "title": TITLE,
            "resource_type": "lessons_learned",
            "abstract": "What a producers' cooperative learned about recruitment debts.",
            "creators": "Mensah, Kofi\nT-Rev Research NGO",
            "language": "en",
            "year": "2024",
            "themes": ["forced_labour"],
            "visibility": "public",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pub = Publication.objects.get(title=TITLE)
    manage = f"/en/contribute/publications/{pub.slug}/"
    assert (
        contributor.post(manage + "files/", {"file": upload(PDF), "title": "Report"}).status_code
        == 302
    )
    assert contributor.post(manage + "action/submit/", {"message": "Ready"}).status_code == 302

    # Submitted, not yet published: nowhere public.
    assert _everywhere(base, pub) == dict.fromkeys(
        ("page", "listing", "feed", "oai", "cite"), False
    )

    editor = _signed_in(rev_users["editor"])
    assert editor.post(manage + "action/approve/", {}).status_code == 302
    assert editor.post(manage + "action/publish/", {"message": "First edition"}).status_code == 302
    pub.refresh_from_db()
    assert pub.live

    assert _everywhere(base, pub) == dict.fromkeys(("page", "listing", "feed", "oai", "cite"), True)

    with Scythe(f"{base}/oai") as scythe:
        record: Any = scythe.get_record(
            identifier=oai.oai_identifier("publication", pub.slug), metadata_prefix="oai_dc"
        )
    assert record.metadata["title"] == [TITLE]
    assert record.metadata["creator"] == ["Mensah, Kofi", "T-Rev Research NGO"]

    library = bibtexparser.parse_string(
        requests.get(f"{base}/en/library/{pub.slug}/cite.bib", timeout=30).text
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert entry.fields_dict["title"].value.strip("{}") == TITLE
    assert entry.fields_dict["year"].value == "2024"
    assert entry.fields_dict["institution"].value.strip("{}") == "T-Rev Research NGO"

    (ris,) = rispy.loads(requests.get(f"{base}/en/library/{pub.slug}/cite.ris", timeout=30).text)
    assert ris["type_of_reference"] == "RPRT"
    assert ris["title"] == TITLE
    assert ris["authors"][0] == "Mensah, Kofi"

    pdf = requests.get(f"{base}/en/library/{pub.slug}/", timeout=30).text
    assert "/en/publication-files/" in pdf
    assert pub.versions.count() == 1


pytestmark = pytest.mark.django_db(transaction=True)
