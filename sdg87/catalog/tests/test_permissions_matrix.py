"""The permission matrix: roles x actions x visibility, through services, pages, REST API and
search. Nobody sees or changes what they should not (see sdg87/catalog/permissions.py)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from sdg87.catalog import permissions, selectors
from sdg87.catalog.models import Dataset, Status
from sdg87.catalog.services import datasets, distributions, review

pytestmark = pytest.mark.django_db

ALL = ("superuser", "admin", "editor", "contributor", "member", "other", "anonymous")
ORG_ROLES = {"superuser", "admin", "editor", "contributor", "member"}
WRITERS = {"superuser", "admin", "editor", "contributor"}
REVIEWERS = {"superuser", "admin", "editor"}

# expected visibility of a *published* dataset's metadata and data, per visibility level
SEES_METADATA = {"public": set(ALL), "metadata_only": set(ALL), "organisation": ORG_ROLES}
SEES_DATA = {"public": set(ALL), "metadata_only": ORG_ROLES, "organisation": ORG_ROLES}


def _client(users: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.fixture
def published(make_dataset: Any) -> dict[str, Dataset]:
    return {
        vis: make_dataset(visibility=vis, title=f"ZZ matrix {vis}")
        for vis in ("public", "organisation", "metadata_only")
    }


@pytest.mark.parametrize("role", ALL)
def test_published_visibility_through_every_interface(
    role: str, users: dict[str, Any], published: dict[str, Dataset]
) -> None:
    """Metadata and data of published datasets are visible exactly as the matrix says, through
    the permission functions, the dataset page, the file download, the REST API, the listing
    search and the dataset_search selector."""
    user = users[role]
    client = _client(users, role)
    search_slugs = {
        d.slug for d in selectors.dataset_search(user=user, q="matrix", facets=False).datasets
    }
    api_list = client.get("/api/v1/datasets", {"q": "matrix", "limit": "100"}).json()
    api_slugs = {d["slug"] for d in api_list["results"]}
    page_list = client.get("/en/datasets/", {"q": "matrix"}).content.decode()
    for vis, dataset in published.items():
        sees = role in SEES_METADATA[vis]
        data = role in SEES_DATA[vis]
        assert permissions.can_view_dataset(user, dataset) is sees, (vis, "perm")
        assert permissions.can_view_data(user, dataset) is data, (vis, "data perm")
        page = client.get(f"/en/datasets/{dataset.slug}/")
        assert page.status_code == (200 if sees else 404), (vis, "page")
        dist = dataset.distributions.get()
        download = client.get(f"/en/datasets/{dataset.slug}/files/{dist.pk}/download/")
        assert download.status_code == (200 if data else 404), (vis, "download")
        api = client.get(f"/api/v1/datasets/{dataset.slug}")
        assert api.status_code == (200 if sees else 404), (vis, "api")
        if sees:
            body = api.json()
            assert body["data_access"] is data
            assert (body["distributions"][0]["download_url"] is not None) is data
        assert (dataset.slug in api_slugs) is sees, (vis, "api list")
        assert (dataset.slug in search_slugs) is sees, (vis, "search")
        assert (f"/en/datasets/{dataset.slug}/" in page_list) is sees, (vis, "listing")


@pytest.mark.parametrize("role", ALL)
def test_drafts_are_seen_only_by_writers(
    role: str, users: dict[str, Any], make_dataset: Any
) -> None:
    """Unpublished datasets are invisible to members, other organisations and the public."""
    draft = make_dataset(state="draft", title="ZZ matrix draft")
    client = _client(users, role)
    sees = role in WRITERS
    assert permissions.can_view_dataset(users[role], draft) is sees
    assert client.get(f"/en/datasets/{draft.slug}/").status_code == (200 if sees else 404)
    assert client.get(f"/api/v1/datasets/{draft.slug}").status_code == (200 if sees else 404)
    slugs = {d.slug for d in selectors.dataset_search(user=users[role], q="draft").datasets}
    assert (draft.slug in slugs) is sees


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("live", [False, True])
def test_edit_permission(role: str, live: bool, users: dict[str, Any], make_dataset: Any) -> None:
    """Writers edit drafts; once live, only reviewers (editor/admin) edit the metadata."""
    dataset = make_dataset(state="published" if live else "draft")
    allowed = role in (REVIEWERS if live else WRITERS)
    assert permissions.can_edit_dataset(users[role], dataset) is allowed
    if allowed:
        datasets.dataset_update(actor=users[role], dataset=dataset, data={"title": "ZZ renamed"})
    else:
        with pytest.raises(PermissionDenied):
            datasets.dataset_update(actor=users[role], dataset=dataset, data={"title": "x"})
    response = _client(users, role).post(
        f"/en/datasets/{dataset.slug}/edit/", {"title": "ZZ via page"}
    )
    if not allowed:
        assert response.status_code in (302, 403, 404)
        assert Dataset.objects.get(pk=dataset.pk).title != "ZZ via page"


ACTIONS = {
    # action: (state the dataset must be in, roles allowed, state afterwards)
    "submit": ("draft", WRITERS, Status.SUBMITTED),
    "approve": ("submitted", REVIEWERS, Status.APPROVED),
    "request_changes": ("submitted", REVIEWERS, Status.CHANGES_REQUESTED),
    "publish": ("approved", REVIEWERS, Status.PUBLISHED),
    "unpublish": ("published", REVIEWERS, Status.DRAFT),
}


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_workflow_actions_through_pages(
    role: str, action: str, users: dict[str, Any], make_dataset: Any
) -> None:
    """Each workflow button works for the allowed roles and changes nothing for the others."""
    state, allowed_roles, after = ACTIONS[action]
    dataset = make_dataset(state=state, title=f"ZZ {action}")
    before = dataset.status
    response = _client(users, role).post(
        f"/en/datasets/{dataset.slug}/action/{action}/", {"message": "because"}
    )
    dataset.refresh_from_db()
    if role in allowed_roles:
        assert response.status_code == 302
        assert dataset.status == after
    else:
        assert response.status_code in (302, 403, 404)
        assert dataset.status == before


@pytest.mark.parametrize("role", ALL)
def test_upload_permission(role: str, users: dict[str, Any], make_dataset: Any) -> None:
    """Writers may upload to drafts and to live datasets (held for review); nobody else can."""
    from sdg87.catalog.tests.conftest import csv_file

    dataset = make_dataset()
    allowed = role in WRITERS
    assert permissions.can_upload(users[role], dataset) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            distributions.distribution_upload(actor=users[role], dataset=dataset, file=csv_file())
        return
    dist = distributions.distribution_upload(actor=users[role], dataset=dataset, file=csv_file())
    assert not dist.published
    # held files are not listed for the public until the next publication
    public = selectors.distribution_list(user=users["anonymous"], dataset=dataset)
    assert dist.pk not in {d.pk for d in public}


def test_scheduled_publication_is_hidden_until_due(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """publish_at in the future keeps the dataset out of public view (but not from writers)."""
    from datetime import timedelta

    from django.utils import timezone

    dataset = make_dataset(state="approved", title="ZZ scheduled")
    review.dataset_publish(
        actor=users["editor"], dataset=dataset, publish_at=timezone.now() + timedelta(days=2)
    )
    dataset.refresh_from_db()
    assert dataset.live
    assert not permissions.can_view_dataset(users["anonymous"], dataset)
    assert not permissions.can_view_dataset(users["member"], dataset)
    assert permissions.can_view_dataset(users["contributor"], dataset)
    later = timezone.now() + timedelta(days=3)
    assert permissions.can_view_dataset(users["anonymous"], dataset, now=later)
    assert dataset.slug in {
        d.slug for d in selectors.dataset_visible_queryset(user=None, now=later)
    }
    assert dataset.slug not in {d.slug for d in selectors.dataset_public_queryset()}


def test_embargo_withholds_data_but_not_metadata(users: dict[str, Any], make_dataset: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    dataset = make_dataset(title="ZZ embargoed", embargo_until=timezone.now() + timedelta(days=1))
    assert permissions.can_view_dataset(users["anonymous"], dataset)
    assert not permissions.can_view_data(users["anonymous"], dataset)
    assert permissions.can_view_data(users["member"], dataset)
    dist = dataset.distributions.get()
    assert Client().get(f"/en/datasets/{dataset.slug}/files/{dist.pk}/download/").status_code == 404


@pytest.mark.parametrize("role", ALL)
def test_library_interfaces_follow_the_dataset(
    role: str, users: dict[str, Any], published: dict[str, Dataset], make_dataset: Any
) -> None:
    """The dataset interfaces issue 10 added follow the same matrix: the citation downloads
    and the listing's reference export show what the role may see; the Atom feed and OAI-PMH
    (anonymous by nature) only datasets anonymous visitors may see, and OAI-PMH never names
    an organisation-only or draft dataset."""
    from sdg87.library.oai import selectors as oai

    draft = make_dataset(state="draft", title="ZZ matrix draft")
    client = _client(users, role)
    cases = {vis: (d, role in SEES_METADATA[vis]) for vis, d in published.items()}
    cases["draft"] = (draft, role in WRITERS)
    export = client.get("/en/datasets/export/", {"q": "matrix", "export": "ris"}).content.decode()
    feed = Client().get("/en/datasets/feed/").content.decode()
    anonymous = {"public": True, "metadata_only": True, "organisation": False, "draft": False}
    for name, (dataset, sees) in cases.items():
        cite = client.get(f"/en/datasets/{dataset.slug}/cite.bib")
        assert cite.status_code == (200 if sees else 404), (name, "cite.bib")
        assert (f"TI  - {dataset.title}" in export) is sees, (name, "export")
        assert (f"/en/datasets/{dataset.slug}/" in feed) is anonymous[name], (name, "feed")
        record = (
            Client()
            .get(
                "/oai",
                {
                    "verb": "GetRecord",
                    "metadataPrefix": "oai_dc",
                    "identifier": oai.oai_identifier("dataset", dataset.slug),
                },
            )
            .content.decode()
        )
        assert ("<metadata>" in record) is anonymous[name], (name, "oai")
        assert ('code="idDoesNotExist"' in record) is (not anonymous[name]), (name, "oai")


# --- sensitive datasets in quarantine (issue 13, ADR 0014) --------------------------------------

SITEMAPS = ("/sitemap.xml", "/en/sitemap.xml")


@pytest.fixture
def quarantined(users: dict[str, Any], make_dataset: Any, upload: Any) -> dict[str, Dataset]:
    """Published datasets then put in quarantine: one flagged by a reviewer (public and
    organisation-only), one by a new file its contributor marked sensitive at upload."""
    from sdg87.catalog.tests.conftest import csv_file

    made = {
        vis: make_dataset(visibility=vis, title=f"ZZ quarantix {vis}")
        for vis in ("public", "organisation", "metadata_only")
    }
    for vis in ("public", "organisation"):
        review.dataset_quarantine(actor=users["editor"], dataset=made[vis], message="case data")
    upload(
        actor=users["contributor"],
        dataset=made["metadata_only"],
        file=csv_file(name="cases.csv"),
        sensitive=True,
    )
    return {vis: Dataset.objects.get(pk=d.pk) for vis, d in made.items()}


@pytest.mark.parametrize("role", ALL)
def test_quarantine_hides_a_sensitive_dataset_through_every_interface(
    role: str, users: dict[str, Any], quarantined: dict[str, Dataset]
) -> None:
    """A quarantined dataset, whatever its visibility and although it is live, is seen (page,
    files, every API) by the publisher's admins, editors and contributors only; anonymous
    interfaces (feed, OAI-PMH, DCAT catalogue, sitemaps, search index) never name it."""
    from sdg87.library.oai import selectors as oai
    from sdg87.search.indexing import index_rebuild

    index_rebuild()
    user = users[role]
    client = _client(users, role)
    sees = role in WRITERS
    search_slugs = {
        d.slug for d in selectors.dataset_search(user=user, q="quarantix", facets=False).datasets
    }
    api_list = client.get("/api/v1/datasets", {"q": "quarantix", "limit": "100"}).json()
    api_slugs = {d["slug"] for d in api_list["results"]}
    listing = client.get("/en/datasets/", {"q": "quarantix"}).content.decode()
    site_search = client.get("/en/search/", {"q": "quarantix"}).content.decode()
    ckan_search = client.get("/api/3/action/package_search", {"q": "quarantix", "rows": "100"})
    ckan_names = {p["name"] for p in ckan_search.json()["result"]["results"]}
    dcat = client.get("/catalog.ttl").content.decode()
    feed = Client().get("/en/datasets/feed/").content.decode()
    export = client.get(
        "/en/datasets/export/", {"q": "quarantix", "export": "ris"}
    ).content.decode()
    sitemaps = "".join(Client().get(path).content.decode(errors="replace") for path in SITEMAPS)
    for vis, dataset in quarantined.items():
        assert dataset.quarantined and dataset.sensitive and dataset.live
        where = (vis, role)
        assert permissions.can_view_dataset(user, dataset) is sees, where
        assert permissions.can_view_data(user, dataset) is sees, where
        assert client.get(f"/en/datasets/{dataset.slug}/").status_code == (200 if sees else 404)
        dist = dataset.distributions.filter(published=True).first()
        assert dist is not None
        download = client.get(f"/en/datasets/{dataset.slug}/files/{dist.pk}/download/")
        assert download.status_code == (200 if sees else 404), (where, "download")
        api = client.get(f"/api/v1/datasets/{dataset.slug}")
        assert api.status_code == (200 if sees else 404), (where, "api")
        assert (dataset.slug in api_slugs) is sees, (where, "api list")
        assert (dataset.slug in search_slugs) is sees, (where, "search selector")
        assert (f"/en/datasets/{dataset.slug}/" in listing) is sees, (where, "listing")
        ckan = client.get("/api/3/action/package_show", {"id": dataset.slug})
        assert (ckan.status_code == 200) is sees, (where, "ckan package_show")
        ttl = client.get(f"/dataset/{dataset.slug}.ttl")
        assert ttl.status_code == (200 if sees else 404), (where, "dcat dataset")
        assert (f"/datasets/{dataset.slug}/" in dcat) is sees, (where, "dcat catalogue")
        assert client.get(f"/en/datasets/{dataset.slug}/cite.bib").status_code == (
            200 if sees else 404
        ), (where, "cite")
        assert (f"TI  - {dataset.title}" in export) is sees, (where, "export")
        # The published site search never shows a dataset in quarantine, to anybody but its
        # editors (the index holds published content: writers may or may not find it there).
        # (CKAN's package_search answers from the same index)
        if not sees:
            assert dataset.title not in site_search, (where, "site search")
            assert dataset.slug not in ckan_names, (where, "ckan package_search")
        # anonymous by nature: nobody's feed, OAI-PMH record or sitemap names it
        assert f"/en/datasets/{dataset.slug}/" not in feed, (where, "feed")
        assert dataset.slug not in sitemaps, (where, "sitemap")
        record = Client().get(
            "/oai",
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": oai.oai_identifier("dataset", dataset.slug),
            },
        )
        # never its metadata; a dataset that was public before shows as a deleted record
        oai_text = record.content.decode()
        assert "<metadata>" not in oai_text and dataset.title not in oai_text, (where, "oai")
        assert 'code="idDoesNotExist"' in oai_text or 'status="deleted"' in oai_text, where


@pytest.mark.parametrize("role", ALL)
def test_quarantine_and_release_permissions(
    role: str, users: dict[str, Any], make_dataset: Any
) -> None:
    """Anybody who may add files may flag a dataset (it only hides more); only reviewers
    release it, and only while it is in quarantine."""
    dataset = make_dataset(title="ZZ quarantix flag")
    assert permissions.can_flag_sensitive(users[role], dataset) is (role in WRITERS)
    if role in WRITERS:
        review.dataset_quarantine(actor=users[role], dataset=dataset)
        dataset.refresh_from_db()
        assert dataset.quarantined
        assert permissions.can_release_sensitive(users[role], dataset) is (role in REVIEWERS)
    else:
        with pytest.raises(PermissionDenied):
            review.dataset_quarantine(actor=users[role], dataset=dataset)
        assert not Dataset.objects.get(pk=dataset.pk).quarantined
    assert not permissions.can_release_sensitive(users["editor"], make_dataset(title="ZZ q2"))
