"""Screening end to end on the real bundled DOL List of Goods, with sourcing lists generated
here. The lists are SYNTHETIC (made up by these tests, never loaded as data)."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sdg87.assessments.models import GoodListing
from sdg87.orgs.models import Membership, Organisation
from sdg87.supplychains import matching as m
from sdg87.supplychains.models import Screening, ScreeningRow, ScreeningStatus
from sdg87.supplychains.screening_parser import ScreeningFileError
from sdg87.supplychains.screening_selectors import screening_reference
from sdg87.supplychains.screening_services import (
    screening_create,
    screening_run,
    screening_save,
    screenings_expire,
)

pytestmark = pytest.mark.django_db

# (good, country) as a buyer might type them, with what each must screen as:
# (status, good matched, good rule, iso3, reason), hand-checked against
# data/dol_ilab/dol_goods_list_by_app_file.csv.
POOL: list[tuple[str, str, tuple[str, str, str, str, str]]] = [
    ("Cocoa", "Côte d'Ivoire", (m.LISTED, "Cocoa", m.EXACT, "CIV", "")),
    ("cocoa beans", "CIV", (m.LISTED, "Cocoa", m.SYNONYM, "CIV", "")),
    ("Bricks", "IN", (m.LISTED, "Bricks", m.EXACT, "IND", "")),
    ("brick", "India", (m.LISTED, "Bricks", m.NORMALISED, "IND", "")),
    ("Cotton", "Uzbekistan", (m.FORMERLY_LISTED, "Cotton", m.EXACT, "UZB", "")),
    ("Cottton", "Paraguay", (m.FORMERLY_LISTED, "Cotton", m.FUZZY, "PRY", "")),
    ("Cocoa", "India", (m.NOT_LISTED, "Cocoa", m.EXACT, "IND", "")),
    ("laptops", "Germany", (m.UNMATCHED, "", "", "DEU", m.GOOD_UNKNOWN)),
    ("Cocoa", "Atlantis", (m.UNMATCHED, "Cocoa", m.EXACT, "", m.COUNTRY_UNKNOWN)),
    ("Bricks", "", (m.UNMATCHED, "Bricks", m.EXACT, "", m.NO_COUNTRY)),
    ('=HYPERLINK("http://x")', "India", (m.UNMATCHED, "", "", "IND", m.GOOD_UNKNOWN)),
]


def synthetic_list(rows: int, seed: int = 87) -> tuple[bytes, list[int]]:
    """A SYNTHETIC sourcing list of `rows` rows drawn from POOL; the pool index of each row."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["good", "country", "supplier", "volume"])
    picks = []
    for i in range(rows):
        pick = rng.randrange(len(POOL))
        picks.append(pick)
        good, country, _ = POOL[pick]
        writer.writerow([good, country, f"Synthetic supplier {i % 50}", rng.randint(1, 500)])
    return out.getvalue().encode(), picks


def upload(data: bytes, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    def create(data: bytes, name: str = "list.csv", **kwargs: Any) -> Screening:
        with django_capture_on_commit_callbacks(execute=True):
            screening = screening_create(
                file=upload(data, name), channel=kwargs.pop("channel", "web"), **kwargs
            )
        screening.refresh_from_db()
        return screening

    return create


def test_reference_orders_the_editions(bundled_data: None) -> None:
    """Five editions, oldest first; the latest is goods_2021.xml; one listing per good and
    country (490 pairs of DOL's printed names, a few of which are one country)."""
    reference = screening_reference()
    assert reference.edition_labels == [
        "goods_2016.xml",
        "goods_2017.xml",
        "goods_2018.xml",
        "goods_2019.xml",
        "goods_2021.xml",
    ]
    assert reference.latest_edition["file"] == "goods_2021.xml"
    pairs = set(GoodListing.objects.values_list("good", "country__iso3"))
    assert len(reference.listings) == len(pairs) == 480
    assert reference.synonyms["cocoa beans"] == "Cocoa"


def test_ten_thousand_rows_end_to_end(bundled_data: None, run_on_commit: Any) -> None:
    """A 10,000-row synthetic list: every row screens as its pool entry says; the summary
    counts them; the upload is gone once read."""
    data, picks = synthetic_list(10_000)
    screening = run_on_commit(data, session_key="s" * 32)
    assert screening.status == ScreeningStatus.DONE, screening.problems
    assert screening.row_count == screening.processed_rows == 10_000
    assert bytes(screening.upload) == b""
    assert screening.edition == "goods_2021.xml"
    rows = list(ScreeningRow.objects.filter(screening=screening).order_by("row"))
    assert len(rows) == 10_000
    for row, pick in zip(rows, picks, strict=True):
        status, good, rule, iso3, reason = POOL[pick][2]
        assert (row.status, row.good, row.good_rule, row.iso3, row.reason) == (
            status,
            good,
            rule,
            iso3,
            reason,
        ), row.row
    expected: dict[str, int] = {}
    for pick in picks:
        expected[POOL[pick][2][0]] = expected.get(POOL[pick][2][0], 0) + 1
    summary = screening.summary
    assert summary["rows"] == 10_000
    assert {k: v for k, v in summary["statuses"].items() if v} == expected
    assert summary["needs_confirmation"] == sum(1 for p in picks if POOL[p][2][2] == m.FUZZY)
    by_country = {c["key"]: c for c in summary["by_country"]}
    assert by_country["CIV"]["listed"] == sum(1 for p in picks if POOL[p][2][3] == "CIV")


def test_flags_and_history(bundled_data: None, run_on_commit: Any) -> None:
    """Cocoa/Côte d'Ivoire: all three types on 2016..2021; Cotton/Uzbekistan: forced labour
    (not child labour) in goods_2019.xml, its last edition."""
    screening = run_on_commit(b"good,country\nCocoa,Ivory Coast\nCotton,UZ\n")
    cocoa, cotton = ScreeningRow.objects.filter(screening=screening).order_by("row")
    assert cocoa.status == m.LISTED and cocoa.iso3 == "CIV"
    assert (cocoa.child_labour, cocoa.forced_labour, cocoa.forced_child_labour) == (
        True,
        True,
        True,
    )
    assert (cocoa.first_edition, cocoa.last_edition) == ("goods_2016.xml", "goods_2021.xml")
    assert cotton.status == m.FORMERLY_LISTED
    assert (cotton.child_labour, cotton.forced_labour, cotton.forced_child_labour) == (
        False,
        True,
        False,
    )
    assert cotton.last_edition == "goods_2019.xml"


def test_xlsx_list(bundled_data: None, run_on_commit: Any, tmp_path: Any) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Product", "Country"])
    sheet.append(["Gold", "Peru"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    screening = run_on_commit(path.read_bytes(), "list.xlsx")
    assert screening.status == ScreeningStatus.DONE
    assert ScreeningRow.objects.get(screening=screening).status == m.LISTED


def test_refused_file_fails_without_rows(bundled_data: None, run_on_commit: Any) -> None:
    """A list with a bad volume fails as a whole, naming row and column; no row is kept."""
    screening = run_on_commit(b"good,country,volume\nCocoa,CIV,1\nGold,Peru,lots\n")
    assert screening.status == ScreeningStatus.FAILED
    assert screening.problems == [
        "Row 3, column volume: lots is not a number (write volumes as 1234.5, without units)."
    ]
    assert not ScreeningRow.objects.filter(screening=screening).exists()
    assert bytes(screening.upload) == b""


def test_wrong_type_is_refused_before_anything_is_stored(db: None) -> None:
    with pytest.raises(ScreeningFileError):
        screening_create(file=upload(b"\x89PNG\r\n\x1a\n\x00", "a.csv"), channel="web")
    assert not Screening.objects.exists()


def test_run_is_idempotent(bundled_data: None, run_on_commit: Any) -> None:
    screening = run_on_commit(b"good,country\nCocoa,CIV\n")
    assert screening_run(screening_id=screening.pk) is False
    assert ScreeningRow.objects.filter(screening=screening).count() == 1


def test_expiry_deletes_unsaved_only(bundled_data: None, run_on_commit: Any) -> None:
    """Past 24 hours an unsaved screening is deleted with its rows; a saved one stays."""
    user = get_user_model().objects.create_user("buyer", password="x")
    org = Organisation.objects.create(name="Buyer Co", slug="buyer-co", type="business")
    Membership.objects.create(user=user, organisation=org, role="member")
    kept = run_on_commit(b"good,country\nCocoa,CIV\n", user=user)
    gone = run_on_commit(b"good,country\nCocoa,CIV\n", session_key="k" * 32)
    screening_save(screening=kept, user=user, organisation=org, title="Q3")
    assert screenings_expire(now=timezone.now() + timedelta(hours=23)) == 0
    assert screenings_expire(now=timezone.now() + timedelta(hours=25)) == 1
    assert list(Screening.objects.all()) == [kept]
    assert not ScreeningRow.objects.filter(screening_id=gone.pk).exists()


def test_save_needs_membership(bundled_data: None, run_on_commit: Any) -> None:
    user = get_user_model().objects.create_user("outsider", password="x")
    org = Organisation.objects.create(name="Other Co", slug="other-co", type="business")
    screening = run_on_commit(b"good,country\nCocoa,CIV\n", user=user)
    with pytest.raises(PermissionDenied):
        screening_save(screening=screening, user=user, organisation=org)
    screening.refresh_from_db()
    assert screening.organisation_id is None and screening.expires_at is not None
