"""Publications as search documents: what a public record's document says, which records
make no document or a members-only one (the library's own rules), and that building every
document costs a fixed number of queries. Records come from the library's test fixtures
(slugs `t-lib-`, see sdg87.library.tests.library_fixtures)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from sdg87.catalog.models import Status
from sdg87.library.models import Creator, EvidenceCoding, Publication, PublicationFile
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.tests.library_fixtures import *  # noqa: F403
from sdg87.library.tests.library_fixtures import LibraryFixture, make_pub
from sdg87.library.vocabulary import Intervention
from sdg87.orgs.models import Organisation
from sdg87.search.registry import DocumentData
from sdg87.search.sources.library import SOURCES, build_publication, publication_get, publications

pytestmark = pytest.mark.django_db
SOURCE = SOURCES[0]


def document(pub: Publication) -> DocumentData | None:
    row = publication_get(str(pub.pk))
    assert row is not None
    return build_publication(row)


def texts(doc: DocumentData, weight: str = "body") -> list[str]:
    return [t.text for t in doc.texts if t.weight == weight]


def test_public_publication(lib: LibraryFixture) -> None:
    """A public record: its heading, English path, publisher/type/year facts, its authors and
    abstract as body text, and the facets the library filters by."""
    pub = lib.pubs["a"]
    doc = document(pub)
    assert doc is not None
    assert (doc.kind, doc.object_id) == ("publication", str(pub.pk))
    assert doc.heading == "T-Lib t-lib-a title"
    assert doc.path == "/en/library/t-lib-a/"
    assert doc.public and doc.audience_org_id is None and doc.visible_from is None
    assert doc.summary == "An abstract of A."
    assert (doc.language, doc.year, doc.date) == ("en", 2020, None)
    assert doc.meta == ["T-Lib Research Office", "Report", "2020"]
    assert texts(doc, "title") == ["T-Lib t-lib-a title"]
    body = texts(doc)
    assert "An abstract of A." in body and "Jane Doe" in body and "Qza" in body
    assert doc.facets == {
        "theme": ["child_labour"],
        "place": ["QZA"],
        "organisation": ["t-lib-org"],
        "language": ["en"],
        "resource_type": ["report"],
        "format": [],
        "licence": [],
    }
    assert doc.keys == []
    assert build_publication(pub) == doc  # a row read elsewhere gives the same document


def test_language_of_the_record(lib: LibraryFixture) -> None:
    """A French record is indexed as French text, with French in the language facet."""
    doc = document(lib.pubs["b"])
    assert doc is not None
    assert doc.language == "fr" and doc.facets["language"] == ["fr"]
    assert [t.lang for t in doc.texts if t.weight == "title"] == ["fr"]
    assert sorted(doc.facets["place"]) == ["QZA", "QZB"]


def test_hidden_records(lib: LibraryFixture) -> None:
    """Draft, unverified and withdrawn records make no document; an organisation-only record
    is for its publisher's members; a scheduled one is visible from its publication time."""
    assert document(lib.pubs["t-lib-draft"]) is None
    assert document(lib.pubs["t-lib-unverified"]) is None
    withdrawn = make_pub("t-lib-withdrawn", lib.org, live=False, status=Status.PUBLISHED)
    assert document(withdrawn) is None
    org_only = document(lib.pubs["t-lib-orgonly"])
    assert org_only is not None
    assert not org_only.public and org_only.audience_org_id == lib.org.pk
    scheduled_pub = lib.pubs["t-lib-scheduled"]
    scheduled = document(scheduled_pub)
    assert scheduled is not None
    assert scheduled.public and scheduled.visible_from == scheduled_pub.publish_at


def test_public_documents_are_the_librarys_public_records(lib: LibraryFixture) -> None:
    """The documents shown to anyone now are exactly `publication_public_queryset`."""
    now = timezone.now()
    docs = [d for d in map(build_publication, publications()) if d is not None]
    shown = {
        d.object_id for d in docs if d.public and (d.visible_from is None or d.visible_from <= now)
    }
    assert shown == {str(pk) for pk in publication_public_queryset().values_list("pk", flat=True)}


def test_evidence_coding_and_labels_in_three_languages(lib: LibraryFixture) -> None:
    """A study's finding is body text, and its intervention is findable in French and Spanish."""
    doc = document(lib.pubs["d"])
    assert doc is not None
    assert "Child labour fell by a tenth." in texts(doc)
    labels = {}
    for lang in ("en", "fr", "es"):
        with translation.override(lang):
            labels[lang] = str(Intervention.CASH_TRANSFERS.label)
    assert len(set(labels.values())) == 3
    assert {(t.text, t.lang) for t in doc.texts} >= set((v, k) for k, v in labels.items())


def test_doi_format_and_licence(lib: LibraryFixture) -> None:
    """The DOI is an exact key; file formats (upper case) and the licence are facets."""
    pub = make_pub(
        "t-lib-doi", lib.org, doi="10.1234/t-lib.1", licence="CC-BY-4.0", issued=date(2020, 3, 1)
    )
    PublicationFile.objects.create(
        publication=pub,
        file="library/t-lib-doi/a.pdf",
        extension="pdf",
        media_type="application/pdf",
        byte_size=10,
        sha256="0" * 64,
    )
    doc = document(pub)
    assert doc is not None
    assert doc.keys == ["10.1234/t-lib.1"]
    assert doc.facets["format"] == ["PDF"] and doc.facets["licence"] == ["CC-BY-4.0"]
    assert doc.date == date(2020, 3, 1)


def _build_all() -> int:
    with CaptureQueriesContext(connection) as queries:
        built = [build_publication(row) for row in SOURCE.rows()]
    assert any(built)
    return len(queries.captured_queries)


def test_rows_cost_a_fixed_number_of_queries(lib: LibraryFixture) -> None:
    """Building every document takes as many queries for 9 records as for 29."""
    few = _build_all()
    for n in range(20):
        pub = make_pub(f"t-lib-many-{n}", lib.org, themes=("child_labour",), places=(lib.qza,))
        Creator.objects.create(publication=pub, family=f"Author{n}")
        EvidenceCoding.objects.create(
            publication=pub, intervention="other", outcome="other", design="rct", direction="mixed"
        )
    assert _build_all() == few


def test_watches(lib: LibraryFixture) -> None:
    """A saved coding, author or file refreshes its publication; a renamed organisation
    refreshes the records it publishes."""
    watches = dict(SOURCE.watches)
    pub = lib.pubs["d"]
    coding = EvidenceCoding.objects.get(publication=pub)
    assert list(watches[EvidenceCoding](coding)) == [str(pub.pk)]
    creator = Creator.objects.filter(publication=lib.pubs["a"]).first()
    assert list(watches[Creator](creator)) == [str(lib.pubs["a"].pk)]
    assert list(watches[Publication](pub)) == [str(pub.pk)]
    published = {str(p.pk) for p in Publication.objects.filter(publisher=lib.org2)}
    assert set(watches[Organisation](lib.org2)) == published and published


def test_get_unknown(lib: LibraryFixture) -> None:
    assert SOURCE.get("999999999") is None
    assert SOURCE.get("t-lib-a") is None
