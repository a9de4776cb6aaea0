"""Aggregate tables through the whole review (declare on the page, computed by the task,
suppressed table shown with primary and secondary cells marked, passed, certificate), and the
pass as one transaction: a failure after the release leaves nothing half done.

The table is SYNTHETIC (typed here, three regions x three forms of exploitation, the
hand-checked 3 x 3 table of test_sdc), never loaded as real data."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from sdg87.catalog.models import AuditAction, AuditEntry, Dataset, DatasetVersion
from sdg87.catalog.services import datasets
from sdg87.catalog.tests.conftest import csv_file
from sdg87.disclosure import sdc, services
from sdg87.disclosure.models import Certificate, DisclosureReview, ReviewMode, ReviewState

pytestmark = pytest.mark.django_db

SYNTHETIC_TABLE = (
    b"region,forced_labour,sexual_exploitation,other\nNorth,3,8,10\nCentre,9,7,12\nSouth,11,6,14\n"
)
COUNT_COLUMNS = ["forced_labour", "sexual_exploitation", "other"]


def _login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def table_dataset(users: dict[str, Any], org: Any, upload: Any) -> Dataset:
    dataset = datasets.dataset_create(
        actor=users["contributor"], publisher=org, title="ZZ synthetic case counts"
    )
    upload(
        actor=users["contributor"],
        dataset=dataset,
        file=csv_file(SYNTHETIC_TABLE, "counts.csv"),
        sensitive=True,
    )
    dataset.refresh_from_db()
    assert dataset.quarantined
    return dataset


def _declare(users: dict[str, Any], dataset: Dataset, capture: Any) -> DisclosureReview:
    with capture(execute=True):
        services.review_declare_table(
            actor=users["editor"],
            dataset=dataset,
            source=dataset.distributions.get(),
            label_column="region",
            count_columns=COUNT_COLUMNS,
        )
    return DisclosureReview.objects.get(dataset=dataset)


def test_aggregate_table_from_the_page_to_its_certificate(
    users: dict[str, Any], table_dataset: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    dataset = table_dataset
    editor = _login(users["editor"])
    url = f"/en/disclosure/datasets/{dataset.slug}/"
    form = editor.get(url, {"mode": "aggregate"}).content.decode()
    assert 'name="label_column"' in form and 'value="sexual_exploitation"' in form
    assert 'name="min_count"' in form and 'value="5"' in form
    assert 'name="quasi_identifiers"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            url,
            {
                "mode": "aggregate",
                "source": dataset.distributions.get().pk,
                "label_column": "region",
                "count_columns": COUNT_COLUMNS,
                "min_count": "5",
            },
        )
    assert response.status_code == 302 and response["Location"].endswith("?mode=aggregate")
    review = DisclosureReview.objects.get(dataset=dataset)
    assert review.mode == ReviewMode.AGGREGATE
    assert review.state == ReviewState.COMPUTED, review.error
    # 3 (North x forced labour) is the primary; the three cells that hide it from the totals
    marks = [[c["mark"] for c in row["cells"]] for row in review.table["rows"]]
    assert marks == [["primary", "secondary", ""], ["secondary", "secondary", ""], ["", "", ""]]
    assert review.information_lost["cells_suppressed"] == 4
    assert review.risk_before["records_at_risk"] == 3 and review.risk_before["records"] == 80

    page = editor.get(url).content.decode()
    assert page.count("<small>primary</small>") == 1
    assert page.count("<small>secondary</small>") == 3
    assert "Pass: publish the protected file" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"{url}reviews/{review.pk}/pass/")
    cert = Certificate.objects.get(dataset=dataset)
    assert response["Location"] == cert.get_absolute_url()
    dataset.refresh_from_db()
    assert not dataset.quarantined

    anonymous = Client()
    body = anonymous.get(f"/en/disclosure/certificates/{cert.pk}.json").json()
    assert body["mode"] == "aggregate" and body["min_count"] == 5
    assert body["cells_suppressed"] == 4
    assert (body["cells_suppressed_primary"], body["cells_suppressed_secondary"]) == (1, 3)
    assert body["k_target"] is None and body["records_released"] == 80
    page = anonymous.get(cert.get_absolute_url()).content.decode()
    assert "4 (1 primary, 3 secondary)" in page and "Minimum cell count" in page
    assert "minimum cell count 5" in anonymous.get(f"/en/datasets/{dataset.slug}/").content.decode()

    # the published file: totals present, the four cells '*', and the attacker's audit finds
    # nothing to recover from it
    download = anonymous.get(f"/en/datasets/{dataset.slug}/files/{cert.distribution_id}/download/")
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["region", *COUNT_COLUMNS, "Total"]
    assert rows[1:] == [
        ["North", "*", "*", "10", "21"],
        ["Centre", "*", "*", "12", "28"],
        ["South", "11", "6", "14", "31"],
        ["Total", "23", "21", "36", "80"],
    ]
    counts = [[3, 8, 10], [9, 7, 12], [11, 6, 14]]
    hidden = {(i, j) for i, r in enumerate(rows[1:4]) for j, v in enumerate(r[1:4]) if v == "*"}
    assert sdc.exposed_cells(counts, hidden) == []


def test_table_declaration_errors_name_the_field(
    users: dict[str, Any], table_dataset: Dataset
) -> None:
    with pytest.raises(ValidationError) as err:
        services.review_declare_table(
            actor=users["editor"],
            dataset=table_dataset,
            source=table_dataset.distributions.get(),
            label_column="nope",
            count_columns=[],
            min_count=0,
        )
    assert set(err.value.message_dict) == {"label_column", "count_columns", "min_count"}


def test_a_count_that_is_not_a_number_fails_the_computation(
    users: dict[str, Any], org: Any, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dataset = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ bad")
    upload(
        actor=users["contributor"],
        dataset=dataset,
        file=csv_file(b"region,a,b\nNorth,3,x\nSouth,9,8\n", "counts.csv"),
        sensitive=True,
    )
    review = _declare_columns(users, dataset, ["a", "b"], django_capture_on_commit_callbacks)
    assert review.state == ReviewState.FAILED
    assert review.error == "Row 2, column b: not a count: x"


def _declare_columns(
    users: dict[str, Any], dataset: Dataset, columns: list[str], capture: Any
) -> DisclosureReview:
    with capture(execute=True):
        review = services.review_declare_table(
            actor=users["editor"],
            dataset=dataset,
            source=dataset.distributions.get(),
            label_column="region",
            count_columns=columns,
        )
    review.refresh_from_db()
    return review


def _stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_a_failure_after_the_release_leaves_nothing_half_done(
    users: dict[str, Any], table_dataset: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    """The certificate is written last; when it cannot be (here: the stored risk says a share
    of 1.5, which its check constraint refuses), the release before it is undone too: no new
    file (nor its stored copy), no version, no audit entry, no certificate; the dataset stays
    in quarantine and the review can still be passed once the cause is gone."""
    dataset = table_dataset
    review = _declare(users, dataset, django_capture_on_commit_callbacks)
    assert review.state == ReviewState.COMPUTED
    broken = {**review.risk_before, "share_at_risk": 1.5}
    DisclosureReview.objects.filter(pk=review.pk).update(risk_before=broken)
    review.refresh_from_db()
    files_before = _stored_files()
    distributions_before = list(dataset.distributions.values_list("pk", "published", "retired_at"))
    versions_before = DatasetVersion.objects.filter(dataset=dataset).count()

    with pytest.raises(ValidationError, match="certificate_share_is_a_share"):
        services.review_pass(actor=users["editor"], review=review)

    dataset.refresh_from_db()
    assert dataset.quarantined
    assert (
        list(dataset.distributions.values_list("pk", "published", "retired_at"))
        == distributions_before
    )
    assert DatasetVersion.objects.filter(dataset=dataset).count() == versions_before
    assert not AuditEntry.objects.filter(dataset=dataset, action=AuditAction.RELEASE).exists()
    assert not Certificate.objects.exists()
    review.refresh_from_db()
    assert review.state == ReviewState.COMPUTED
    assert _stored_files() == files_before

    DisclosureReview.objects.filter(pk=review.pk).update(
        risk_before={**broken, "share_at_risk": 0.0375}
    )
    review.refresh_from_db()
    cert = services.review_pass(actor=users["editor"], review=review)
    dataset.refresh_from_db()
    assert not dataset.quarantined and cert.cells_suppressed == 4
    assert AuditEntry.objects.filter(dataset=dataset, action=AuditAction.RELEASE).count() == 1
