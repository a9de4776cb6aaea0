"""The unprotected file of a released sensitive dataset: reachable only through an access
request (signed in, terms accepted) granted by an editor; every download is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from sdg87.catalog.models import AccessRequest, AuditAction, AuditEntry
from sdg87.catalog.services import access, review
from sdg87.catalog.tests.conftest import GOOD_CSV, csv_file

pytestmark = pytest.mark.django_db


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_unprotected_file_only_through_a_granted_request(
    users: dict[str, Any], make_dataset: Any, upload: Any
) -> None:
    dataset = make_dataset(title="ZZ sensitive original")
    original = dataset.distributions.get()
    dataset = review.dataset_quarantine(actor=users["editor"], dataset=dataset)
    protected = upload(
        actor=users["editor"],
        dataset=dataset,
        file=csv_file(b"geo,year,value,unit\nKEN,2019,12.5,PERCENT\n", name="protected.csv"),
    )
    review.dataset_release_sensitive(actor=users["editor"], dataset=dataset, protected=protected)
    dataset.refresh_from_db()
    assert not dataset.quarantined
    url = f"/en/datasets/{dataset.slug}/originals/{original.pk}/download/"
    # without a granted request nobody downloads it, the publisher's editors included
    assert Client().get(url).status_code == 404
    for role in ("other", "member", "editor"):
        assert _login(users[role]).get(url).status_code == 404, role

    with pytest.raises(ValidationError) as err:
        access.access_request_create(
            dataset=dataset, name="A", email="a@example.org", reason="research"
        )
    assert set(err.value.message_dict) == {"email", "terms_accepted"}

    other = _login(users["other"])
    page = other.get(f"/en/datasets/{dataset.slug}/").content.decode()
    assert 'name="terms_accepted"' in page
    response = other.post(
        f"/en/datasets/{dataset.slug}/request-access/",
        {
            "name": "Other",
            "email": "zz_other@example.org",
            "reason": "research",
            "terms_accepted": "on",
        },
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get(dataset=dataset)
    assert request.terms_accepted_at is not None and request.user == users["other"]
    assert other.get(url).status_code == 404  # not granted yet

    with pytest.raises(PermissionDenied):
        access.access_request_grant(actor=users["contributor"], access_request=request)
    grant_url = f"/en/datasets/{dataset.slug}/access-requests/{request.pk}/grant/"
    assert _login(users["contributor"]).post(grant_url).status_code == 404
    editor = _login(users["editor"])
    assert "zz_other@example.org" in editor.get(f"/en/datasets/{dataset.slug}/").content.decode()
    assert editor.post(grant_url).status_code == 302

    for _ in range(2):
        download = other.get(url)
        assert download.status_code == 200
        assert download.getvalue() == GOOD_CSV
    entries = AuditEntry.objects.filter(dataset=dataset, action=AuditAction.ORIGINAL_DOWNLOAD)
    assert entries.count() == 2
    assert {e.actor_id for e in entries} == {users["other"].pk}
    assert all(original.sha256 in e.message for e in entries)
    assert AuditEntry.objects.filter(dataset=dataset, action=AuditAction.ACCESS_GRANT).count() == 1
    # the route serves unprotected files only, and only to the granted requester
    protected_url = f"/en/datasets/{dataset.slug}/originals/{protected.pk}/download/"
    assert other.get(protected_url).status_code == 404
    assert _login(users["member"]).get(url).status_code == 404
