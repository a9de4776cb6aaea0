"""Values that break pages are refused (item 6 of issue 7): a tidy upload meant as statistics
with a non-finite value, an unbounded year or an over-long text is an invalid file whose
report names each problem by row and column (never a server error), and a failed upload
leaves no file behind."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import APIToken

from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import datasets, distributions
from sdg87.catalog.tests.conftest import csv_file
from sdg87.catalog.uploads import (
    TIDY_MAX_LENGTH,
    TIDY_YEAR_MAX,
    TIDY_YEAR_MIN,
    check_tidy_rows,
    parse_tidy_rows,
    validate_table,
)
from sdg87.core.ingest import ParseError

HEADER = ["geo", "year", "value", "unit", "note"]
NON_FINITE = ["inf", "-inf", "+inf", "Infinity", "-Infinity", "INF", "nan", "NaN", "-nan", "1e400"]


def _media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _tidy(*rows: str) -> bytes:
    return ("geo,year,value,unit,note\n" + "".join(r + "\n" for r in rows)).encode()


# --- the parser (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize("text", NON_FINITE)
def test_non_finite_values_are_refused_in_any_spelling(text: str) -> None:
    """inf, -inf, nan and numbers beyond a double (1e400) are errors at row 2, column value."""
    with pytest.raises(ParseError) as info:
        parse_tidy_rows(iter([HEADER, ["KEN", "2019", text, "PERCENT", ""]]), default_series="S")
    assert (info.value.row, info.value.column) == (2, "value")
    assert "finite" in info.value.message


@pytest.mark.parametrize(
    "text", ["inf", "nan", "-Infinity", "2019.5", "1e400", "20x9", "", "1799", "2101", "99999"]
)
def test_years_are_whole_numbers_within_bounds(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_tidy_rows(iter([HEADER, ["KEN", text, "1", "PERCENT", ""]]), default_series="S")
    assert (info.value.row, info.value.column) == (2, "year")


def test_whole_years_written_as_decimals_are_accepted() -> None:
    """Spreadsheets export 2019 as 2019.0: that is still the year 2019."""
    (row,) = parse_tidy_rows(
        iter([HEADER, ["KEN", "2019.0", "1.5", "PERCENT", ""]]), default_series="S"
    )
    assert (row.year, row.value) == (2019, 1.5)


@pytest.mark.parametrize(
    ("column", "limit"), [("unit", 40), ("note", 500), ("geo", 24), ("series", 64)]
)
def test_texts_longer_than_their_database_field_are_refused(column: str, limit: int) -> None:
    header = ["series", *HEADER]
    base = {"series": "S", "geo": "KEN", "year": "2019", "value": "1", "unit": "N", "note": ""}
    ok = dict(base, **{column: "A" * limit})
    parse_tidy_rows(iter([header, [ok[h] for h in header]]), default_series="S")
    long = dict(base, **{column: "A" * (limit + 1)})
    with pytest.raises(ParseError) as info:
        parse_tidy_rows(iter([header, [long[h] for h in header]]), default_series="S")
    assert (info.value.row, info.value.column) == (2, column)
    assert len(info.value.message) < 200  # the cell is quoted shortened, not whole


def test_length_limits_match_the_model_fields() -> None:
    """The parser's limits are the database fields the values are stored in."""
    from sdg87.geo.models import Geography
    from sdg87.indicators.models import Observation, Series

    assert {
        "geo": Geography._meta.get_field("code").max_length,
        "unit": Observation._meta.get_field("unit").max_length,
        "sex": Observation._meta.get_field("sex").max_length,
        "age": Observation._meta.get_field("age").max_length,
        "nature": Observation._meta.get_field("nature").max_length,
        "note": Observation._meta.get_field("note").max_length,
        "series": Series._meta.get_field("code").max_length,
    } == TIDY_MAX_LENGTH
    assert Series._meta.get_field("unit").max_length == TIDY_MAX_LENGTH["unit"]


def test_every_problem_is_listed_with_its_row_and_column() -> None:
    """Not just the first: each bad cell of each row, in order."""
    rows, problems = check_tidy_rows(
        iter(
            [
                HEADER,
                ["KEN", "2019", "inf", "PERCENT", ""],
                ["KEN", "inf", "1", "PERCENT", ""],
                ["BGD", "2019", "1", "U" * 5000, ""],
                ["NPL", "2019", "nan", "", "x" * 501],
                ["PER", "2019", "2.5", "PERCENT", "fine"],
            ]
        ),
        default_series="S",
    )
    assert rows == []
    assert [(p["row"], p["column"]) for p in problems] == [
        (2, "value"),
        (3, "year"),
        (4, "unit"),
        (5, "note"),
        (5, "value"),
        (5, "unit"),
    ]
    json.dumps(problems, allow_nan=False)


def test_problem_list_is_bounded() -> None:
    rows = [HEADER] + [["KEN", "2019", "nan", "N", ""]] * 1000
    _rows, problems = check_tidy_rows(iter(rows), default_series="S", max_errors=50)
    assert len(problems) == 50


_cell = st.one_of(
    st.text(max_size=60),
    st.sampled_from([*NON_FINITE, "1e308", "-0", "2019", "2019.0", " 12.5 ", "1_000", "0x10"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


@settings(max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=0, max_size=7), min_size=0, max_size=8))
def test_any_table_is_either_clean_rows_or_problems_never_an_exception(
    body: list[list[str]],
) -> None:
    """Whatever the cells, the parser returns rows that fit the database (finite values,
    bounded years and texts) or problems with a row, a column and a short message."""
    rows, problems = check_tidy_rows(iter([HEADER, *body]), default_series="S")
    assert bool(rows) != bool(problems)
    for row in rows:
        assert math.isfinite(row.value)
        assert TIDY_YEAR_MIN <= row.year <= TIDY_YEAR_MAX
        assert len(row.unit) <= TIDY_MAX_LENGTH["unit"]
        assert len(row.note) <= TIDY_MAX_LENGTH["note"]
        assert len(row.geo) <= TIDY_MAX_LENGTH["geo"]
    for problem in problems:
        assert isinstance(problem["row"], int) and problem["message"]
        assert len(problem["message"]) < 300
    json.dumps(problems, allow_nan=False)


def test_validation_of_a_plain_table_stays_strict_json(tmp_path: Path) -> None:
    """A file not meant as statistics may hold NaN or Infinity (JSON literals, CSV text):
    its report and preview never carry a non-finite float (PostgreSQL's jsonb and strict
    JSON readers refuse them)."""
    path = tmp_path / "t.json"
    path.write_text('[{"a": NaN, "b": 1}, {"a": Infinity, "b": 1e400}, {"a": 1.5, "b": 2}]')
    report = validate_table(path, "JSON")
    json.dumps(report.to_report(), allow_nan=False)
    json.dumps(report.preview, allow_nan=False)
    csv_path = tmp_path / "t.csv"
    csv_path.write_text("a,year\ninf,inf\nnan,2019\n1e400,2020\n")
    report = validate_table(csv_path, "CSV")
    json.dumps(report.to_report(), allow_nan=False)
    json.dumps(report.preview, allow_nan=False)


# --- through the upload page and the CKAN API -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("KEN,2019,inf,PERCENT,", "value"),
        ("KEN,2019,nan,PERCENT,", "value"),
        ("KEN,2019,-Infinity,PERCENT,", "value"),
        ("KEN,2019,1e400,PERCENT,", "value"),
        ("KEN,inf,1,PERCENT,", "year"),
        ("KEN,2019,1," + "U" * 5000 + ",", "unit"),
        ("KEN,2019,1,PERCENT," + "n" * 501, "note"),
    ],
)
def test_upload_page_reports_values_that_break_pages(
    row: str,
    column: str,
    users: dict[str, Any],
    org: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The reproduction of issue 7 item 6: such a tidy file uploaded 'as statistics' through
    the page is stored as an invalid file (no server error), its report names row 2 and the
    column, the file page shows it and the dataset cannot be submitted."""
    dataset = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ inf")
    client = Client()
    client.force_login(users["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/datasets/{dataset.slug}/upload/",
            {"file": csv_file(_tidy(row)), "map_to_observations": "on"},
        )
    assert response.status_code == 302
    dist = Distribution.objects.get(dataset=dataset)
    assert dist.is_valid is False
    assert (2, column) in [(e["row"], e["column"]) for e in dist.validation_report["errors"]]
    json.dumps(dist.validation_report, allow_nan=False)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"<td>2</td><td>{column}</td>" in page.content.decode()
    response = client.post(f"/en/datasets/{dataset.slug}/action/submit/", follow=True)
    assert "Fix the validation errors first" in response.content.decode()
    assert Dataset.objects.get(pk=dataset.pk).status == "draft"
    assert len(_media_files(settings)) == 1  # the invalid file is kept, for its report


@pytest.mark.django_db
def test_a_failed_upload_leaves_no_file(users: dict[str, Any], org: Any, settings: Any) -> None:
    """When the database work fails after the file was stored (here: a title longer than the
    field, through the service as the CKAN API calls it), the stored file is removed."""
    from django.core.exceptions import ValidationError

    dataset = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ gone")
    with pytest.raises(ValidationError):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file(), title="t" * 400
        )
    assert _media_files(settings) == []
    assert not Distribution.objects.filter(dataset=dataset).exists()


@pytest.mark.django_db
def test_ckan_resource_create_with_an_overlong_name_is_refused_and_stores_nothing(
    client: Client, users: dict[str, Any], org: Any, settings: Any
) -> None:
    """The same through CKAN resource_create: a validation error, and no file left."""
    dataset = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ ckan")
    token = APIToken.create_token(user=users["contributor"], name="zz")[1]
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": dataset.slug, "name": "n" * 400, "upload": csv_file()},
        HTTP_AUTHORIZATION=token,
    )
    assert response.status_code == 409, response.content
    assert response.json()["success"] is False
    assert _media_files(settings) == []
