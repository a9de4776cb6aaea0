"""observations_import and the metadata services, against the bundled geographies."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from sdg87.core.ingest import ParseError
from sdg87.indicators.models import Observation, Release
from sdg87.indicators.services import (
    ObservationRow,
    indicator_upsert,
    observation_row_problems,
    observation_value_problems,
    observations_import,
    release_upsert,
    series_upsert,
    source_upsert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_series(bundled_data):
    indicator = indicator_upsert(code="TEST-IND", name="Test indicator", is_sdg=False)
    series_upsert(code="TEST_SERIES", indicator=indicator, name="Test series", unit="PERCENT")
    series_upsert(code="TEST_SERIES_2", indicator=indicator, name="Test 2", unit="PERCENT")
    return indicator


def _release(code: str) -> Release:
    source = source_upsert(code="test-source", title="Test", publisher="Test", licence="CC0-1.0")
    return release_upsert(
        source=source, code=code, title=code, year=2024, citation="c", provenance="p"
    )


def _row(value: float, geo: str = "KEN", line: int = 2, series: str = "TEST_SERIES"):
    return ObservationRow(series=series, geo=geo, year=2020, value=value, unit="PERCENT", line=line)


def test_second_release_does_not_overwrite_the_first(test_series):
    """Importing release B leaves release A's observations intact."""
    release_a, release_b = _release("test-release-a"), _release("test-release-b")
    observations_import(release=release_a, rows=[_row(1.0)])
    observations_import(release=release_b, rows=[_row(2.0), _row(3.0, geo="BGD", line=3)])
    assert list(Observation.objects.filter(release=release_a).values_list("value", flat=True)) == [
        1.0
    ]
    assert Observation.objects.filter(release=release_b).count() == 2


def test_reimport_replaces_the_release_rows(test_series):
    """Importing the same release again replaces its rows instead of adding to them."""
    release = _release("test-release-a")
    observations_import(release=release, rows=[_row(1.0)])
    observations_import(release=release, rows=[_row(5.0)])
    assert list(Observation.objects.filter(release=release).values_list("value", flat=True)) == [
        5.0
    ]


def test_unknown_geography_names_row_and_column_and_writes_nothing(test_series):
    """An unknown geography raises ParseError (row, column) and the release is unchanged."""
    release = _release("test-release-a")
    observations_import(release=release, rows=[_row(1.0)])
    with pytest.raises(ParseError) as exc:
        observations_import(release=release, rows=[_row(7.0), _row(8.0, geo="ZZA", line=3)])
    assert (exc.value.row, exc.value.column) == (3, "geography")
    assert list(Observation.objects.filter(release=release).values_list("value", flat=True)) == [
        1.0
    ]


def test_row_problems_name_each_bad_code_in_column_order_translated():
    """Every unmappable code of a row is a problem with its row and column, in column order,
    in the contributor's language (named placeholders, so French can reorder them)."""
    row = ObservationRow(
        series="S", geo="zza", year=2020, value=1.0, unit="", sex="X", age="Y", nature="Q", line=7
    )
    with translation.override("fr"):
        problems = observation_row_problems(row, geo_ids={"KEN": 1})
    assert [(p.row, p.column) for p in problems] == [
        (7, "geography"),
        (7, "sex"),
        (7, "age"),
        (7, "nature"),
    ]
    assert problems[0].message == "zone géographique «\u00a0zza\u00a0» inconnue"
    assert problems[1].message == "code «\u00a0X\u00a0» inconnu pour sex"
    fine = dataclasses.replace(row, geo="4", sex="F", age="_T", nature="")
    assert observation_row_problems(fine, geo_ids={"004": 1}) == []  # M49 codes zero-padded


def test_value_problems_name_row_and_column_of_what_the_database_would_refuse():
    """Rows are inserted without full_clean: a value that is not a finite number, a year
    outside the year column and a unit longer than its column are refused first, each with
    its row and column; a sound row has no problem."""
    row = ObservationRow(series="S", geo="KEN", year=40000, value=float("nan"), unit="U" * 41)
    row = dataclasses.replace(row, line=9)
    assert [(p.row, p.column) for p in observation_value_problems(row)] == [
        (9, "year"),
        (9, "value"),
        (9, "unit"),
    ]
    for value in (float("inf"), float("-inf")):
        problems = observation_value_problems(dataclasses.replace(row, year=2020, value=value))
        assert [p.column for p in problems] == ["value", "unit"]
    fine = dataclasses.replace(row, year=2020, value=-3.5, unit="U" * 40)
    assert observation_value_problems(fine) == []


def test_non_finite_value_names_its_row_and_the_import_writes_nothing(test_series):
    """One infinite value in the middle of an import raises ParseError (row, value column)
    and leaves the release as it was: the import is whole or nothing."""
    release = _release("test-release-a")
    observations_import(release=release, rows=[_row(1.0)])
    rows = [_row(7.0), _row(float("inf"), geo="BGD", line=3), _row(8.0, geo="NPL", line=4)]
    with pytest.raises(ParseError) as exc:
        observations_import(release=release, rows=rows)
    assert (exc.value.row, exc.value.column) == (3, "value")
    assert list(Observation.objects.filter(release=release).values_list("value", flat=True)) == [
        1.0
    ]


def test_batched_insert_writes_every_column(test_series):
    """The batched insert stores each field of the row as the model reads it back: codes,
    dimensions and their key, nature, note (cut at 500 characters), latest flag; more rows
    than one batch all arrive."""
    from sdg87.indicators import services

    release = _release("test-release-a")
    row = ObservationRow(
        series="TEST_SERIES",
        geo="404",
        year=2019,
        value=12.5,
        unit="PERCENT",
        sex="F",
        age="Y5T17",
        nature="E",
        dimensions={"b": "2", "a": "1"},
        note="n" * 600,
        line=2,
    )
    many = [_row(float(year), geo="BGD", line=year) for year in range(services.BATCH_SIZE + 1)]
    many = [dataclasses.replace(r, year=r.line) for r in many]
    assert observations_import(release=release, rows=[row, *many]) == services.BATCH_SIZE + 2
    obs = Observation.objects.get(release=release, geography__iso3="KEN")
    assert (obs.series.code, obs.year, obs.value, obs.unit) == (
        "TEST_SERIES",
        2019,
        12.5,
        "PERCENT",
    )
    assert (obs.sex, obs.age, obs.nature, obs.is_latest) == ("F", "Y5T17", "E", True)
    assert obs.dimensions == {"a": "1", "b": "2"}
    assert obs.dimensions_key == "a=1|b=2"
    assert obs.note == "n" * 500
    assert Observation.objects.filter(release=release, geography__iso3="BGD").count() == (
        services.BATCH_SIZE + 1
    )


def test_series_scope_replaces_only_those_series(test_series):
    """With series_scope, other series of the same release stay; rows outside it fail."""
    release = _release("test-release-a")
    observations_import(release=release, rows=[_row(1.0), _row(2.0, series="TEST_SERIES_2")])
    observations_import(release=release, rows=[_row(9.0)], series_scope={"TEST_SERIES"})
    values = dict(Observation.objects.filter(release=release).values_list("series__code", "value"))
    assert values == {"TEST_SERIES": 9.0, "TEST_SERIES_2": 2.0}
    with pytest.raises(ParseError) as exc:
        observations_import(
            release=release, rows=[_row(1.0, series="TEST_SERIES_2")], series_scope={"TEST_SERIES"}
        )
    assert exc.value.column == "series"


def test_duplicate_key_is_an_error(test_series):
    """Two rows for the same key in one import raise ParseError on the second row."""
    release = _release("test-release-a")
    with pytest.raises(ParseError) as exc:
        observations_import(release=release, rows=[_row(1.0), _row(2.0, line=3)])
    assert exc.value.row == 3


def test_newest_release_supersedes_only_the_data_points_it_holds(test_series):
    """Per data point, the newest release's value is latest; points a newer release does not
    hold stay latest in the older release (editions that publish only their own year)."""
    source = source_upsert(code="test-source", title="Test", publisher="Test", licence="CC0-1.0")
    old = release_upsert(
        source=source, code="test-old", title="old", year=2021, citation="c", provenance="p"
    )
    new = release_upsert(
        source=source, code="test-new", title="new", year=2025, citation="c", provenance="p"
    )
    observations_import(release=new, rows=[_row(2.0)])  # newest imported first on purpose
    observations_import(
        release=old,
        rows=[
            _row(1.0),
            ObservationRow(
                series="TEST_SERIES", geo="KEN", year=2016, value=9.0, unit="PERCENT", line=3
            ),
        ],
    )
    latest = Observation.objects.filter(series__code="TEST_SERIES", is_latest=True)
    assert sorted(latest.values_list("year", "value")) == [(2016, 9.0), (2020, 2.0)]
    assert Observation.objects.get(release=old, year=2020).is_latest is False


def test_removing_the_newer_point_makes_the_older_latest_again(test_series):
    """Re-importing the newer release without a point hands that point back to the older."""
    source = source_upsert(code="test-source", title="Test", publisher="Test", licence="CC0-1.0")
    old = release_upsert(
        source=source, code="test-old", title="old", year=2021, citation="c", provenance="p"
    )
    new = release_upsert(
        source=source, code="test-new", title="new", year=2025, citation="c", provenance="p"
    )
    observations_import(release=old, rows=[_row(1.0)])
    observations_import(release=new, rows=[_row(2.0)])
    observations_import(release=new, rows=[_row(3.0, geo="BGD")])
    assert Observation.objects.get(release=old, geography__code="KEN").is_latest is True
