"""A JSON page's rows, with the SQL compiled once per filter shape, are exactly the rows of
`observation_list(...).values_list(...)[:n]` (the reference path), whatever the filters."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.api import observation_query
from sdg87.api.observation_query import observation_page_rows
from sdg87.api.observation_rows import OBSERVATION_COLUMNS
from sdg87.api.tests.fixtures import ApiRows
from sdg87.indicators.models import Observation
from sdg87.indicators.selectors import observation_list

pytestmark = pytest.mark.django_db


def _reference(filters: dict[str, Any], count: int) -> list[tuple[Any, ...]]:
    return list(observation_list(**filters).values_list(*OBSERVATION_COLUMNS)[:count])


def _filter_sets(rows: ApiRows) -> list[dict[str, Any]]:
    a, b, group = rows.country_a, rows.country_b, rows.group
    base: dict[str, Any] = {
        "series_ids": None,
        "indicator": None,
        "geography_ids": None,
        "region": None,
        "year_from": None,
        "year_to": None,
        "sex": [],
        "age": [],
        "release": None,
        "all_releases": False,
        "latest_year_only": False,
        "after_id": None,
    }
    variants: list[dict[str, Any]] = [
        {},
        {"series_ids": [rows.series_a.id]},
        {"series_ids": [rows.series_a.id, rows.series_b.id, rows.series_a.id]},
        {"indicator": rows.indicator, "geography_ids": {a.id}},
        {"indicator": rows.indicator, "geography_ids": {b.id}},
        {"geography_ids": {a.id, b.id}, "year_from": 2019, "year_to": 2021},
        {"region": group},
        {"region": group, "geography_ids": {group.id}},
        {"sex": ["F", "M"], "age": ["Y5T17"]},
        {"sex": ["F"]},
        {"release": rows.old_release},
        {"all_releases": True},
        {"all_releases": True, "series_ids": [rows.series_a.id], "year_to": 2018},
        {"latest_year_only": True},
        {"latest_year_only": True, "geography_ids": {a.id}, "year_to": 2020},
        {"series_ids": []},
        {"geography_ids": set()},
        {"series_ids": [-1]},
        # many codes and years: placeholders stay within the columns' ranges (PostgreSQL)
        {"series_ids": [rows.series_a.id, *range(10**6, 10**6 + 40)], "year_from": 2019},
        {"geography_ids": {a.id}, "year_from": 2018, "year_to": 2018, "region": group},
    ]
    return [{**base, **variant} for variant in variants]


def test_page_rows_match_the_reference_for_every_shape_values_and_page(api_rows: ApiRows):
    observation_query._compiled.clear()
    first_id = Observation.objects.order_by("id").values_list("id", flat=True).first()
    assert first_id is not None
    checked = 0
    for filters, count, after in itertools.product(
        _filter_sets(api_rows), (1, 3, 51), (None, first_id + 2)
    ):
        filters = {**filters, "after_id": after}
        expected = _reference(filters, count)
        assert observation_page_rows(**filters, count=count) == expected, (filters, count)
        # the second time from the compiled shape, same answer
        assert observation_page_rows(**filters, count=count) == expected, (filters, count)
        checked += bool(expected)
    assert checked > 40  # most combinations hold rows: the comparison is not vacuous
    # an id beyond every column's range (a forged cursor) answers as through the ORM
    for after in (2**31, 2**63):
        filters = {**_filter_sets(api_rows)[0], "after_id": after}
        assert observation_page_rows(**filters, count=5) == _reference(filters, 5) == []
    # dimensions come back decoded, as through the ORM
    only_a = {**_filter_sets(api_rows)[0], "series_ids": [api_rows.series_a.id], "sex": ["F"]}
    rows = observation_page_rows(**only_a, count=5)
    assert rows and rows[0][7] == {"kind": "hazardous"}


def test_one_shape_compiles_once_and_reuses_the_sql_with_other_values(api_rows: ApiRows):
    observation_query._compiled.clear()
    base = _filter_sets(api_rows)[0]
    a, b = api_rows.country_a, api_rows.country_b
    first = observation_page_rows(**{**base, "geography_ids": {a.id}}, count=51)
    assert len(observation_query._compiled) == 1
    with CaptureQueriesContext(connection) as queries:
        second = observation_page_rows(**{**base, "geography_ids": {b.id}}, count=51)
    assert len(observation_query._compiled) == 1
    assert len(queries) == 1
    assert {row[2] for row in first} == {a.id} and {row[2] for row in second} == {b.id}
    assert second == _reference({**base, "geography_ids": {b.id}}, 51)
