"""A tidy table reports every problem at once, by row and column, capped with a count; the
statistics import still lands whole or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sdg87.catalog import statistics, uploads
from sdg87.catalog.models import Distribution
from sdg87.catalog.services import datasets
from sdg87.catalog.services.observations import distribution_statistics_import
from sdg87.catalog.tests.conftest import csv_file
from sdg87.core.ingest import ParseError, Problems

# Hand-checked: row 3 has a year that is no number, row 4 a value that is no number (its
# unknown geography XXX is not checked: the row does not read), row 5 an unknown geography,
# row 6 the same key as row 2, row 7 an empty unit, row 8 an unknown sex code.
MULTI = (
    b"geo,year,value,unit,sex\n"
    b"KEN,2019,12.5,PERCENT,_T\n"
    b"BGD,20x9,6.8,PERCENT,_T\n"
    b"XXX,2019,abc,PERCENT,_T\n"
    b"ZZZ,2019,3,PERCENT,_T\n"
    b"KEN,2019,4,PERCENT,_T\n"
    b"KEN,2020,5,,_T\n"
    b"UGA,2021,7,PERCENT,Q\n"
)
PURE = {(3, "year"), (4, "value"), (7, "unit")}
WITH_CODES = PURE | {(5, "geography"), (6, None), (8, "sex")}


def _rows(text: bytes) -> Any:
    return iter([line.split(",") for line in text.decode().splitlines()])


def test_parser_reports_every_problem_of_a_multi_error_file() -> None:
    """The pure check finds the three value problems, keeps going after each, and returns the
    rows that read (for the code checks)."""
    problems = Problems(limit=50)
    rows = uploads.tidy_rows_check(_rows(MULTI), default_series="S", problems=problems)
    assert {(p["row"], p["column"]) for p in problems.kept} == PURE
    assert problems.total == 3
    assert [r.line for r in rows] == [2, 5, 6, 8]
    assert uploads.check_tidy_rows(_rows(MULTI), default_series="S")[0] == []  # nothing to import


def test_parser_counts_beyond_the_cap_and_by_column() -> None:
    """120 bad values and a bad year: all 121 counted, the first 50 kept, counted by column."""
    body = b"geo,year,value,unit\n" + b"KEN,2019,n/a,PERCENT\n" * 120 + b"KEN,1700,1,PERCENT\n"
    problems = Problems(limit=50)
    uploads.tidy_rows_check(_rows(body), default_series="S", problems=problems)
    assert problems.total == 121 and len(problems.kept) == 50 and problems.more == 71
    assert problems.by_column == {"value": 120, "year": 1}
    assert problems.kept[0] == {
        "row": 2,
        "column": "value",
        "type": "mapping-error",
        "message": "value 'n/a' is not a finite number",
    }


def test_missing_columns_are_all_named() -> None:
    """A header without geo, value and unit names the three, on row 1."""
    problems = Problems(limit=50)
    uploads.tidy_rows_check(
        _rows(b"country_name,year\nKenya,2019\n"), default_series="S", problems=problems
    )
    assert {(p["row"], p["column"]) for p in problems.kept} == {
        (1, "geo"),
        (1, "value"),
        (1, "unit"),
    }


def test_parse_tidy_rows_still_raises_the_first() -> None:
    """Callers that stop at one problem get the first, with its row and column."""
    with pytest.raises(ParseError) as caught:
        uploads.parse_tidy_rows(_rows(MULTI), default_series="S")
    assert (caught.value.row, caught.value.column) == (3, "year")


def test_error_summary_lists_fifty_and_counts_the_rest() -> None:
    errors = [{"row": n, "column": "value"} for n in range(2, 202)]
    summary = uploads.error_summary(errors, total=1234, columns={"value": 1200, "year": 34})
    assert len(summary.shown) == 50 and summary.more == 1184 and summary.total == 1234
    assert summary.columns == [("value", 1200), ("year", 34)]


@pytest.mark.django_db
@pytest.mark.usefixtures("bundled_data")
def test_upload_reports_value_and_code_problems_together(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """The task's report of a tidy upload holds the value problems and the code problems
    (geography, duplicate key, SDMX sex) of the same file, with the exact count; its page
    lists them by row and column."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ tidy")
    dist = upload(
        actor=users["contributor"], dataset=ds, file=csv_file(MULTI), map_to_observations=True
    )
    report = dist.validation_report
    assert dist.is_valid is False
    assert {(e["row"], e["column"]) for e in report["errors"]} == WITH_CODES
    assert report["error_count"] == 6
    client = Client()
    client.force_login(users["contributor"])
    page = client.get(f"/en/datasets/{ds.slug}/files/{dist.pk}/").content.decode()
    assert "6 errors." in page and "unknown geography &#x27;ZZZ&#x27;" in page
    assert "<td>8</td><td>sex</td>" in page and "more error" not in page


@pytest.mark.django_db
@pytest.mark.usefixtures("bundled_data")
def test_upload_with_many_errors_lists_fifty_and_says_how_many_more(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """300 rows with a value that is not a number: 300 errors counted, 200 kept in the
    report, 50 listed on the page with 'and 250 more' and the count for the column."""
    body = b"geo,year,value,unit\n" + b"".join(
        b"KEN,%d,x,PERCENT\n" % year for year in range(1801, 2101)
    )
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ many")
    dist = upload(
        actor=users["contributor"], dataset=ds, file=csv_file(body), map_to_observations=True
    )
    assert dist.validation_report["error_count"] == 300
    assert len(dist.validation_report["errors"]) == 200
    client = Client()
    client.force_login(users["contributor"])
    page = client.get(f"/en/datasets/{ds.slug}/files/{dist.pk}/").content.decode()
    assert "300 errors." in page and "The first 50 errors, by row and column" in page
    assert "… and 250 more errors." in page
    assert page.count("<td>value</td>") == 50


@pytest.mark.django_db
@pytest.mark.usefixtures("bundled_data")
def test_import_that_no_longer_maps_keeps_every_problem_and_imports_nothing(
    users: dict[str, Any], org: Any, upload: Any, monkeypatch: Any
) -> None:
    """If a published file no longer maps when the worker imports it, every problem is kept
    (not only the first), the dataset page says how many more there are, and nothing is
    imported: the release stays unset."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ late")
    dist = upload(
        actor=users["contributor"],
        dataset=ds,
        file=csv_file(b"geo,year,value,unit\nKEN,2019,1,PERCENT\nBGD,2019,2,PERCENT\n"),
        map_to_observations=True,
    )
    assert dist.is_valid
    Distribution.objects.filter(pk=dist.pk).update(published=True)
    # since its validation, both geographies have become unknown (e.g. a code list change)
    monkeypatch.setattr("sdg87.catalog.services.observations.geography_ids", lambda: {"UGA": 1})
    assert distribution_statistics_import(distribution_id=dist.pk) is False
    dist.refresh_from_db()
    assert dist.observations_release is None
    assert [e["row"] for e in dist.validation_report[statistics.IMPORT_ERRORS]] == [2, 3]
    assert dist.validation_report[statistics.IMPORT_ERROR_COUNT] == 2
    (line,) = statistics.import_problems(ds)
    assert "(row 2, column geography)" in line and "and 1 more problem" in line
