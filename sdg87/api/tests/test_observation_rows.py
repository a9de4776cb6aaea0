"""A JSON page of observations written from pre-encoded pieces is, byte for byte, the compact
JSON of the ObservationOut dicts, whatever the rows hold, in each language, and it follows a
renamed geography at once."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from sdg87.api.observation_rows import OBSERVATION_COLUMNS, ObservationRow, ObservationRows
from sdg87.api.tests.fixtures import ApiRows
from sdg87.indicators.models import Observation

pytestmark = pytest.mark.django_db


def _reference(
    rows: list[ObservationRow],
    next_url: str | None,
    validity: dict[int, tuple[Any, Any]] | None = None,
) -> bytes:
    related = ObservationRows()
    related.load(rows)
    results = []
    for row in rows:
        observation = related.observation(row)
        if validity is not None:
            observation["valid_from"], observation["valid_to"] = validity[row[0]]
        results.append(observation)
    page = {"next": next_url, "results": results}
    return json.dumps(page, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def _page(
    rows: list[ObservationRow],
    next_url: str | None,
    validity: dict[int, tuple[Any, Any]] | None = None,
) -> bytes:
    related = ObservationRows()
    related.load(rows)
    return related.json_page(rows, next_url=next_url, validity=validity)


def _stored_rows() -> list[ObservationRow]:
    return list(Observation.all_objects.order_by("id").values_list(*OBSERVATION_COLUMNS))


def test_page_is_the_compact_json_of_the_observation_dicts(api_rows: ApiRows):
    Observation.all_objects.filter(year=2021).update(
        note='Estimate "modelled"\n\\ — côte d\'Ivoire \u2028 <b>', nature="E", value=-0.0
    )
    Observation.all_objects.filter(year=2020, geography=api_rows.country_b).update(value=1.5e-07)
    Observation.all_objects.filter(year=2019, geography=api_rows.country_b).update(
        value=123456789012.25
    )
    rows = _stored_rows()
    assert any(row[7] for row in rows) and any(not row[7] for row in rows)
    for next_url in (None, "http://testserver/api/v1/observations?cursor=abc&geo=ZZA"):
        for language in ("en", "fr", "es"):
            with translation.override(language):
                page = _page(rows, next_url)
                assert page == _reference(rows, next_url), language
                # and a second time from the pieces the first one kept
                assert _page(rows, next_url) == page
    with translation.override("en"):
        body = json.loads(_page(rows, None))
    assert body["next"] is None
    assert [r["id"] for r in body["results"]] == [row[0] for row in rows]
    assert {r["note"] for r in body["results"]} >= {
        'Estimate "modelled"\n\\ — côte d\'Ivoire \u2028 <b>'
    }


def test_rows_of_unusual_types_and_validity_dates_are_written_as_the_encoder_writes_them(
    api_rows: ApiRows,
):
    stored = _stored_rows()
    first, second = stored[0], stored[1]
    unusual: list[Any] = [
        (*first[:8], 3, *first[9:]),  # an int value
        (*first[:8], float("nan"), *first[9:]),
        (*first[:8], float("inf"), *first[9:]),
        (*second[:5], None, *second[6:]),  # a text that is not one
        (*second[:7], {"kind": "é", "b": "x"}, *second[8:]),
    ]
    rows = [*stored, *unusual]
    validity = {
        row[0]: (datetime.date(2020, 6, 1), None if row[4] % 2 else datetime.date(2024, 1, 31))
        for row in rows
    }
    with translation.override("en"):
        assert _page(rows, None) == _reference(rows, None)
        assert _page(rows, None, validity) == _reference(rows, None, validity)
    page = json.loads(_page(stored, None, validity))
    assert page["results"][0]["valid_from"] == "2020-06-01"


def test_empty_page(api_rows: ApiRows):
    assert _page([], None) == b'{"next":null,"results":[]}'


def test_a_renamed_geography_is_written_with_its_new_name(api_rows: ApiRows):
    rows = _stored_rows()
    with translation.override("en"):
        assert b'"name":"Testland"' in _page(rows, None)
        api_rows.country_a.name_en = "Renamed land"
        api_rows.country_a.save()
        page = _page(rows, None)
    assert b'"name":"Renamed land"' in page and b'"name":"Testland"' not in page
    assert page == _reference(rows, None)
