"""Citation downloads of publications and datasets (attachments with the right media type)
and the ORM adapters. Only what anonymous visitors may see is exported: drafts, unverified,
scheduled and organisation-only records answer 404. Fixtures are made here (slugs `t-cite-`)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import bibtexparser
import pytest
import rispy
from django.conf.urls.i18n import i18n_patterns
from django.template import Context, Template
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone, translation

from config.urls import urlpatterns as site_urlpatterns
from sdg87.catalog.models import Dataset, DatasetVersion
from sdg87.library.citations.record import Organisation as OrgAuthor
from sdg87.library.citations.record import Person
from sdg87.library.citations.records import (
    record_for_dataset,
    record_for_evidence,
    record_for_publication,
)
from sdg87.library.models import Creator, EvidenceCoding, Publication
from sdg87.orgs.models import Organisation, OrganisationType

# The site's URLs with the citation exports (config/urls.py includes them the same way).
urlpatterns: list[URLPattern | URLResolver] = [
    *i18n_patterns(path("", include("sdg87.library.cite_urls")), prefix_default_language=True),
    *site_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def cite_org(db: None) -> Organisation:
    return Organisation.objects.create(
        slug="t-cite-org",
        name="T-Cite Labour Office",
        acronym="TCLO",
        type=OrganisationType.UN_AGENCY,
    )


def _publication(org: Organisation, slug: str, **kw: object) -> Publication:
    fields: dict[str, object] = {
        "title": "Child labour in the T-Cite valley",
        "resource_type": "impact_evaluation",
        "publisher": org,
        "container_title": "Journal of T-Cite Studies 12(3):45-67",
        "year": 2021,
        "language": "en",
        "doi": "10.5555/t-cite.1",
        "live": True,
        "verified": True,
        "status": "published",
        "first_published_at": timezone.now() - timedelta(days=3),
    }
    fields.update(kw)
    pub = Publication.objects.create(slug=slug, **fields)
    Creator.objects.create(publication=pub, position=0, family="Ayala", given="María José")
    Creator.objects.create(
        publication=pub, position=1, family="Okafor", given="Chidi", orcid="0000-0002-1825-0097"
    )
    return pub


@pytest.fixture
def pub(cite_org: Organisation) -> Publication:
    return _publication(cite_org, "t-cite-public")


def _dataset(org: Organisation, slug: str, **kw: object) -> Dataset:
    fields: dict[str, object] = {
        "title": "T-Cite household survey",
        "publisher": org,
        "live": True,
        "status": "published",
        "first_published_at": datetime(2024, 5, 6, 10, 0, tzinfo=UTC),
    }
    fields.update(kw)
    dataset = Dataset.objects.create(slug=slug, **fields)
    for n in (1, 2):
        DatasetVersion.objects.create(dataset=dataset, number=n)
    return dataset


FILES = {
    "cite.bib": ("application/x-bibtex; charset=utf-8", ".bib"),
    "cite-biblatex.bib": ("application/x-bibtex; charset=utf-8", "-biblatex.bib"),
    "cite.ris": ("application/x-research-info-systems; charset=utf-8", ".ris"),
    "cite.json": ("application/vnd.citationstyles.csl+json; charset=utf-8", ".json"),
}


@pytest.mark.parametrize("filename", sorted(FILES))
def test_a_public_publication_downloads_in_every_format(client, pub, filename):
    response = client.get(f"/en/library/t-cite-public/{filename}")
    content_type, suffix = FILES[filename]
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="t-cite-public{suffix}"'


def test_the_downloads_parse_back(client, pub):
    bib = client.get("/en/library/t-cite-public/cite.bib").content.decode()
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert (entry.entry_type, entry.key) == ("article", "ayala2021child")
    assert entry["author"] == "Ayala, María José and Okafor, Chidi"
    assert (entry["journal"], entry["volume"], entry["number"], entry["pages"]) == (
        "Journal of T-Cite Studies",
        "12",
        "3",
        "45--67",
    )
    (ris,) = rispy.loads(client.get("/fr/library/t-cite-public/cite.ris").content.decode())
    assert ris["type_of_reference"] == "JOUR"
    assert ris["doi"] == "10.5555/t-cite.1"
    assert ris["urls"] == ["https://doi.org/10.5555/t-cite.1"]
    (item,) = json.loads(client.get("/es/library/t-cite-public/cite.json").content)
    assert item["type"] == "article-journal"
    assert item["issued"] == {"date-parts": [[2021]]}


@pytest.mark.parametrize(
    "changes",
    [
        {"verified": False},
        {"live": False, "status": "draft"},
        {"visibility": "organisation"},
        {"publish_at": timezone.now() + timedelta(days=2)},
    ],
    ids=["unverified", "draft", "organisation-only", "scheduled"],
)
def test_a_publication_visitors_may_not_see_is_not_exported(client, cite_org, changes):
    _publication(cite_org, "t-cite-hidden", **changes)
    for filename in FILES:
        assert client.get(f"/en/library/t-cite-hidden/{filename}").status_code == 404


def test_an_unknown_slug_and_a_post_are_refused(client, pub):
    assert client.get("/en/library/t-cite-nothing/cite.bib").status_code == 404
    assert client.post("/en/library/t-cite-public/cite.bib").status_code == 405


def test_a_public_dataset_downloads_as_misc_in_bibtex_and_dataset_in_biblatex(client, cite_org):
    _dataset(cite_org, "t-cite-ds")
    response = client.get("/en/datasets/t-cite-ds/cite.bib")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="t-cite-ds.bib"'
    (entry,) = bibtexparser.parse_string(response.content.decode()).entries
    assert entry.entry_type == "misc"
    assert entry.key == "tclo2024t"  # the acronym, the year, the first word ("T-Cite" → "t")
    assert entry["author"] == "{T-Cite Labour Office}"
    assert entry["note"] == "Dataset, version 2"
    assert entry["url"] == "http://testserver/en/datasets/t-cite-ds/"
    (blx,) = bibtexparser.parse_string(
        client.get("/en/datasets/t-cite-ds/cite-biblatex.bib").content.decode()
    ).entries
    assert (blx.entry_type, blx["date"], blx["version"]) == ("dataset", "2024-05-06", "2")


@pytest.mark.parametrize(
    "changes",
    [{"live": False, "status": "draft"}, {"visibility": "organisation"}],
    ids=["draft", "organisation-only"],
)
def test_a_dataset_visitors_may_not_see_is_not_exported(client, cite_org, changes):
    _dataset(cite_org, "t-cite-ds-hidden", **changes)
    for filename in FILES:
        assert client.get(f"/en/datasets/t-cite-ds-hidden/{filename}").status_code == 404


def test_the_publication_adapter(rf, cite_org, pub):
    """Persons in order (with ORCID), journal split, the DOI's resolver as the URL when the
    publisher's page is unknown; the PDF link only while files are open."""
    record = record_for_publication(
        pub, request=rf.get("/"), pdf_url="/files/1.pdf", files_open=False
    )
    assert record.creators == (
        Person("Ayala", "María José"),
        Person("Okafor", "Chidi", "0000-0002-1825-0097"),
    )
    assert (record.container_title, record.volume, record.issue, record.pages) == (
        "Journal of T-Cite Studies",
        "12",
        "3",
        "45-67",
    )
    assert record.url == "https://doi.org/10.5555/t-cite.1"
    assert record.pdf_url == ""
    assert record.publisher == "T-Cite Labour Office"
    assert record_for_publication(pub, pdf_url="/f.pdf").pdf_url == "/f.pdf"


def test_a_publication_without_authors_is_authored_by_its_publisher(cite_org):
    report = Publication.objects.create(
        slug="t-cite-report",
        title="T-Cite annual report",
        resource_type="report",
        publisher=cite_org,
        issued=date(2019, 6, 12),
        year=2019,
        isbns=["978-92-2-000000-0 (print)", "978-92-2-000001-7 (web pdf)"],
        url="https://example.org/t-cite-report",
    )
    record = record_for_publication(report)
    assert record.creators == (OrgAuthor("T-Cite Labour Office", "TCLO"),)
    assert record.isbns == ("978-92-2-000000-0", "978-92-2-000001-7")
    assert record.issued is not None and record.issued.iso() == "2019-06-12"
    assert record.url == "https://example.org/t-cite-report"
    assert record.page_url == "/en/library/t-cite-report/"
    Creator.objects.create(publication=report, name="T-Cite Evaluation Unit", organisation=cite_org)
    assert record_for_publication(report).creators == (OrgAuthor("T-Cite Evaluation Unit", "TCLO"),)


def test_an_evidence_record_is_cited_as_its_study(pub):
    coding = EvidenceCoding.objects.create(
        publication=pub,
        intervention="cash_transfers",
        outcome="child_labour_incidence",
        design="rct",
        direction="reduced",
    )
    assert record_for_evidence(coding) == record_for_publication(pub)


def test_the_dataset_adapter_cites_its_first_publication_and_latest_version(cite_org):
    dataset = _dataset(cite_org, "t-cite-ds2", identifier="https://doi.org/10.5555/t-cite.ds")
    record = record_for_dataset(dataset)
    assert record.type == "dataset" and record.kind == "dataset"
    assert record.creators == (OrgAuthor("T-Cite Labour Office", "TCLO"),)
    assert record.issued is not None and record.issued.iso() == "2024-05-06"
    assert (record.version, record.doi) == ("2", "10.5555/t-cite.ds")
    assert record.url == record.page_url == "/en/datasets/t-cite-ds2/"


def test_the_cite_block_links_to_the_exports(pub):
    record = record_for_publication(pub)
    with translation.override("es"):
        html = Template("{% load citations %}{% cite_block record %}").render(
            Context({"record": record})
        )
    assert (
        '<a href="/es/library/t-cite-public/cite.bib" type="application/x-bibtex" download>'
        "BibTeX</a>"
    ) in html
    assert 'href="/es/library/t-cite-public/cite-biblatex.bib"' in html
    assert 'href="/es/library/t-cite-public/cite.ris"' in html
    assert 'href="/es/library/t-cite-public/cite.json"' in html
    assert "Ayala, M. J., &amp; Okafor, C. (2021)." in html
    assert "Ayala, María José, y Chidi Okafor. 2021." in html
