"""'What changed' lists the changed rows: a tidy table keyed by its dimension columns (added,
removed, value old -> new), capped with counts; only for those who may see the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sdg87.catalog.diff import row_diff, tidy_key_columns
from sdg87.catalog.models import Visibility
from sdg87.catalog.services import datasets, review
from sdg87.catalog.tests.conftest import csv_file

OLD = (
    "series,geo,year,sex,value,unit\n"
    "CL,KEN,2019,F,12.5,PERCENT\n"
    "CL,KEN,2019,M,14.0,PERCENT\n"
    "CL,BGD,2019,_T,6.8,PERCENT\n"
    "CL,UGA,2020,_T,20.1,PERCENT\n"
)
# Hand-checked against OLD: KEN 2019 F revised 12.5 -> 13.1; KEN 2019 M unchanged; BGD 2019
# removed; UGA 2020 unchanged except the row order; PER 2021 added; rows keyed by
# (series, geo, year, sex), so the revision is one change, not a removal plus an addition.
NEW = (
    "series,geo,year,sex,value,unit\n"
    "CL,UGA,2020,_T,20.1,PERCENT\n"
    "CL,KEN,2019,F,13.1,PERCENT\n"
    "CL,KEN,2019,M,14.0,PERCENT\n"
    "CL,PER,2021,_T,9.9,PERCENT\n"
)


def _rows(text: str) -> Any:
    return iter([line.split(",") for line in text.splitlines()])


def test_tidy_key_columns_are_the_dimensions_present() -> None:
    assert tidy_key_columns(["series", "geo", "year", "sex", "value", "unit"]) == [
        "series",
        "geo",
        "year",
        "sex",
    ]
    assert tidy_key_columns(["ISO3", "Year", "Value", "Unit"]) == ["ISO3", "Year"]
    assert tidy_key_columns(["name", "amount"]) == []


def test_row_diff_of_a_tidy_table_by_dimensions() -> None:
    """One added, one removed, one changed with its value old -> new; unchanged rows (even
    moved) are not listed."""
    diff = row_diff(_rows(OLD), _rows(NEW), key_columns=["series", "geo", "year", "sex"])
    assert (diff.added, diff.removed, diff.changed, diff.more) == (1, 1, 1, 0)
    by_status = {r.status: r for r in diff.rows}
    assert by_status["changed"].key == ("CL", "KEN", "2019", "F")
    assert by_status["changed"].cells == (("value", "12.5", "13.1"),)
    assert by_status["added"].key == ("CL", "PER", "2021", "_T")
    assert ("value", "", "9.9") in by_status["added"].cells
    assert by_status["removed"].key == ("CL", "BGD", "2019", "_T")


def test_row_diff_caps_the_list_and_counts_everything() -> None:
    """200 revised values: all counted, the first 50 listed, 150 more."""
    old = "geo,year,value\n" + "".join(f"KEN,{y},1\n" for y in range(1801, 2001))
    new = "geo,year,value\n" + "".join(f"KEN,{y},2\n" for y in range(1801, 2001))
    diff = row_diff(_rows(old), _rows(new), key_columns=["geo", "year"])
    assert diff.changed == 200 and diff.listed == 50 and diff.more == 150


def test_a_repeated_key_falls_back_to_whole_rows() -> None:
    """When the key is not unique, an edited row is one removed plus one added."""
    old = "geo,year,value\nKEN,2019,1\nKEN,2019,2\n"
    new = "geo,year,value\nKEN,2019,1\nKEN,2019,3\n"
    diff = row_diff(_rows(old), _rows(new), key_columns=["geo", "year"])
    assert diff.key_columns == [] and (diff.added, diff.removed, diff.changed) == (1, 1, 0)


def _publish(users: dict[str, Any], ds: Any) -> None:
    review.dataset_submit(actor=users["editor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    review.dataset_publish(actor=users["editor"], dataset=ds)


def _two_versions(users: dict[str, Any], org: Any, upload: Any, *, visibility: str) -> Any:
    ds = datasets.dataset_create(
        actor=users["editor"], publisher=org, title="ZZ revised", visibility=visibility
    )
    first = upload(actor=users["editor"], dataset=ds, file=csv_file(OLD.encode()))
    _publish(users, ds)
    upload(actor=users["editor"], dataset=ds, file=csv_file(NEW.encode()), replace=first)
    _publish(users, ds)
    return ds


@pytest.mark.django_db
def test_changes_page_lists_the_changed_rows(users: dict[str, Any], org: Any, upload: Any) -> None:
    """The public page of a public dataset lists the added, removed and revised rows by key,
    with the revised value old -> new, and counts them in the files table."""
    ds = _two_versions(users, org, upload, visibility=Visibility.PUBLIC)
    page = Client().get(f"/en/datasets/{ds.slug}/changes/", {"from": 1, "to": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>1</td><td>1</td><td>1</td>" in html  # added, removed, changed
    assert "columns “series, geo, year, sex”" in html
    assert "<td>CL</td><td>KEN</td><td>2019</td><td>F</td>" in html
    assert "value: <del>12.5</del> → <ins>13.1</ins>" in html
    assert "<td>PER</td>" in html and "<td>BGD</td>" in html
    assert "<td>UGA</td>" not in html  # unchanged, though it moved


@pytest.mark.django_db
def test_changed_rows_are_not_shown_to_who_cannot_see_the_data(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """A metadata-only dataset's changes page gives counts to the public, never the rows;
    its publisher's members see the rows."""
    ds = _two_versions(users, org, upload, visibility=Visibility.METADATA_ONLY)
    public = Client().get(f"/en/datasets/{ds.slug}/changes/", {"from": 1, "to": 2})
    assert "13.1" not in public.content.decode() and "Changed rows" not in public.content.decode()
    member = Client()
    member.force_login(users["editor"])
    page = member.get(f"/en/datasets/{ds.slug}/changes/", {"from": 1, "to": 2}).content.decode()
    assert "<ins>13.1</ins>" in page
