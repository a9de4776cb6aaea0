"""The library pages: listing (facets, paging, bulk export), a publication's page and its
history. Records from library_fixtures; hidden ones are never shown to visitors."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import timedelta
from typing import Any

import bibtexparser
import pytest
import rispy
from django.core.files.base import ContentFile
from django.utils import timezone

from sdg87.catalog.tests.mini_catalog import MiniCatalog
from sdg87.library import views
from sdg87.library.models import Publication, PublicationFile, PublicationVersion
from sdg87.library.snapshots import publication_snapshot
from sdg87.library.tests.library_fixtures import *  # noqa: F403
from sdg87.library.tests.library_fixtures import HIDDEN, LibraryFixture, make_pub
from sdg87.site.tests.html import Page

pytestmark = pytest.mark.django_db
ORG = "organisation=t-lib-org"


def html_of(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def csv_rows(client: Any, url: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode())))


def test_listing_shows_facets_with_counts_and_removable_selection(
    client: Any, lib: LibraryFixture
) -> None:
    """Facet links toggle one value and keep the others; selected values are listed as
    removable filters; counts are the hand-counted ones."""
    html = html_of(client, f"/en/library/?{ORG}&type=report&type=policy_brief")
    page = Page(html)
    assert "3 publications" in page.text
    titles = [
        a["href"] for a in page.find_all("a") if a.get("href", "").startswith("/en/library/t-")
    ]
    assert sorted(titles) == [
        "/en/library/t-lib-a/",
        "/en/library/t-lib-b/",
        "/en/library/t-lib-c/",
    ]
    # adding the third type keeps both selected ones
    assert (
        'href="?type=report&amp;type=policy_brief&amp;organisation=t-lib-org'
        '&amp;type=impact_evaluation"' in html
    )
    # the active filters remove one value each
    active = html[html.index('class="active-filters"') :]
    active = active[: active.index("</ul>")]
    assert 'href="?type=policy_brief&amp;organisation=t-lib-org"' in active
    assert "Type: Report" in Page(active).text and "Type: Policy brief" in Page(active).text
    facet = html[html.index('id="facet-theme"') :]
    facet = Page(facet[: facet.index("</section>")]).text
    assert "Child labour 2" in facet and "Forced labour 2" in facet
    for slug in HIDDEN:
        assert slug not in html


def test_paging_has_no_cap(client: Any, lib: LibraryFixture) -> None:
    """With more records than a page holds, page 2 lists the rest and links back; page
    numbers link each page."""
    for n in range(views.PAGE_SIZE + 2):
        make_pub(f"t-lib-p{n:02d}", lib.org2, year=2000 + n)
    html = html_of(client, "/en/library/?organisation=t-lib-org2&sort=title")
    assert f"{views.PAGE_SIZE + 3} publications" in Page(html).text
    assert 'rel="next" href="?organisation=t-lib-org2&amp;sort=title&amp;page=2"' in html
    html2 = html_of(client, "/en/library/?organisation=t-lib-org2&sort=title&page=2")
    listed = [a["href"] for a in Page(html2).find_all("a") if "/en/library/t-lib-" in a["href"]]
    # by title, t-lib-e comes first: page 2 holds the last three of the 27 others
    assert listed == ["/en/library/t-lib-p24/", "/en/library/t-lib-p25/", "/en/library/t-lib-p26/"]
    assert 'rel="prev"' in html2 and 'aria-current="page"' in html2


def test_bulk_export_parses_and_holds_only_public_records(client: Any, lib: LibraryFixture) -> None:
    """RIS (rispy), BibTeX (bibtexparser) and CSV of the current result: the four public
    records of the organisation, in the listing's order, no hidden one."""
    response = client.get(f"/en/library/?{ORG}&format=ris")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sdg87-library-')
    entries = rispy.loads(response.content.decode())
    assert [e["title"] for e in entries] == [
        "T-Lib t-lib-b title",
        "T-Lib t-lib-c title",
        "T-Lib t-lib-a title",
        "T-Lib t-lib-d title",
    ]
    bib = bibtexparser.parse_string(client.get(f"/en/library/?{ORG}&format=bib").content.decode())
    assert not bib.failed_blocks
    assert sorted(e.fields_dict["title"].value for e in bib.entries) == [
        "T-Lib t-lib-a title",
        "T-Lib t-lib-b title",
        "T-Lib t-lib-c title",
        "T-Lib t-lib-d title",
    ]
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/en/library/?{ORG}&format=csv").content.decode()))
    )
    assert len(rows) == 4 and {r["title"] for r in rows} == {e["title"] for e in entries}
    everything = client.get("/en/library/?format=ris").content.decode()
    for slug in HIDDEN:
        assert f"Hidden {slug}" not in everything
    assert client.get("/en/library/?format=xml").status_code == 400


def test_bulk_export_is_capped(client: Any, lib: LibraryFixture, monkeypatch: Any) -> None:
    """A download holds at most EXPORT_MAX records; the listing says so when it has more."""
    monkeypatch.setattr(views, "EXPORT_MAX", 2)
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/en/library/?{ORG}&format=csv").content.decode()))
    )
    assert len(rows) == 2
    assert "A download holds the first 2 results" in html_of(client, f"/en/library/?{ORG}")
    assert "A download holds" not in html_of(client, f"/en/library/?{ORG}&type=report")


def test_publication_page(client: Any, lib: LibraryFixture, mini_catalog: MiniCatalog) -> None:
    """Title, type, authors with their ORCID link, the publisher's organisation page, year,
    themes, countries linked to their pages, the publisher's page, editions (public ones),
    related datasets (public ones), the cite block and citation meta tags."""
    a = lib.pubs["a"]
    a.related_datasets.set([mini_catalog.public, mini_catalog.draft, mini_catalog.org_only])
    html = html_of(client, "/en/library/t-lib-a/")
    page = Page(html)
    assert page.find_all("h1") and "T-Lib t-lib-a title" in page.text
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert 'href="/en/organisations/t-lib-org/"' in html
    assert '<time datetime="2020">2020</time>' in html
    assert 'href="/en/countries/QZA/"' in html
    assert 'href="https://example.org/t-lib-a"' in html
    # editions: t-lib-b (public), not the draft of the same work
    assert 'href="/en/library/t-lib-b/"' in html and "t-lib-draft" not in html
    assert mini_catalog.public.title in html
    assert mini_catalog.draft.title not in html and mini_catalog.org_only.title not in html
    assert 'name="citation_title" content="T-Lib t-lib-a title"' in html
    assert 'id="cite-publication-t-lib-a"' in html
    assert 'type="application/ld+json"' in html


def test_a_mirror_is_named_as_a_copy_not_the_source(client: Any, lib: LibraryFixture) -> None:
    """t-lib-d is known only from a copy: the page says so, names the host and does not
    endorse the link (rel=nofollow). Its evidence coding is shown with its quote."""
    html = html_of(client, "/en/library/t-lib-d/")
    assert "No publisher's page is known;" in html
    link = '<a href="https://www.docslib.org/doc/t-lib-d" rel="nofollow noopener">'
    assert link + "copy found at docslib.org</a>" in html
    assert "Cash transfers" in html and "Randomised controlled trial" in html
    assert "Child labour fell by a tenth." in html


@pytest.mark.parametrize("slug", HIDDEN)
def test_hidden_records_are_not_found(client: Any, lib: LibraryFixture, slug: str) -> None:
    assert client.get(f"/en/library/{slug}/").status_code == 404
    assert client.get(f"/en/library/{slug}/history/").status_code == 404


def test_the_publishers_editor_sees_a_draft_marked_not_public(
    client: Any, lib: LibraryFixture
) -> None:
    client.force_login(lib.editor)
    html = html_of(client, "/en/library/t-lib-unverified/")
    assert "Unverified: not shown to the public" in html
    assert 'name="robots" content="noindex"' in html
    assert "citation_title" not in html


def _with_file(pub: Publication, settings: Any, tmp_path: Any) -> PublicationFile:
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 t-lib\n%%EOF\n"
    f = PublicationFile(
        publication=pub,
        title="Full report",
        extension="pdf",
        media_type="application/pdf",
        byte_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    f.file.save("x.pdf", ContentFile(content), save=False)
    f.save()
    PublicationVersion.objects.create(publication=pub, number=1, metadata=publication_snapshot(pub))
    return f


def test_files_are_listed_with_size_and_hidden_while_embargoed(
    client: Any, lib: LibraryFixture, settings: Any, tmp_path: Any
) -> None:
    c = lib.pubs["c"]
    _with_file(c, settings, tmp_path)
    html = html_of(client, "/en/library/t-lib-c/")
    assert "Full report" in html and "(PDF, 21\xa0bytes)" in html
    until = timezone.now() + timedelta(days=10)
    Publication.objects.filter(pk=c.pk).update(embargo_until=until)
    html = html_of(client, "/en/library/t-lib-c/")
    assert "Full report" not in html
    assert f"The files are embargoed until {until:%-d %B %Y}" in html


def test_history_lists_versions_and_what_changed(client: Any, lib: LibraryFixture) -> None:
    a = lib.pubs["a"]
    first = publication_snapshot(a)
    PublicationVersion.objects.create(publication=a, number=1, metadata=first, note="first")
    second = dict(first, title="A new title", themes=["child_labour", "forced_labour"])
    PublicationVersion.objects.create(publication=a, number=2, metadata=second, note="retitled")
    html = html_of(client, "/en/library/t-lib-a/history/")
    text = Page(html).text
    assert "Version 2" in text and "Version 1" in text and "retitled" in text
    assert "Changes from version 1 to version 2" in text
    assert "Title T-Lib t-lib-a title A new title" in text
    assert "<ins>forced_labour</ins>" in html
    assert "First published version." in text
    assert "History (2 versions)" in html_of(client, "/en/library/t-lib-a/")


def test_country_page_lists_publications_about_it(client: Any, bundled_data: Any) -> None:
    """India's profile lists the newest 5 of its 14 public bundled publications (counted in
    the bundled library: 14 records about IND, all verified) and links the listing filtered
    by country; a draft about India is not named."""
    from sdg87.geo.models import Geography

    india = Geography.objects.get(iso3="IND")
    make_pub("t-lib-ind-draft", None, places=(india,), title="Hidden Indian draft", live=False)
    html = html_of(client, "/en/countries/IND/")
    block = html[html.index('id="country-pubs-heading"') :]
    block = block[: block.index("</section>")]
    assert "Publications about India" in block
    assert len(Page(block).find_all("li")) == 5
    assert 'href="/en/library/?country=IND">All 14 publications about India' in block
    assert "Hidden Indian draft" not in html
    listing = html_of(client, "/en/library/?country=IND")
    assert "14 publications" in Page(listing).text


def test_whats_new_lists_new_public_publications(client: Any, lib: LibraryFixture) -> None:
    """Records added most recently come first whatever their year (t-lib-new, from 1999,
    added today, before t-lib-b, from 2021, added 4 days ago); records added the same day
    newest year first; never a hidden record (added 'now' too)."""
    from sdg87.site.whats_new import latest_publications

    make_pub("t-lib-new", lib.org, published_days_ago=0, year=1999)
    newest = [p.slug for p in latest_publications(limit=500)]
    assert newest.index("t-lib-new") < newest.index("t-lib-b") < newest.index("t-lib-a")
    assert newest.index("t-lib-c") < newest.index("t-lib-b")  # added 3 days ago
    assert not set(newest) & set(HIDDEN)
