"""End to end: a contributor uploads case-level microdata (a SYNTHETIC file generated here)
flagged sensitive; it stays invisible until a reviewer applies k = 11 and passes the review;
the published file's k is then recomputed from the download with a plain count."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sdg87.catalog.models import Dataset
from sdg87.catalog.services import datasets, review
from sdg87.disclosure.models import Certificate, DisclosureReview, ReviewState
from sdg87.disclosure.tests.synthetic import HIERARCHIES, QUASI_IDENTIFIERS, as_csv, synthetic_cases

pytestmark = pytest.mark.django_db


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _hidden_from_public(dataset: Dataset) -> None:
    anonymous = Client()
    assert anonymous.get(f"/en/datasets/{dataset.slug}/").status_code == 404
    assert anonymous.get(f"/api/v1/datasets/{dataset.slug}").status_code == 404
    assert anonymous.get(f"/dataset/{dataset.slug}.ttl").status_code == 404
    ckan = anonymous.get("/api/3/action/package_show", {"id": dataset.slug})
    assert ckan.status_code != 200


def test_sensitive_upload_to_certified_release(
    users: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dataset = datasets.dataset_create(
        actor=users["contributor"], publisher=org, title="ZZ synthetic case records"
    )
    contributor = _login(users["contributor"])
    raw = as_csv(synthetic_cases())
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(
            f"/en/datasets/{dataset.slug}/upload/",
            {
                "file": SimpleUploadedFile("cases.csv", raw, content_type="text/csv"),
                "sensitive": "on",
            },
        )
    assert response.status_code == 302, response.content[:2000]
    dataset.refresh_from_db()
    assert dataset.sensitive and dataset.quarantined
    original = dataset.distributions.get()
    assert original.is_valid is True

    # the usual review and publication: live, but still in quarantine
    with django_capture_on_commit_callbacks(execute=True):
        review.dataset_submit(actor=users["contributor"], dataset=dataset)
        review.dataset_approve(actor=users["editor"], dataset=dataset)
        review.dataset_publish(actor=users["editor"], dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.live and dataset.quarantined
    _hidden_from_public(dataset)
    assert _login(users["member"]).get(f"/en/datasets/{dataset.slug}/").status_code == 404

    # the disclosure review page: reviewers only
    review_url = f"/en/disclosure/datasets/{dataset.slug}/"
    for role in ("contributor", "member", "other"):
        assert _login(users[role]).get(review_url).status_code == 404, role
    assert Client().get(review_url).status_code == 404
    editor = _login(users["editor"])
    page = editor.get(review_url)
    assert page.status_code == 200
    assert 'value="citizenship"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            review_url,
            {
                "source": original.pk,
                "quasi_identifiers": QUASI_IDENTIFIERS,
                "sensitive_attribute": "exploitation",
                "k": "11",
                "hierarchies": json.dumps(HIERARCHIES),
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    declared = DisclosureReview.objects.get(dataset=dataset)
    assert declared.state == ReviewState.COMPUTED, declared.error
    assert declared.risk_before["k_achieved"] < 11
    assert declared.risk_before["risky_combinations"]
    computed_page = editor.get(review_url).content.decode()
    assert "Pass: publish the protected file" in computed_page
    _hidden_from_public(dataset)  # computing changes nothing public

    response = editor.post(f"{review_url}reviews/{declared.pk}/pass/", {"note": "k 11"})
    cert = Certificate.objects.get(dataset=dataset)
    assert response.status_code == 302 and response["Location"] == cert.get_absolute_url()
    dataset.refresh_from_db()
    assert not dataset.quarantined and dataset.live

    # public now: the only file is the protected one; the original is neither listed nor served
    anonymous = Client()
    detail = anonymous.get(f"/en/datasets/{dataset.slug}/").content.decode()
    assert cert.get_absolute_url() in detail
    published = list(dataset.distributions.filter(published=True))
    assert [d.pk for d in published] == [cert.distribution_id]
    original.refresh_from_db()
    assert not original.published and original.retired_at is not None
    assert (
        anonymous.get(f"/en/datasets/{dataset.slug}/files/{original.pk}/download/").status_code
        == 404
    )
    download = anonymous.get(f"/en/datasets/{dataset.slug}/files/{cert.distribution_id}/download/")
    assert download.status_code == 200
    released = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))

    # k recomputed independently: a plain count of each combination in the downloaded file
    counts = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in released)
    k = min(counts.values())
    assert k >= 11
    assert all(row["synthetic"] == "synthetic" for row in released)

    body = anonymous.get(f"/en/disclosure/certificates/{cert.pk}.json").json()
    assert body["k_achieved"] == k
    assert body["k_target"] == 11
    assert body["quasi_identifiers"] == QUASI_IDENTIFIERS
    assert body["records_released"] == len(released)
    assert body["records_removed"] == 3000 - len(released)
    assert body["reviewer"] == users["editor"].get_username()
    page = anonymous.get(cert.get_absolute_url())
    assert page.status_code == 200 and "k achieved" in page.content.decode()
    ttl = anonymous.get(f"/dataset/{dataset.slug}.ttl").content.decode()
    assert f"/en/disclosure/certificates/{cert.pk}.json" in ttl


def test_declaration_errors_name_the_field(users: dict[str, Any], make_dataset: Any) -> None:
    from sdg87.disclosure import services

    dataset = make_dataset(title="ZZ sensitive decl")
    dataset = review.dataset_quarantine(actor=users["editor"], dataset=dataset)
    source = dataset.distributions.get()
    with pytest.raises(ValidationError) as err:
        services.review_declare(
            actor=users["editor"],
            dataset=dataset,
            source=source,
            quasi_identifiers=["nope"],
            k=1,
            hierarchies={"geo": {"bands": [0]}},
        )
    messages = err.value.message_dict
    assert set(messages) == {"quasi_identifiers", "k", "hierarchies"}
    with pytest.raises(PermissionDenied):
        services.review_declare(
            actor=users["contributor"], dataset=dataset, source=source, quasi_identifiers=["geo"]
        )
