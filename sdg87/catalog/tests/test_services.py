from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.catalog.models import AuditEntry, Dataset, Status
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.tests.conftest import csv_file
from sdg87.indicators.models import Observation

pytestmark = pytest.mark.django_db


def test_full_review_cycle_writes_audit_and_mails(
    users: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """draft -> submitted -> changes_requested -> submitted -> approved -> published, each step
    audited and the people concerned notified by email."""
    c, e = users["contributor"], users["editor"]
    with django_capture_on_commit_callbacks(execute=True):
        ds = datasets.dataset_create(actor=c, publisher=org, title="Cycle")
        distributions.distribution_upload(actor=c, dataset=ds, file=csv_file())
    with django_capture_on_commit_callbacks(execute=True):  # after validation (on commit)
        review.dataset_submit(actor=c, dataset=ds, message="please review")
    assert {m.to[0] for m in mail.outbox} == {"zz_admin@example.org", "zz_editor@example.org"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.dataset_request_changes(actor=e, dataset=ds, message="add a contact")
    assert mail.outbox[0].to == ["zz_contributor@example.org"]
    assert "add a contact" in mail.outbox[0].body
    ds.refresh_from_db()
    assert ds.status == Status.CHANGES_REQUESTED
    review.dataset_submit(actor=c, dataset=ds)
    review.dataset_approve(actor=e, dataset=ds)
    version = review.dataset_publish(actor=e, dataset=ds)
    ds.refresh_from_db()
    assert ds.live and ds.status == Status.PUBLISHED and version.number == 1
    actions = list(
        AuditEntry.objects.filter(dataset=ds).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "upload",
        "submit",
        "request_changes",
        "submit",
        "approve",
        "publish",
    ]
    assert all(d.published for d in ds.distributions.all())


def test_states_are_enforced(users: dict[str, Any], make_dataset: Any) -> None:
    """Only submitted datasets can be approved, only approved ones published."""
    draft = make_dataset(state="draft")
    with pytest.raises(PermissionDenied):
        review.dataset_approve(actor=users["editor"], dataset=draft)
    with pytest.raises(PermissionDenied):
        review.dataset_publish(actor=users["editor"], dataset=draft)
    submitted = make_dataset(state="submitted", title="S")
    with pytest.raises(PermissionDenied):
        review.dataset_publish(actor=users["editor"], dataset=submitted)


def test_contributor_cannot_approve_or_publish(users: dict[str, Any], make_dataset: Any) -> None:
    submitted = make_dataset(state="submitted")
    with pytest.raises(PermissionDenied):
        review.dataset_approve(actor=users["contributor"], dataset=submitted)
    approved = make_dataset(state="approved", title="A")
    with pytest.raises(PermissionDenied):
        review.dataset_publish(actor=users["contributor"], dataset=approved)


def test_request_changes_needs_a_message(users: dict[str, Any], make_dataset: Any) -> None:
    ds = make_dataset(state="submitted")
    with pytest.raises(ValidationError):
        review.dataset_request_changes(actor=users["editor"], dataset=ds, message=" ")


def test_invalid_file_blocks_submission(users: dict[str, Any], org: Any, upload: Any) -> None:
    """A dataset whose file has validation errors cannot be submitted."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Bad")
    dist = upload(actor=users["contributor"], dataset=ds, file=csv_file(b"a,b\n1\n"))
    assert dist.is_valid is False
    assert dist.validation_report["errors"][0]["row"] == 2
    with pytest.raises(ValidationError):
        review.dataset_submit(actor=users["contributor"], dataset=ds)


def test_upload_size_limit(users: dict[str, Any], org: Any, settings: Any) -> None:
    """Files above SDG87_UPLOAD_MAX_BYTES are refused before anything is stored."""
    settings.SDG87_UPLOAD_MAX_BYTES = 10
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Big")
    with pytest.raises(distributions.UploadRejected):
        distributions.distribution_upload(actor=users["contributor"], dataset=ds, file=csv_file())
    assert ds.distributions.count() == 0


def test_upload_rejects_html_disguised_as_csv(users: dict[str, Any], org: Any) -> None:
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Evil")
    with pytest.raises(distributions.UploadRejected):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=ds, file=csv_file(b"<html><script>x</script>")
        )


def test_stored_file_name_is_not_the_users(users: dict[str, Any], org: Any) -> None:
    """The stored name is generated: no user path, and the extension follows the sniffed type."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Names")
    dist = distributions.distribution_upload(
        actor=users["contributor"], dataset=ds, file=csv_file(name="../../evil.php.csv")
    )
    stored = str(dist.file.name)
    assert stored.startswith("catalog/names/") and stored.endswith(".csv")
    assert ".." not in stored and "php" not in stored
    assert dist.original_filename == "evil.php.csv"


def test_description_is_sanitised(users: dict[str, Any], org: Any) -> None:
    ds = datasets.dataset_create(
        actor=users["contributor"],
        publisher=org,
        title="Html",
        description='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a></p>',
    )
    assert "script" not in ds.description and "onclick" not in ds.description
    assert "javascript" not in ds.description and "<p>Hi" in ds.description


def test_second_upload_creates_new_version_with_row_diff(
    users: dict[str, Any], make_dataset: Any, upload: Any
) -> None:
    """Replacing the file of a published dataset holds it until republication, then version 2
    compares rows by the first column."""
    ds = make_dataset()
    dist = ds.distributions.get()
    new_csv = b"geo,year,value,unit\nKEN,2019,13.0,PERCENT\nNPL,2019,3.0,PERCENT\n"
    upload(actor=users["contributor"], dataset=ds, file=csv_file(new_csv), replace=dist)
    ds.refresh_from_db()
    assert ds.live and ds.status == Status.DRAFT
    review.dataset_submit(actor=users["contributor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    v2 = review.dataset_publish(actor=users["editor"], dataset=ds)
    assert v2.number == 2
    from sdg87.catalog.selectors import dataset_version_diff

    diff = dataset_version_diff(dataset=ds, old=1, new=2)
    assert diff is not None
    (change,) = diff.files
    assert change.key_column == "geo"
    assert (change.rows_added, change.rows_removed, change.rows_changed) == (1, 1, 1)


def test_versions_are_immutable(make_dataset: Any) -> None:
    version = make_dataset().versions.get()
    version.note = "rewritten"
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_dictionary_edit_keeps_columns(users: dict[str, Any], make_dataset: Any) -> None:
    ds = make_dataset(state="draft")
    dist = ds.distributions.get()
    distributions.distribution_update_dictionary(
        actor=users["contributor"],
        distribution=dist,
        fields=[{"name": "geo", "type": "string", "description": "ISO3 code"}, {"name": "bogus"}],
        primary_key="geo",
    )
    dist.refresh_from_db()
    assert [f["name"] for f in dist.data_dictionary] == ["geo", "year", "value", "unit"]
    assert dist.data_dictionary[0]["description"] == "ISO3 code" and dist.primary_key == "geo"
    with pytest.raises(ValidationError):
        distributions.distribution_update_dictionary(
            actor=users["contributor"], distribution=dist, fields=[], primary_key="nope"
        )


def test_unpublish_hides_and_resets(users: dict[str, Any], make_dataset: Any) -> None:
    ds = make_dataset()
    review.dataset_unpublish(actor=users["editor"], dataset=ds)
    ds.refresh_from_db()
    assert not ds.live and ds.status == Status.DRAFT and ds.versions.count() == 1
    with pytest.raises(PermissionDenied):
        review.dataset_unpublish(actor=users["editor"], dataset=ds)


@pytest.mark.usefixtures("bundled_data")
def test_tidy_csv_is_imported_into_own_series_on_publish(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """A tidy CSV maps onto observations through observations_import, in the organisation's own
    source, release and series, when the dataset is published."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Tidy stats")
    csv = (
        b"series,geo,year,value,unit,sex\n"
        b"RATE,KEN,2019,12.5,PERCENT,F\n"
        b"RATE,404,2020,11,PERCENT,_T\n"
    )
    dist = upload(
        actor=users["contributor"], dataset=ds, file=csv_file(csv), map_to_observations=True
    )
    assert dist.is_valid, dist.validation_report
    code = f"ORG{org.pk}__RATE"
    assert not Observation.all_objects.filter(series__code=code).exists()
    review.dataset_submit(actor=users["contributor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    review.dataset_publish(actor=users["editor"], dataset=ds)
    obs = Observation.objects.filter(series__code=code)
    assert obs.count() == 2
    assert {o.geography.iso3 for o in obs} == {"KEN"}
    release = obs[0].release
    assert release.source.code == f"org-{org.pk}"
    assert release.code == f"upload-{dist.pk}"
    assert Dataset.objects.get(pk=ds.pk).related_series.filter(code=code).exists()


@pytest.mark.usefixtures("bundled_data")
def test_tidy_csv_mapping_errors_name_row_and_column_and_import_nothing(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """An unknown country code makes the whole mapping fail, naming row and column."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Tidy bad")
    csv = b"geo,year,value,unit\nKEN,2019,1,NUMBER\nZZQ,2019,2,NUMBER\n"
    dist = upload(
        actor=users["contributor"], dataset=ds, file=csv_file(csv), map_to_observations=True
    )
    assert dist.is_valid is False
    error = dist.validation_report["errors"][-1]
    assert (error["row"], error["column"], error["type"]) == (3, "geography", "mapping-error")
    assert not Observation.all_objects.filter(series__code__startswith=f"ORG{org.pk}__").exists()


def _children_working(bad_line: int) -> bytes:
    """A CSV of 20 data rows whose `children_working` column is an integer except on file line
    `bad_line` (header = line 1)."""
    lines = ["country,children_working"] + [f"C{i},{i * 10}" for i in range(1, 21)]
    lines[bad_line - 1] = f"C{bad_line - 1},abc"
    return ("\n".join(lines) + "\n").encode()


def test_upload_reports_text_in_a_numeric_column(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """A text cell in an otherwise numeric column makes the upload invalid, with an error naming
    the spreadsheet row and the column."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Children")
    dist = upload(actor=users["contributor"], dataset=ds, file=csv_file(_children_working(6)))
    assert dist.is_valid is False
    assert [(e["row"], e["column"], e["type"]) for e in dist.validation_report["errors"]] == [
        (6, "children_working", "type-error")
    ]
    assert dist.data_dictionary[1]["type"] == "integer"


def test_dictionary_type_change_revalidates_the_file(
    users: dict[str, Any], org: Any, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Setting a column's type in the data dictionary validates the file again with that type:
    `integer` turns a text cell into an error naming row and column; `string` makes it valid."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Children")
    content = b"country,children_working\nC1,abc\nC2,2\nC3,3\nC4,4\nC5,5\n"
    dist = upload(actor=users["contributor"], dataset=ds, file=csv_file(content))
    assert dist.is_valid and dist.data_dictionary[1]["type"] == "string"
    with django_capture_on_commit_callbacks(execute=True):  # validated again by its task
        distributions.distribution_update_dictionary(
            actor=users["contributor"],
            distribution=dist,
            fields=[{"name": "children_working", "type": "integer", "description": "Count"}],
        )
    dist.refresh_from_db()
    assert dist.is_valid is False
    assert dist.data_dictionary[1] == {
        "name": "children_working",
        "type": "integer",
        "description": "Count",
    }
    assert [(e["row"], e["column"], e["type"]) for e in dist.validation_report["errors"]] == [
        (2, "children_working", "type-error")
    ]
    with pytest.raises(ValidationError):
        review.dataset_submit(actor=users["contributor"], dataset=ds)
    with django_capture_on_commit_callbacks(execute=True):
        distributions.distribution_update_dictionary(
            actor=users["contributor"],
            distribution=dist,
            fields=[{"name": "children_working", "type": "string"}],
        )
    dist.refresh_from_db()
    assert dist.is_valid and dist.validation_report["errors"] == []


def test_dictionary_rejects_an_unknown_type(users: dict[str, Any], make_dataset: Any) -> None:
    """A type frictionless does not know is a validation error, not a crash."""
    dist = make_dataset(state="draft").distributions.get()
    with pytest.raises(ValidationError):
        distributions.distribution_update_dictionary(
            actor=users["contributor"],
            distribution=dist,
            fields=[{"name": "geo", "type": "no-such-type"}],
        )


def test_file_removal_is_audited_as_a_deletion(users: dict[str, Any], make_dataset: Any) -> None:
    """Removing a file is recorded as a deletion ("removed <title>"), not as an upload."""
    ds = make_dataset(state="draft")
    dist = ds.distributions.get()
    distributions.distribution_delete(actor=users["contributor"], distribution=dist)
    entry = AuditEntry.objects.filter(dataset=ds).order_by("-id").first()
    assert entry is not None
    assert (entry.action, entry.message) == ("delete", f"removed {dist.title}")
    assert entry.get_action_display() != "File uploaded"
