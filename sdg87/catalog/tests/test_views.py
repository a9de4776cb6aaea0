import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from sdg87.catalog.models import Dataset, Status
from sdg87.catalog.tests.conftest import csv_file

pytestmark = pytest.mark.django_db


def _login(users: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def test_listing_pages_without_a_row_cap(make_dataset: Any, org: Any) -> None:
    """25 datasets give two pages of 20 with next/previous links that work without JS."""
    for i in range(25):
        Dataset.objects.create(
            slug=f"zz-page-{i:02}",
            title=f"ZZ page {i:02}",
            publisher=org,
            live=True,
            status=Status.PUBLISHED,
        )
    client = Client()
    first = client.get("/en/datasets/", {"organisation": org.slug})
    html = first.content.decode()
    assert "25 datasets" in html and 'rel="next"' in html and 'rel="prev"' not in html
    found = re.search(r'rel="next" href="([^"]+)"', html)
    assert found
    next_url = found.group(1).replace("&amp;", "&")
    second = client.get("/en/datasets/" + next_url).content.decode()
    assert "ZZ page 24" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_listing_facets_and_search(make_dataset: Any, org: Any) -> None:
    """Facet links toggle filters; q matches words in the title."""
    make_dataset(
        title="ZZ cocoa child labour survey", themes=["child_labour"], spatial=["KEN"]
    ) if False else None
    ds = make_dataset(title="ZZ cocoa survey", themes=["child_labour"])
    make_dataset(title="ZZ fishing survey", themes=["forced_labour"])
    client = Client()
    html = client.get("/en/datasets/", {"q": "cocoa"}).content.decode()
    assert ds.title in html and "ZZ fishing survey" not in html
    # the directory's word match points to the site search (stems, synonyms, three languages)
    assert 'href="/en/search/?q=cocoa"' in html
    assert "/search/?q=" not in client.get("/en/datasets/").content.decode()
    html = client.get(
        "/en/datasets/", {"theme": "forced_labour", "organisation": org.slug}
    ).content.decode()
    assert "ZZ fishing survey" in html and ds.title not in html
    assert 'aria-current="true"' in html  # the selected facet is marked
    html = client.get(
        "/en/datasets/", {"freshness": "fresh", "organisation": org.slug}
    ).content.decode()
    assert "2 datasets" in html and "Fresh" in html


def test_dataset_page_has_jsonld_with_nonce_and_strict_csp(make_dataset: Any) -> None:
    """schema.org Dataset JSON-LD is served in a nonce'd data block under the strict CSP."""
    ds = make_dataset(title="ZZ JSON-LD </script><b>")
    response = Client().get(f"/en/datasets/{ds.slug}/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    found = re.search(r"'nonce-([^']+)'", csp)
    assert found
    nonce = found.group(1)
    html = response.content.decode()
    match = re.search(
        rf'<script type="application/ld\+json" nonce="{re.escape(nonce)}">(.*?)</script>',
        html,
        re.S,
    )
    assert match, "JSON-LD block with the request's nonce"
    data = json.loads(match.group(1))
    assert data["@type"] == "Dataset" and data["name"] == ds.title
    assert data["publisher"]["name"] == "ZZ Test NGO"
    assert data["distribution"][0]["encodingFormat"] == "text/csv"
    assert "style=" not in html and "<script>" not in html
    assert "ZZ Test NGO (" in html  # citation text


def test_download_is_an_attachment_and_sandboxed(make_dataset: Any) -> None:
    ds = make_dataset()
    dist = ds.distributions.get()
    response = Client().get(f"/en/datasets/{ds.slug}/files/{dist.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/csv"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"geo,year")  # type: ignore[attr-defined]


@pytest.mark.usefixtures("bundled_data")
def test_contributor_flow_upload_fix_submit_and_editor_approve(
    users: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A contributor creates a dataset, uploads a bad CSV, sees row/column errors, uploads the
    fix, submits; the editor approves and publishes; the dataset appears in the listing."""
    contributor = _login(users, "contributor")
    response = contributor.post(
        "/en/datasets/new/",
        {
            "publisher": org.pk,
            "title": "ZZ flow",
            "licence": "CC-BY-4.0",
            "frequency": "annual",
            "language": "en",
            "visibility": "public",
            "themes_codes": ["child_labour"],
            "keywords_text": "cocoa, survey",
            "spatial": ["KEN", "BGD"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ds = Dataset.objects.get(title="ZZ flow")
    assert set(ds.spatial.values_list("iso3", flat=True)) == {"KEN", "BGD"}
    with django_capture_on_commit_callbacks(execute=True):  # validated by its task on commit
        response = contributor.post(
            f"/en/datasets/{ds.slug}/upload/", {"file": csv_file(b"geo,year,value\nKEN,2019\n")}
        )
    dist = ds.distributions.get()
    page = contributor.get(response["Location"]).content.decode()
    assert "missing-cell" in page and "<td>2</td><td>value</td>" in page
    assert contributor.post(f"/en/datasets/{ds.slug}/action/submit/").status_code == 302
    assert Dataset.objects.get(pk=ds.pk).status == Status.DRAFT  # blocked by the invalid file
    with django_capture_on_commit_callbacks(execute=True):
        contributor.post(
            f"/en/datasets/{ds.slug}/upload/", {"file": csv_file(), "replace": dist.pk}
        )
    dist.refresh_from_db()
    assert dist.is_valid
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(
            f"/en/datasets/{ds.slug}/files/{dist.pk}/",
            {
                "type_0": "string",
                "description_0": "ISO3 code",
                "type_1": "year",
                "description_1": "",
                "type_2": "number",
                "description_2": "",
                "type_3": "string",
                "description_3": "",
                "primary_key": "geo",
            },
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        contributor.post(f"/en/datasets/{ds.slug}/action/submit/")
    assert "zz_editor@example.org" in {m.to[0] for m in mail.outbox}
    editor = _login(users, "editor")
    editor.post(f"/en/datasets/{ds.slug}/action/approve/")
    editor.post(f"/en/datasets/{ds.slug}/action/publish/", {"message": "first"})
    assert Dataset.objects.get(pk=ds.pk).live
    assert "ZZ flow" in Client().get("/en/datasets/", {"q": "flow"}).content.decode()
    assert "ISO3 code" in Client().get(f"/en/datasets/{ds.slug}/").content.decode()


def test_history_and_changes_pages(users: dict[str, Any], make_dataset: Any, upload: Any) -> None:
    from sdg87.catalog.services import datasets, review

    ds = make_dataset()
    datasets.dataset_update(actor=users["editor"], dataset=ds, data={"title": "ZZ retitled"})
    upload(
        actor=users["editor"],
        dataset=ds,
        file=csv_file(b"geo,year,value,unit\nKEN,2019,1,N\n"),
        replace=ds.distributions.get(),
    )
    review.dataset_submit(actor=users["editor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    review.dataset_publish(actor=users["editor"], dataset=ds)
    client = Client()
    history = client.get(f"/en/datasets/{ds.slug}/history/").content.decode()
    assert "Compare two versions" in history and "Audit log" not in history
    changes = client.get(f"/en/datasets/{ds.slug}/changes/", {"from": 1, "to": 2}).content.decode()
    assert "ZZ retitled" in changes and "<td>0</td><td>1</td><td>1</td>" in changes
    assert client.get(f"/en/datasets/{ds.slug}/changes/", {"from": 1, "to": 9}).status_code == 404
    audit = _login(users, "contributor").get(f"/en/datasets/{ds.slug}/history/").content.decode()
    assert "Audit log" in audit and "Published" in audit
    member = _login(users, "member").get(f"/en/datasets/{ds.slug}/history/").content.decode()
    assert "Audit log" not in member


def test_metadata_only_offers_access_request(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ds = make_dataset(visibility="metadata_only", contact_email="data@example.org")
    client = Client()
    page = client.get(f"/en/datasets/{ds.slug}/").content.decode()
    assert "Request access to the data" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/datasets/{ds.slug}/request-access/",
            {"name": "R", "email": "r@example.org", "reason": "research"},
        )
    assert response.status_code == 302
    assert ds.access_requests.count() == 1
    assert "data@example.org" in {m.to[0] for m in mail.outbox}


def test_organisation_pages_and_needs_update(
    users: dict[str, Any], make_dataset: Any, org: Any
) -> None:
    """The organisation page lists datasets that are due, overdue or delinquent."""
    from datetime import timedelta

    from django.utils import timezone

    stale = make_dataset(title="ZZ stale monthly", frequency="monthly")
    Dataset.objects.filter(pk=stale.pk).update(data_updated_at=timezone.now() - timedelta(days=50))
    make_dataset(title="ZZ fresh monthly", frequency="monthly")
    client = Client()
    assert "ZZ Test NGO" in client.get("/en/organisations/").content.decode()
    html = client.get(f"/en/organisations/{org.slug}/").content.decode()
    needs = html.split('id="needs-heading"')[1].split("</section>")[0]
    assert "ZZ stale monthly" in needs and "Overdue" in needs and "ZZ fresh monthly" not in needs


def test_api_list_filters_paging_and_errors(make_dataset: Any, org: Any) -> None:
    for i in range(3):
        make_dataset(title=f"ZZ api {i}")
    client = Client()
    body = client.get("/api/v1/datasets", {"organisation": org.slug, "limit": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"]
    error = client.get("/api/v1/datasets", {"limit": 0})
    assert error.status_code == 400 and error.json()["error"]["code"] == "invalid_limit"
    missing = client.get("/api/v1/datasets/zz-nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_login_page_signs_in(users: dict[str, Any]) -> None:
    client = Client()
    response = client.post(
        "/en/accounts/login/", {"username": "zz_contributor", "password": "pw-Zz-12345"}
    )
    assert response.status_code == 302
    assert client.get("/en/datasets/mine/").status_code == 200


@pytest.mark.django_db
def test_api_offset_beyond_a_database_integer_is_a_400(client) -> None:
    """A huge offset is a clear 400, not a database overflow."""
    response = client.get("/api/v1/datasets?offset=99999999999999999999")
    assert response.status_code in (400, 422)
    assert "error" in response.json()


@pytest.mark.django_db
def test_list_cards_show_published_formats_and_no_freshness_for_drafts(
    client, make_dataset: Any, users: dict[str, Any]
) -> None:
    """Cards carry the formats of published files; a draft shows no freshness badge."""
    from sdg87.catalog.selectors import dataset_formats

    dataset = make_dataset(state="published")
    formats = dataset_formats(dataset_ids=[dataset.pk])
    assert formats.get(dataset.pk) == sorted(
        {d.format for d in dataset.distributions.filter(published=True) if d.format}
    )


@pytest.mark.django_db
def test_sign_in_without_next_lands_on_my_datasets(client, users: dict[str, Any]) -> None:
    """After signing in, a contributor lands on their datasets, not a 404 profile page."""
    from django.conf import settings
    from django.shortcuts import resolve_url

    assert resolve_url(settings.LOGIN_REDIRECT_URL) == "/en/datasets/mine/"


def test_new_dataset_page_preselects_the_only_organisation(users: dict[str, Any], org: Any) -> None:
    """The "New dataset" page renders the contributor's only organisation as selected."""
    client = _login(users, "contributor")
    html = client.get("/en/datasets/new/").content.decode()
    assert f'<option value="{org.pk}" selected>' in html


def test_an_editor_flags_a_published_dataset_as_sensitive_from_its_page(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A reviewer who finds case-level data in a published dataset quarantines it from the
    dataset page: the form is offered to editors only, and the page is then gone for the
    public."""
    ds = make_dataset()
    assert "Flag as sensitive" not in Client().get(f"/en/datasets/{ds.slug}/").content.decode()
    assert Client().post(f"/en/datasets/{ds.slug}/action/quarantine/").status_code == 302
    assert not Dataset.objects.get(pk=ds.pk).quarantined  # anonymous: sent to sign in
    editor = _login(users, "editor")
    assert "Flag as sensitive" in editor.get(f"/en/datasets/{ds.slug}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"/en/datasets/{ds.slug}/action/quarantine/", {"message": "names of victims"}
        )
    assert response.status_code == 302
    ds.refresh_from_db()
    assert ds.quarantined and ds.sensitive
    assert Client().get(f"/en/datasets/{ds.slug}/").status_code == 404
    page = editor.get(f"/en/datasets/{ds.slug}/").content.decode()
    assert "In quarantine" in page and "Flag as sensitive" not in page
