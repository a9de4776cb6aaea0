"""The publications' permission matrix through every interface: roles x record states x
pages, file download, citation export, REST API, listing, Atom feed, OAI-PMH, the evidence map
and the country page (see sdg87/library/permissions.py for the matrix, and
sdg87/library/selectors.py for the one public rule).

Each record is made through the services (create, file upload, submit, approve, publish,
unpublish, update) as a contributor and an editor of the publisher would, then coded on the
evidence map for a private-use country (QZM). Slugs start with `t-mx-`; titles hold the word
"zqmatrix" that the listing and API searches look for.

Cells asserted: 607 (one cell = one role x state x interface expectation, hand-counted):

- test_visibility_per_role: 7 roles x 8 states x 9 interfaces (can_view_publication,
  can_view_files, page, history page, file download, cite.bib, API detail, API search,
  listing) = 504;
- test_page_shows_files_only_when_open: the download link on the page, for each role that
  sees the page (7 + 5 + 4 x 5 + 7, per state) = 39;
- test_public_interfaces (anonymous): 8 states x 6 interfaces (API filtered by country, Atom
  feed, evidence studies API, evidence cell page, country page, listing by country) = 48;
- test_oai_get_record (anonymous): 8 states x 2 (GetRecord, ListIdentifiers) = 16.

A leak this test found (a record published organisation-only was served by OAI-PMH as a
deleted header with its sets) is fixed: OAI-PMH never names an organisation-only record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from sdg87.catalog.models import Status, Visibility
from sdg87.geo.models import Geography, GeographyKind
from sdg87.library import permissions
from sdg87.library.models import EvidenceCoding, Publication, PublicationFile
from sdg87.library.oai.selectors import PUBLICATION, oai_identifier
from sdg87.library.services import files, publications, review
from sdg87.library.tests.review_fixtures import *  # noqa: F403
from sdg87.library.tests.review_fixtures import PDF, upload
from sdg87.orgs.models import Organisation

pytestmark = pytest.mark.django_db

ALL = frozenset({"superuser", "admin", "editor", "contributor", "member", "other", "anonymous"})
WRITERS = frozenset({"superuser", "admin", "editor", "contributor"})
PUBLISHER = WRITERS | {"member"}

STATES = (
    "public",
    "organisation",
    "draft",
    "submitted",
    "scheduled",
    "unverified",
    "unpublished",
    "embargoed",
)

# who sees the record's page (and metadata), per state
SEES = {
    "public": ALL,
    "organisation": PUBLISHER,
    "draft": WRITERS,
    "submitted": WRITERS,
    "scheduled": WRITERS,
    "unverified": WRITERS,
    "unpublished": WRITERS,
    "embargoed": ALL,
}
# who may download its file
FILES = {**SEES, "embargoed": WRITERS}
# what publication_public_queryset holds: the anonymous interfaces show exactly these
PUBLIC = frozenset({"public", "embargoed"})
# OAI-PMH GetRecord: a record with metadata, a deleted header, or idDoesNotExist
OAI = {
    "public": "record",
    "embargoed": "record",
    "unverified": "deleted",  # public once, then marked unverified
    "unpublished": "deleted",  # public once, then withdrawn
    "organisation": "missing",  # published for the members only: never public
    "draft": "missing",
    "submitted": "missing",
    "scheduled": "missing",
}

COUNTRY = "QZM"
COUNTRY_NAME = "Qzmatria"
WORD = "zqmatrix"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Public pages and feeds are cached per URL and data version (sdg87.core.cache), and the
    version is bumped only on commit, which never happens inside a test: start and end empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def country(db: None) -> Geography:
    return Geography.objects.create(
        code=COUNTRY, iso3=COUNTRY, kind=GeographyKind.COUNTRY, name_en=COUNTRY_NAME
    )


def make_record(state: str, org: Organisation, users: dict[str, Any]) -> Publication:
    """A record of `org` in `state`, with one published (or pending) PDF, one evidence coding
    and the test country, made as its contributor and editor would."""
    contributor, editor = users["contributor"], users["editor"]
    later = timezone.now() + timedelta(days=3)
    pub = publications.publication_create(
        actor=contributor,
        publisher=org,
        title=f"T-Mx {WORD} {state} record",
        slug=f"t-mx-{state}",
        resource_type="report",
        year=2023,
        visibility=Visibility.ORGANISATION if state == "organisation" else Visibility.PUBLIC,
        creators=[{"family": "Matrix", "given": "Tess"}],
        themes=["child_labour"],
        geographies=[COUNTRY],
    )
    files.publication_file_add(actor=contributor, publication=pub, file=upload(PDF))
    EvidenceCoding.objects.create(
        publication=pub,
        intervention="cash_transfers",
        outcome="child_labour_incidence",
        design="rct",
        direction="reduced",
        finding_quote="Child labour fell.",
    )
    if state != "draft":
        review.publication_submit(actor=contributor, publication=pub)
    if state not in ("draft", "submitted"):
        review.publication_approve(actor=editor, publication=pub)
        review.publication_publish(
            actor=editor,
            publication=pub,
            publish_at=later if state == "scheduled" else None,
            embargo_until=later if state == "embargoed" else None,
        )
    if state == "unpublished":
        review.publication_unpublish(actor=editor, publication=pub, message="withdrawn")
    if state == "unverified":
        publications.publication_update(actor=editor, publication=pub, data={"verified": False})
    pub.refresh_from_db()
    _check_state(state, pub)
    return pub


def _check_state(state: str, pub: Publication) -> None:
    """The record is in the state the test means (guards the fixture, not the code)."""
    now = timezone.now()
    was_published = state not in ("draft", "submitted")
    assert (pub.first_published_at is not None) is was_published
    assert pub.live is (was_published and state != "unpublished")
    assert pub.verified is (state != "unverified")
    assert (pub.visibility == Visibility.ORGANISATION) is (state == "organisation")
    assert (pub.publish_at is not None and pub.publish_at > now) is (state == "scheduled")
    assert (pub.embargo_until is not None and pub.embargo_until > now) is (state == "embargoed")
    if state == "submitted":
        assert pub.status == Status.SUBMITTED
    assert pub.files.count() == 1 and pub.evidence.count() == 1


def _client(users: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _status(sees: bool) -> int:
    return 200 if sees else 404


@pytest.fixture
def record(
    request: pytest.FixtureRequest,
    rev_org: Organisation,
    rev_users: dict[str, Any],
    country: Geography,
) -> Publication:
    return make_record(request.param, rev_org, rev_users)


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("record", STATES, indirect=True)
def test_visibility_per_role(role: str, record: Publication, rev_users: dict[str, Any]) -> None:
    """The page, its history and the file follow the permissions; the citation export, the
    REST API and the listing show the public records only, whoever asks."""
    state = record.slug.removeprefix("t-mx-")
    user = rev_users[role]
    sees, downloads, public = role in SEES[state], role in FILES[state], state in PUBLIC
    client = _client(rev_users, role)
    slug = record.slug
    page_url = f"/en/library/{slug}/"

    assert permissions.can_view_publication(user, record) is sees, "can_view_publication"
    assert permissions.can_view_files(user, record) is downloads, "can_view_files"
    assert client.get(page_url).status_code == _status(sees), "page"
    assert client.get(f"{page_url}history/").status_code == _status(sees), "history"
    file = PublicationFile.objects.get(publication=record)
    download = client.get(f"/en/publication-files/{file.pk}/")
    assert download.status_code == _status(downloads), "file download"
    if downloads:
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    cite = client.get(f"{page_url}cite.bib")
    assert cite.status_code == _status(public), "cite.bib"
    if public:
        assert WORD in cite.content.decode()
    api = client.get(f"/api/v1/publications/{slug}")
    assert api.status_code == _status(public), "api detail"
    found = client.get("/api/v1/publications", {"q": WORD, "limit": "100"}).json()
    assert (slug in {p["slug"] for p in found["results"]}) is public, "api search"
    listing = client.get("/en/library/", {"q": WORD})
    assert listing.status_code == 200
    assert (page_url in listing.content.decode()) is public, "listing"
    assert f'href="/en/search/?q={WORD}"' in listing.content.decode(), "link to the site search"


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("record", STATES, indirect=True)
def test_page_shows_files_only_when_open(
    role: str, record: Publication, rev_users: dict[str, Any]
) -> None:
    """Where the page is shown, its download link is there iff the file may be downloaded
    (an embargoed record's page says so instead)."""
    state = record.slug.removeprefix("t-mx-")
    if role not in SEES[state]:
        return  # the page is a 404, asserted above
    file = PublicationFile.objects.get(publication=record)
    body = _client(rev_users, role).get(f"/en/library/{record.slug}/").content.decode()
    assert (f"/en/publication-files/{file.pk}/" in body) is (role in FILES[state])


@pytest.mark.parametrize("record", STATES, indirect=True)
def test_public_interfaces(record: Publication) -> None:
    """The interfaces that serve everyone the same answer show the record iff it is in
    publication_public_queryset."""
    state = record.slug.removeprefix("t-mx-")
    public = state in PUBLIC
    slug, page_url = record.slug, f"/en/library/{record.slug}/"
    client = Client()

    by_country = client.get("/api/v1/publications", {"country": COUNTRY}).json()
    assert [p["slug"] for p in by_country["results"]] == ([slug] if public else []), "api country"

    feed = client.get("/en/library/feed/", {"country": COUNTRY})
    assert feed.status_code == 200
    assert (page_url in feed.content.decode()) is public, "feed"

    studies = client.get("/api/v1/evidence/studies", {"country": COUNTRY}).json()
    assert [s["study"] for s in studies["results"]] == ([slug] if public else []), "studies"

    cell = client.get(
        "/en/evidence/cell/",
        {"intervention": "cash_transfers", "outcome": "child_labour_incidence", "country": COUNTRY},
    )
    assert cell.status_code == 200
    assert (page_url in cell.content.decode()) is public, "evidence cell"

    country_page = client.get(f"/en/countries/{COUNTRY}/")
    assert country_page.status_code == 200
    text = country_page.content.decode()
    counted = f"1 verified study about {COUNTRY_NAME} is on the evidence map."
    none = f"No verified study about {COUNTRY_NAME} is on the evidence map yet."
    assert (counted in text, none in text) == (public, not public), "country page"

    facet = client.get("/en/library/", {"country": COUNTRY}).content.decode()
    assert (page_url in facet) is public, "listing by country"


@pytest.mark.parametrize("record", STATES, indirect=True)
def test_oai_get_record(record: Publication) -> None:
    """GetRecord and ListIdentifiers (set country:QZM): public records with metadata; records
    public once and hidden now as a deleted header without metadata; records never public do
    not exist (idDoesNotExist, and absent from the list)."""
    state = record.slug.removeprefix("t-mx-")
    identifier = oai_identifier(PUBLICATION, record.slug)
    client = Client()
    body = client.get(
        "/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}
    ).content.decode()
    shown = (
        "record"
        if "<metadata>" in body and WORD in body and 'status="deleted"' not in body
        else "deleted"
        if 'status="deleted"' in body and identifier in body and "<metadata>" not in body
        else "missing"
        if 'code="idDoesNotExist"' in body and WORD not in body
        else "unexpected"
    )
    assert shown == OAI[state], body
    listed = client.get(
        "/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": f"country:{COUNTRY}"}
    ).content.decode()
    in_list = (
        "record"
        if f"<header><identifier>{identifier}</identifier>" in listed
        else "deleted"
        if f'<header status="deleted"><identifier>{identifier}</identifier>' in listed
        else "missing"
        if identifier not in listed
        else "unexpected"
    )
    assert in_list == OAI[state], listed
