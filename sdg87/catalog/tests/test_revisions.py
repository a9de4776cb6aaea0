"""A revision of a published dataset (item 4 of issue 7): while a contributor's changes are
drafted, submitted, sent back or approved, the public keeps seeing the published version and
its files through every interface; a replaced file is kept as part of the old version."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import Client

from sdg87.catalog.models import Dataset, Distribution, Status
from sdg87.catalog.selectors import dataset_version_diff
from sdg87.catalog.services import distributions, review
from sdg87.catalog.tests.conftest import GOOD_CSV, csv_file

pytestmark = pytest.mark.django_db

NEW_CSV = b"geo,year,value,unit\nKEN,2019,13.0,PERCENT\nNPL,2019,3.0,PERCENT\n"
WORKING_STATES = ("Draft", "Submitted for review", "Changes requested", "Approved")


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _read(dist: Distribution) -> bytes:
    with dist.file.open("rb") as fh:
        return fh.read()


def _replace_through_the_page(
    client: Client, dataset: Dataset, old: Distribution, content: bytes, title: str = ""
) -> Distribution:
    response = client.post(
        f"/en/datasets/{dataset.slug}/upload/",
        {"file": csv_file(content), "title": title, "replace": str(old.pk)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Distribution.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _assert_public_sees_version_one(dataset: Dataset, old: Distribution, new_pk: int) -> None:
    """Anonymous visitors: status Published, the published file listed and downloadable with
    its original bytes, the pending one invisible; the same through CKAN and REST."""
    anon = _client()
    page = anon.get(f"/en/datasets/{dataset.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "No files yet" not in html
    assert f"/en/datasets/{dataset.slug}/files/{old.pk}/download/" in html
    assert f"/files/{new_pk}/" not in html
    assert ">Published<" in html
    for state in WORKING_STATES:
        assert f">{state}" not in html, state
    assert "revision in progress" not in html
    download = anon.get(f"/en/datasets/{dataset.slug}/files/{old.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == GOOD_CSV  # type: ignore[attr-defined]
    assert anon.get(f"/en/datasets/{dataset.slug}/files/{new_pk}/download/").status_code == 404
    ckan = anon.get("/api/3/action/package_show", {"id": dataset.slug}).json()["result"]
    assert ckan["state"] == "active"
    assert [r["id"] for r in ckan["resources"]] == [str(old.pk)]
    assert anon.get("/api/3/action/resource_show", {"id": str(new_pk)}).status_code == 404
    rest = anon.get(f"/api/v1/datasets/{dataset.slug}").json()
    assert rest["status"] == "published" and rest["live"] is True
    assert [d["id"] for d in rest["distributions"]] == [old.pk]
    listed = anon.get("/api/v1/datasets", {"q": dataset.title}).json()["results"]
    assert [d["status"] for d in listed if d["slug"] == dataset.slug] == ["published"]


def test_published_file_stays_online_through_a_revision_and_is_retired_on_publication(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A contributor replaces the only file of a published dataset (web upload with
    'Replaces'). Through draft, submitted, changes requested and approved the public sees
    version 1 unchanged (page, download, CKAN package_show, REST). Publishing makes the new
    file live and retires the old one: no longer listed, but kept in storage, and 'what
    changed' pairs the two files although the title changed."""
    dataset = make_dataset(title="ZZ revision")
    old = dataset.distributions.get()
    contributor, editor = users["contributor"], users["editor"]
    with django_capture_on_commit_callbacks(execute=True):
        new = _replace_through_the_page(
            _client(contributor), dataset, old, NEW_CSV, title="ZZ data 2020"
        )
    assert new.pk != old.pk and new.replaces_id == old.pk and not new.published
    old.refresh_from_db()
    assert old.published and old.retired_at is None and _read(old) == GOOD_CSV
    _assert_public_sees_version_one(dataset, old, new.pk)

    review.dataset_submit(actor=contributor, dataset=dataset)
    _assert_public_sees_version_one(dataset, old, new.pk)
    review.dataset_request_changes(actor=editor, dataset=dataset, message="units?")
    _assert_public_sees_version_one(dataset, old, new.pk)
    review.dataset_submit(actor=contributor, dataset=dataset)
    review.dataset_approve(actor=editor, dataset=dataset)
    _assert_public_sees_version_one(dataset, old, new.pk)

    # people who can see the working copy see both files and the revision state
    html = _client(contributor).get(f"/en/datasets/{dataset.slug}/").content.decode()
    assert "Approved (revision in progress)" in html
    assert f"/files/{old.pk}/" in html and f"/files/{new.pk}/" in html
    assert "Replaces" in html and "Being replaced" in html

    version = review.dataset_publish(actor=editor, dataset=dataset)
    assert version.number == 2
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.published and new.retired_at is None
    assert not old.published and old.retired_at is not None
    assert default_storage.exists(old.file.name) and _read(old) == GOOD_CSV

    anon = _client()
    assert anon.get(f"/en/datasets/{dataset.slug}/files/{old.pk}/download/").status_code == 404
    download = anon.get(f"/en/datasets/{dataset.slug}/files/{new.pk}/download/")
    assert b"".join(download.streaming_content) == NEW_CSV
    rest = anon.get(f"/api/v1/datasets/{dataset.slug}").json()
    assert [d["id"] for d in rest["distributions"]] == [new.pk]
    ckan = anon.get("/api/3/action/package_show", {"id": dataset.slug}).json()["result"]
    assert [r["id"] for r in ckan["resources"]] == [str(new.pk)]
    # the working copy no longer lists the retired file either
    html = _client(contributor).get(f"/en/datasets/{dataset.slug}/").content.decode()
    assert f"/files/{old.pk}/" not in html

    diff = dataset_version_diff(dataset=dataset, old=1, new=2)
    assert diff is not None
    (change,) = diff.files
    assert change.status == "changed" and change.title == "ZZ data 2020"
    assert (change.rows_added, change.rows_removed, change.rows_changed) == (1, 1, 1)
    page = anon.get(f"/en/datasets/{dataset.slug}/changes/", {"from": 1, "to": 2})
    assert page.status_code == 200


def test_replacing_a_pending_replacement_reuses_it(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Uploading over the published file twice keeps one pending replacement (the second
    upload reuses its row and removes its superseded file); the published file is untouched."""
    dataset = make_dataset(title="ZZ twice")
    old = dataset.distributions.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(NEW_CSV), replace=old
        )
    first_name = str(first.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        second = distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(GOOD_CSV), replace=old
        )
    assert second.pk == first.pk and second.replaces_id == old.pk
    assert not default_storage.exists(first_name)
    assert dataset.distributions.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        third = distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(NEW_CSV), replace=second
        )
    assert third.pk == first.pk and third.replaces_id == old.pk
    old.refresh_from_db()
    assert old.published and _read(old) == GOOD_CSV


def test_a_contributor_cannot_delete_or_unpublish_a_published_file(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Direct removal is refused; removing the pending replacement leaves the published file
    as it was; a retired file cannot be replaced."""
    dataset = make_dataset(title="ZZ keep")
    old = dataset.distributions.get()
    with pytest.raises(PermissionDenied):
        distributions.distribution_delete(actor=users["contributor"], distribution=old)
    response = _client(users["contributor"]).post(
        f"/en/datasets/{dataset.slug}/files/{old.pk}/delete/"
    )
    assert response.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        new = distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(NEW_CSV), replace=old
        )
        distributions.distribution_delete(actor=users["contributor"], distribution=new)
    old.refresh_from_db()
    assert old.published and _read(old) == GOOD_CSV
    assert [d.pk for d in dataset.distributions.all()] == [old.pk]

    with django_capture_on_commit_callbacks(execute=True):
        new = distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(NEW_CSV), replace=old
        )
    dataset.refresh_from_db()
    review.dataset_submit(actor=users["contributor"], dataset=dataset)
    review.dataset_approve(actor=users["editor"], dataset=dataset)
    review.dataset_publish(actor=users["editor"], dataset=dataset)
    old.refresh_from_db()
    assert old.retired_at is not None
    with pytest.raises(ValueError):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(NEW_CSV), replace=old
        )
    dataset.refresh_from_db()
    assert dataset.status == Status.PUBLISHED


def test_replace_choices_leave_out_retired_files(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The upload form offers the current and pending files under 'Replaces', never a
    retired one (posting its id is a form error, not a 500)."""
    dataset = make_dataset(title="ZZ choices")
    old = dataset.distributions.get()
    with django_capture_on_commit_callbacks(execute=True):
        distributions.distribution_upload(
            actor=users["editor"], dataset=dataset, file=csv_file(NEW_CSV), replace=old
        )
    dataset.refresh_from_db()
    review.dataset_submit(actor=users["editor"], dataset=dataset)
    review.dataset_approve(actor=users["editor"], dataset=dataset)
    review.dataset_publish(actor=users["editor"], dataset=dataset)
    client = _client(users["contributor"])
    form = client.get(f"/en/datasets/{dataset.slug}/upload/").content.decode()
    assert f'value="{old.pk}"' not in form
    response = client.post(
        f"/en/datasets/{dataset.slug}/upload/",
        {"file": csv_file(NEW_CSV), "replace": str(old.pk)},
    )
    assert response.status_code == 400


def test_diff_pairs_a_new_file_with_the_file_it_replaces() -> None:
    """'What changed' matches a replacement with its predecessor by the `replaces` id before
    titles, so a renamed replacement is 'changed', not one file removed and one added."""
    from sdg87.catalog.diff import diff_files

    old = [{"id": 1, "title": "2019", "sha256": "a", "row_hashes": {"KEN": "x"}}]
    new = [
        {"id": 3, "title": "2019", "sha256": "c", "row_hashes": None},
        {"id": 2, "title": "2020", "sha256": "b", "replaces": 1, "row_hashes": {"KEN": "y"}},
    ]
    changes = {c.title: c for c in diff_files(old, new)}
    assert changes["2020"].status == "changed" and changes["2020"].old_sha256 == "a"
    assert changes["2020"].rows_changed == 1
    assert changes["2019"].status == "added"
