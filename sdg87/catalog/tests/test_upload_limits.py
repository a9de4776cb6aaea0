"""One upload must not block every write (item 8 of issue 7): the upload request streams,
limits and sniffs the file outside any transaction and records it in one short transaction;
the validation runs in its task (validation.distribution_validate), outside any transaction,
and writes its report in another short one. Workbooks are read whole, within a row limit and
an unpacked-size limit, and temporary files never stay behind."""

from __future__ import annotations

import io
import tempfile
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sdg87.catalog import uploads
from sdg87.catalog.models import Dataset, Distribution, Status
from sdg87.catalog.services import datasets, distributions, review, validation
from sdg87.catalog.tests.conftest import GOOD_CSV, csv_file
from sdg87.catalog.tests.test_upload_sheets import workbook, zip_bomb
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Series

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _xlsx_file(content: bytes, name: str = "t.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


@pytest.fixture
def draft(users: dict[str, Any], org: Any) -> Dataset:
    return datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ limits")


# --- the lock is not held while a file is validated ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_validation_runs_in_the_task_outside_any_transaction_while_others_write(
    users: dict[str, Any], org: Any, monkeypatch: Any
) -> None:
    """An upload through the page: while its file is being validated (in the task, enqueued
    when the short upload transaction commits) no transaction is open, the distribution is
    already committed as 'validation in progress', and another connection can sign a user up
    and edit the very dataset row. Before the fix all of this ran inside the upload's
    transaction, which on SQLite holds the database's write lock."""
    dataset = datasets.dataset_create(
        actor=users["contributor"], publisher=org, title="ZZ concurrent"
    )
    seen: dict[str, Any] = {}
    real = uploads.validate_table

    def other_connection_writes() -> None:
        try:
            pending = Distribution.objects.get(dataset_id=dataset.pk)
            seen["committed_as_pending"] = pending.is_valid is None
            get_user_model().objects.create_user("zz_meanwhile", "m@example.org", "pw-Zz-12345")
            seen["updated"] = Dataset.objects.filter(pk=dataset.pk).update(title="ZZ renamed")
        except Exception as exc:  # reported below: a task swallows its exceptions
            seen["error"] = repr(exc)
        finally:
            connection.close()

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen["in_atomic_block"] = connection.in_atomic_block
        writer = threading.Thread(target=other_connection_writes)
        writer.start()
        writer.join(timeout=20)
        seen["writer_finished"] = not writer.is_alive()
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "validate_table", spy)
    response = _client(users["contributor"]).post(
        f"/en/datasets/{dataset.slug}/upload/", {"file": csv_file()}
    )
    assert response.status_code == 302
    assert seen == {
        "in_atomic_block": False,
        "committed_as_pending": True,
        "updated": 1,
        "writer_finished": True,
    }
    dist = Distribution.objects.get(dataset_id=dataset.pk)
    assert dist.is_valid is True and dist.row_count == 2
    assert Dataset.objects.get(pk=dataset.pk).title == "ZZ renamed"
    assert get_user_model().objects.filter(username="zz_meanwhile").exists()


@pytest.mark.django_db
def test_the_mapping_check_reads_only(
    users: dict[str, Any],
    org: Any,
    other_org: Any,
    draft: Dataset,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Checking that a tidy file maps onto statistics writes nothing (no dry-run import): the
    only write of the validation task is its report. Its problems name row and column: unknown
    geography and SDMX codes, duplicate keys, a series owned by another organisation."""
    Geography.objects.create(code="ZZA", kind=GeographyKind.COUNTRY, name_en="Zedland")
    Series.objects.create(code=f"ORG{org.pk}__STOLEN", name="not ours", unit="N", owner=other_org)
    content = (
        b"series,geo,year,value,unit,sex\n"
        b"RATE,ZZA,2019,1,N,F\n"
        b"RATE,ZZQ,2019,1,N,F\n"
        b"RATE,ZZA,2019,2,N,F\n"
        b"RATE,ZZA,2020,2,N,X\n"
        b"STOLEN,ZZA,2019,2,N,_T\n"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        dist = distributions.distribution_upload(
            actor=users["contributor"],
            dataset=draft,
            file=csv_file(content),
            map_to_observations=True,
        )
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:  # the validation task
            callback()
    writes = [
        " ".join(q["sql"].split()[:2])
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == ['UPDATE "catalog_distribution"'], writes
    dist.refresh_from_db()
    assert dist.is_valid is False
    problems = [(e["row"], e["column"]) for e in dist.validation_report["errors"]]
    assert problems == [(3, "geography"), (4, None), (5, "sex"), (6, "series")]
    assert not Series.objects.filter(code=f"ORG{org.pk}__RATE").exists()


# --- workbooks: read whole, within limits -----------------------------------------------------


@pytest.mark.django_db
def test_a_sheet_that_declares_a_small_dimension_is_read_whole(
    users: dict[str, Any], draft: Dataset, upload: Any
) -> None:
    """A workbook declaring A1:B2 but holding 3,000 rows is validated row by row to the end:
    3,000 rows counted and the type error on its last row reported at row 3,001."""
    content = workbook(3000, declared="A1:B2", bad_last=True)
    declared = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert declared.max_row == 2  # what trusting the dimension would read
    dist = upload(actor=users["contributor"], dataset=draft, file=_xlsx_file(content))
    assert dist.row_count == 3000
    assert dist.is_valid is False
    assert [(e["row"], e["column"]) for e in dist.validation_report["errors"]] == [(3001, "value")]


@pytest.mark.django_db
def test_a_table_over_the_row_limit_is_refused_by_row_and_limit(
    users: dict[str, Any], draft: Dataset, upload: Any, settings: Any
) -> None:
    """SDG87_UPLOAD_MAX_ROWS bounds every table, the lying workbook included: the file is
    invalid with a message naming the limit, shown on its page."""
    settings.SDG87_UPLOAD_MAX_ROWS = 1000
    dist = upload(
        actor=users["contributor"],
        dataset=draft,
        file=_xlsx_file(workbook(3000, declared="A1:B2")),
    )
    assert dist.is_valid is False
    (error,) = dist.validation_report["errors"]
    assert "more than 1000 rows" in error["message"]
    csv_dist = upload(
        actor=users["contributor"],
        dataset=draft,
        file=csv_file(b"a\n" + b"1\n" * 1000),
    )
    assert csv_dist.is_valid is False
    assert "more than 1000 rows" in csv_dist.validation_report["errors"][0]["message"]
    page = _client(users["contributor"]).get(f"/en/datasets/{draft.slug}/files/{dist.pk}/")
    assert "more than 1000 rows" in page.content.decode()


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_anything_is_stored(
    users: dict[str, Any], draft: Dataset, settings: Any
) -> None:
    """A workbook whose members unpack beyond SDG87_UPLOAD_MAX_UNCOMPRESSED_BYTES (here 2 MB
    of zeros that compress to a few kilobytes) is refused by the upload page at once."""
    settings.SDG87_UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    response = _client(users["contributor"]).post(
        f"/en/datasets/{draft.slug}/upload/", {"file": _xlsx_file(zip_bomb(2 * 1024 * 1024))}
    )
    assert response.status_code == 400
    assert "unpacks to" in response.content.decode()
    assert not Distribution.objects.filter(dataset=draft).exists()
    root = Path(settings.MEDIA_ROOT)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.mark.django_db
def test_temporary_files_are_always_removed(
    users: dict[str, Any],
    draft: Dataset,
    upload: Any,
    settings: Any,
    monkeypatch: Any,
    tmp_path: Path,
) -> None:
    """Nothing stays in the temporary directory: not after a valid upload, a workbook (whose
    sheet is written out as CSV to be validated), nor after a refused one."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    upload(actor=users["contributor"], dataset=draft, file=csv_file())
    upload(actor=users["contributor"], dataset=draft, file=_xlsx_file(workbook(10)))
    settings.SDG87_UPLOAD_MAX_BYTES = 10
    with pytest.raises(distributions.UploadRejected):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=draft, file=csv_file()
        )
    settings.SDG87_UPLOAD_MAX_BYTES = 10_000
    with pytest.raises(distributions.UploadRejected):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=draft, file=_xlsx_file(b"PK\x03\x04broken")
        )
    assert list(scratch.iterdir()) == []


# --- validation in progress ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dataset_with_a_file_still_validating_cannot_be_submitted(
    users: dict[str, Any], draft: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    """Until its task has run, the file is shown as 'validation in progress' and the dataset
    cannot be submitted; once validated, it can."""
    client = _client(users["contributor"])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/en/datasets/{draft.slug}/upload/", {"file": csv_file()})
    dist = Distribution.objects.get(dataset=draft)
    assert dist.is_valid is None and dist.is_validating
    assert "Validation in progress" in client.get(response["Location"]).content.decode()
    page = client.get(f"/en/datasets/{draft.slug}/").content.decode()
    assert "still being validated" in page and "Submit for review" not in page
    response = client.post(f"/en/datasets/{draft.slug}/action/submit/", follow=True)
    assert "still being validated" in response.content.decode()
    assert Dataset.objects.get(pk=draft.pk).status == Status.DRAFT
    for callback in callbacks:  # the commit happens: the task validates the file
        callback()
    dist.refresh_from_db()
    assert dist.is_valid is True
    client.post(f"/en/datasets/{draft.slug}/action/submit/")
    assert Dataset.objects.get(pk=draft.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_the_validation_task_is_idempotent_and_stops_when_the_file_changed(
    users: dict[str, Any], draft: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    """Running the task again changes nothing; a task for a file that has since been
    replaced by a newer upload stops without writing (the newer upload has its own task)."""
    with django_capture_on_commit_callbacks() as first_callbacks:
        first = distributions.distribution_upload(
            actor=users["contributor"], dataset=draft, file=csv_file(b"a,b\n1\n")
        )
    old_name = str(first.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=draft, file=csv_file(), replace=first
        )
    first.refresh_from_db()
    assert first.is_valid is True and str(first.file.name) != old_name
    report = first.validation_report
    for callback in first_callbacks:  # the first upload's task, late
        callback()
    assert not validation.distribution_validate(distribution_id=first.pk, file_name=old_name)
    assert not validation.distribution_validate(
        distribution_id=first.pk, file_name=str(first.file.name)
    )
    first.refresh_from_db()
    assert first.is_valid is True and first.validation_report == report


@pytest.mark.django_db
def test_the_detail_page_can_enqueue_a_stuck_validation_again(
    users: dict[str, Any], draft: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    """If the worker lost the task, 'Validate again' on the file's page enqueues it anew."""
    with django_capture_on_commit_callbacks():  # the enqueue is lost
        dist = distributions.distribution_upload(
            actor=users["contributor"], dataset=draft, file=csv_file(GOOD_CSV)
        )
    client = _client(users["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/datasets/{draft.slug}/files/{dist.pk}/", {"action": "revalidate"}
        )
    assert response.status_code == 302
    dist.refresh_from_db()
    assert dist.is_valid is True


@pytest.mark.django_db
def test_an_approved_dataset_is_not_published_while_a_file_is_validated_again(
    users: dict[str, Any], make_dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An editor who changes a data dictionary after approval cannot publish until the file
    has been validated again with the new types."""
    from django.core.exceptions import ValidationError

    dataset = make_dataset(state="approved", title="ZZ approved")
    dist = dataset.distributions.get()
    with django_capture_on_commit_callbacks() as callbacks:
        distributions.distribution_update_dictionary(
            actor=users["editor"],
            distribution=dist,
            fields=[{"name": "value", "type": "number", "description": "Rate"}],
        )
    with pytest.raises(ValidationError, match="still being validated"):
        review.dataset_publish(actor=users["editor"], dataset=dataset)
    for callback in callbacks:
        callback()
    review.dataset_publish(actor=users["editor"], dataset=dataset)
    assert Dataset.objects.get(pk=dataset.pk).live
