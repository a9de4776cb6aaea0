"""The data-directory templates: styled, accessible and usable without JavaScript under the CSP."""

import re
from typing import Any

import pytest
from django.test import Client

from sdg87.catalog.tests.conftest import csv_file

pytestmark = pytest.mark.django_db

BAD_CSV = b"geo,year,value\nKEN,2019\nBGD,2019,6.8\n"


def _login(users: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def _assert_csp_clean(html: str) -> None:
    assert "/static/src/catalog.css" in html
    assert not re.search(r"<[^>]+\sstyle=", html), "inline style attribute"
    assert "<style" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert "nonce=" in script or "src=" in script, script


def test_public_pages_load_the_catalog_stylesheet_and_nothing_inline(
    make_dataset: Any, org: Any
) -> None:
    """Listing, dataset, history, what-changed and organisation pages link catalog.css and
    carry no inline style or un-nonced script, so the strict CSP blocks nothing."""
    dataset = make_dataset(title="ZZ styled dataset")
    client = Client()
    for url in (
        "/en/datasets/",
        f"/en/datasets/{dataset.slug}/",
        f"/en/datasets/{dataset.slug}/history/",
        f"/en/datasets/{dataset.slug}/changes/?from=1&to=1",
        "/en/organisations/",
        f"/en/organisations/{org.slug}/",
        "/en/accounts/login/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_csp_clean(response.content.decode())


def test_listing_marks_selected_facets_and_offers_removable_filters(
    make_dataset: Any, org: Any
) -> None:
    """A selected facet is aria-current and announced as selected; the active filters list
    links to the same listing without it; each result card shows a freshness badge."""
    make_dataset(title="ZZ facet dataset")
    html = Client().get("/en/datasets/", {"organisation": org.slug}).content.decode()
    assert re.search(r'<a href="\?" rel="nofollow" aria-current="true">ZZT', html)
    assert 'class="active-filters"' in html
    assert "Remove filter" in html
    assert re.search(r'class="badge freshness freshness-(fresh|due|overdue|delinquent)"', html)


def test_pager_names_the_current_page(make_dataset: Any, org: Any) -> None:
    """With more than one page the pager is a named nav whose current page is aria-current."""
    from sdg87.catalog.models import Dataset, Status

    for i in range(21):
        Dataset.objects.create(
            slug=f"zz-pager-{i:02}",
            title=f"ZZ pager {i:02}",
            publisher=org,
            live=True,
            status=Status.PUBLISHED,
        )
    html = Client().get("/en/datasets/", {"organisation": org.slug}).content.decode()
    nav = re.search(r'<nav aria-label="Pages of results" class="pager">(.*?)</nav>', html, re.S)
    assert nav and 'aria-current="page"' in nav.group(1) and 'rel="next"' in nav.group(1)


def test_preview_and_validation_tables_scroll_in_focusable_captioned_regions(
    users: dict[str, Any], make_dataset: Any, upload: Any
) -> None:
    """Preview and error tables sit in keyboard-focusable named regions with captions; errors
    list row and column; the dictionary's per-cell labels are visually hidden, not missing."""
    dataset = make_dataset(state="draft", title="ZZ preview dataset")
    bad = upload(actor=users["contributor"], dataset=dataset, file=csv_file(BAD_CSV, "bad.csv"))
    client = _login(users, "contributor")
    detail = client.get(f"/en/datasets/{dataset.slug}/").content.decode()
    assert 'tabindex="0" role="region" aria-labelledby="preview-caption"' in detail
    assert '<caption id="preview-caption">' in detail
    page = client.get(f"/en/datasets/{dataset.slug}/files/{bad.pk}/").content.decode()
    _assert_csp_clean(page)
    assert '<caption id="errors-caption">' in page
    assert 'aria-labelledby="errors-caption"' in page
    assert re.search(r"<td>\d+</td><td>value</td>", page)  # row and column of an error
    assert 'class="visually-hidden"' in page


def test_user_nav_is_not_a_paragraph_around_a_form(users: dict[str, Any]) -> None:
    """The sign-out form is inside a div: a form inside <p> would be split by the parser."""
    html = _login(users, "contributor").get("/en/datasets/").content.decode()
    nav = re.search(r'<(\w+) class="muted user-nav">', html)
    assert nav and nav.group(1) == "div"


def test_a_description_written_around_the_services_is_rendered_sanitised(
    users: dict[str, Any], make_dataset: Any, client: Any
) -> None:
    """The dataset page renders the description through the `sanitised` filter, not `|safe`:
    HTML stored without the services (here a raw update) loses its script and refresh."""
    from sdg87.catalog.models import Dataset

    ds = make_dataset()
    Dataset.objects.filter(pk=ds.pk).update(
        description='<p>Kept</p><script>alert(1)</script><meta http-equiv="refresh" content="0">'
    )
    client.force_login(users["editor"])
    page = client.get(ds.get_absolute_url()).content.decode()
    summary = re.search(r'<div class="summary">(?:<div lang="en">)?(.*?)</div>', page, re.S)
    assert summary is not None and summary.group(1) == "<p>Kept</p>"
    assert 'http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_a_release_known_by_its_year_is_not_given_a_day(client: Any, bundled_data: None) -> None:
    """Bundled releases without a publication date are stored on 31 December of their year;
    the dataset list and page show the year, never that invented day."""
    from sdg87.catalog.models import Dataset

    year_only = [d for d in Dataset.objects.filter(is_bundled=True) if d.data_updated_year_only]
    assert year_only, "the bundled data has releases known by their year only"
    dataset = year_only[0]
    assert dataset.data_updated_at is not None
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert f"31 December {dataset.data_updated_at.year}" not in page
    assert "Data last updated" in page
    listing = client.get("/en/datasets/").content.decode()
    assert "31 Dec" not in listing
