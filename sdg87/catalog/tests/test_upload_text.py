"""Uploaded text that cannot be read or stored is refused with the row and column (issue 7 items
6 and 12, found by the parser fuzz): a JSON escape of a lone surrogate, bytes that are not
UTF-8 (anywhere in the file) and CSV cells longer than csv's default field limit. Such a file
is refused at upload, or stored with an invalid report; it never reaches publication, whose
'what changed' summary hashes every row."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.tests.conftest import csv_file
from sdg87.catalog.uploads import MAX_CELL_CHARS

pytestmark = pytest.mark.django_db


def _media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _dataset(users: dict[str, Any], org: Any) -> Dataset:
    return datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ text")


def _publish(users: dict[str, Any], dataset: Dataset) -> None:
    review.dataset_submit(actor=users["contributor"], dataset=dataset)
    review.dataset_approve(actor=users["editor"], dataset=dataset)
    review.dataset_publish(actor=users["editor"], dataset=dataset)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[["a"],["\\ud800"]]', "Row 2, column a: the text holds an invalid character"),
        (b'[["a", "b"], ["x", "\\udfff y"]]', "Row 2, column b: the text holds an invalid"),
        (b'[{"name": "ok"}, {"name": "\\ud83d"}]', "Row 3, column name: the text holds an"),
        (b'[{"\\ud800": 1}]', "Row 1, column #1: the text holds an invalid character"),
        (b'[["a"], ["\\u0000"]]', "Row 2, column a: the text holds a NUL character"),
    ],
)
def test_json_with_a_lone_surrogate_or_nul_is_refused_at_upload_naming_row_and_column(
    content: bytes,
    message: str,
    users: dict[str, Any],
    org: Any,
    settings: Any,
    upload: Callable[..., Distribution],
) -> None:
    """The fuzz reproduction `[["a"],["\\ud800"]]` was accepted, then publishing it answered
    500 (UnicodeEncodeError while hashing its rows). Now the upload is refused, the message
    names the row (header = 1) and column, and nothing is stored."""
    dataset = _dataset(users, org)
    with pytest.raises(distributions.UploadRejected) as info:
        upload(actor=users["contributor"], dataset=dataset, file=csv_file(content, "t.json"))
    assert message in str(info.value)
    assert not Distribution.objects.filter(dataset=dataset).exists()
    assert _media_files(settings) == []


def test_json_with_an_escaped_surrogate_inside_a_nested_cell_publishes(
    users: dict[str, Any], org: Any, upload: Callable[..., Distribution]
) -> None:
    """A nested value is kept as its JSON text, where the surrogate stays an escape: that
    file is valid, and publishing it (which hashes every row) succeeds."""
    dataset = _dataset(users, org)
    dist = upload(
        actor=users["contributor"],
        dataset=dataset,
        file=csv_file(b'[["a", "b"], ["x", ["\\ud800"]], ["y", {"k": "\\u0000"}]]', "t.json"),
    )
    assert dist.is_valid is True
    _publish(users, dataset)
    version = Dataset.objects.get(pk=dataset.pk).versions.get()
    (summary,) = version.distributions
    assert summary["key_column"] == "a"
    assert set(summary["row_hashes"]) == {"x", "y"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x80", "The file is not UTF-8 text (byte 0)"),
        (b"a,b\n1,\xff", "The file is not UTF-8 text (byte 6)"),
        (b"a,b\n1,2\xe2\x82", "The file is not UTF-8 text (byte 7)"),  # a cut-off character
    ],
)
def test_a_short_file_that_is_not_utf8_is_refused_at_upload(
    content: bytes,
    message: str,
    users: dict[str, Any],
    org: Any,
    settings: Any,
    upload: Callable[..., Distribution],
) -> None:
    """The whole file is sniffed: a bad byte at its end is not a character cut off by the
    sample, and the file is refused (it was accepted, then failed when read)."""
    dataset = _dataset(users, org)
    with pytest.raises(distributions.UploadRejected) as info:
        upload(actor=users["contributor"], dataset=dataset, file=csv_file(content))
    assert message in str(info.value)
    assert _media_files(settings) == []


@pytest.fixture(params=[131_072, 10**9], ids=["default-limit", "raised-limit"])
def csv_field_limit(request: pytest.FixtureRequest) -> Iterator[int]:
    """csv's field size limit is process-wide: Python's default in a web process that has not
    imported frictionless yet, raised once it has. Uploads read the same under both."""
    before = csv.field_size_limit(request.param)
    yield request.param
    csv.field_size_limit(before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"a,b\n" + b"x,1\n" * 40_000 + b"y,\xff\xfe\n",
            "Row 40002, column b is not UTF-8 text: save the file as UTF-8 CSV.",
        ),
        (
            b"a,b\n1,2\n3," + b"x" * (MAX_CELL_CHARS + 1) + b"\n",
            "Row 3 has a cell longer than 131072 characters.",
        ),
        (
            b'a,b\n1,"' + b"x" * (MAX_CELL_CHARS + 1) + b'"\n',
            "Row 2 has a cell longer than 131072 characters.",
        ),
        (
            b"a,b\n" + b"x,1\n" * 40_000 + b"z,\x00\n",
            "Row 40002, column b holds a NUL character.",
        ),
    ],
    ids=["not-utf8-after-64kb", "long-cell", "long-quoted-cell", "nul-after-8kb"],
)
def test_a_csv_unreadable_past_the_sniffed_start_is_stored_as_invalid(
    content: bytes,
    message: str,
    users: dict[str, Any],
    org: Any,
    upload: Callable[..., Distribution],
    csv_field_limit: int,
) -> None:
    """Bad bytes after the first 64 KB, a NUL after the first 8 KB and a cell longer than
    MAX_CELL_CHARS pass the upload's sniffing; the validation then reports the file
    unreadable, naming the row (and the column where the reader knows it), whatever the
    process' csv field limit. The file is invalid, so the dataset cannot be submitted."""
    dataset = _dataset(users, org)
    dist = upload(actor=users["contributor"], dataset=dataset, file=csv_file(content))
    assert dist.is_valid is False
    assert [e["message"] for e in dist.validation_report["errors"]] == [message]
    with pytest.raises(ValidationError, match="Fix the validation errors first"):
        review.dataset_submit(actor=users["contributor"], dataset=dataset)
