"""Upload limits are shown and reported in MB, never in bytes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from sdg87.catalog import uploads
from sdg87.catalog.services import datasets, distributions
from sdg87.catalog.tests.conftest import csv_file


@pytest.mark.parametrize(
    ("size", "round_up", "expected"),
    [
        (25 * 1024 * 1024, False, "25"),
        (256 * 1024 * 1024, False, "256"),
        (512 * 1024, False, "0.5"),
        (25 * 1024 * 1024 + 1, True, "25.1"),  # over the limit never reads as the limit
        (25 * 1024 * 1024 + 1, False, "25"),
        (33 * 1024 * 1024 // 1 + 400_000, True, "33.4"),
        (3, False, "0.1"),  # a few bytes are not "0 MB"
    ],
)
def test_megabytes(size: int, round_up: bool, expected: str) -> None:
    """Sizes in MB (1024 x 1024 bytes) with at most one decimal, rounded up when asked."""
    with translation.override("en"):
        assert uploads.megabytes(size, round_up=round_up) == expected


def test_megabytes_follow_the_page_language() -> None:
    """French pages write the decimal comma."""
    with translation.override("fr"):
        assert uploads.megabytes(512 * 1024) == "0,5"


def test_a_workbook_that_unpacks_too_far_is_reported_in_mb(tmp_path: Any) -> None:
    """The zip-bomb refusal states both sizes in MB."""
    from sdg87.catalog.tests.test_upload_sheets import zip_bomb

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb(3 * 1024 * 1024))
    with translation.override("en"), pytest.raises(uploads.UploadError) as caught:
        uploads.sniff_format(
            path.read_bytes()[:4096], "bomb.xlsx", path=path, max_uncompressed=1024 * 1024
        )
    assert "the limit is 1 MB" in str(caught.value) and "bytes" not in str(caught.value)


@pytest.mark.django_db
def test_upload_page_shows_and_reports_the_limit_in_mb(
    users: dict[str, Any], org: Any, settings: Any
) -> None:
    """The upload page states the limit in MB (and rows); a file over it is refused with its
    size and the limit in MB, by the page and by the service every interface uses."""
    settings.SDG87_UPLOAD_MAX_BYTES = 512 * 1024
    draft = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ MB")
    client = Client()
    client.force_login(users["contributor"])
    page = client.get(f"/en/datasets/{draft.slug}/upload/").content.decode()
    assert "at most 0.5 MB and 1,000,000 rows" in page
    big = csv_file(b"geo,year,value,unit\n" + b"KEN,2019,1,PERCENT\n" * 30_000)  # 0.54 MB
    response = client.post(f"/en/datasets/{draft.slug}/upload/", {"file": big})
    assert response.status_code == 400
    assert "The file is 0.6 MB; the limit is 0.5 MB." in response.content.decode()
    with pytest.raises(distributions.UploadRejected, match=r"limit is 0\.5 MB"):
        distributions.distribution_upload(actor=users["contributor"], dataset=draft, file=big)
