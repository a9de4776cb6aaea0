"""API v1 statistics endpoints against rows with test-only codes (TEST_A, ZZA, ...)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from sdg87.api.pagination import cursor_encode
from sdg87.api.tests.fixtures import ApiRows

pytestmark = pytest.mark.django_db


OBS = "/api/v1/observations"


def get_all(client: Any, url: str) -> list[dict[str, Any]]:
    """Follow `next` until it is null; return every row."""
    rows: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_default_is_the_newest_value_of_each_data_point(client, api_rows: ApiRows):
    """Without `release`, each data point comes with its newest value (ADR 0005): TEST_A's
    2018-2019 values of 2020 are superseded by 2024's, TEST_B's one point is only in 2020."""
    rows = get_all(client, f"{OBS}?series=TEST_A&series=TEST_B")
    releases = {(r["series"], r["release"]["code"]) for r in rows}
    assert releases == {("TEST_A", "test-release-2024"), ("TEST_B", "test-release-2020")}
    assert len(rows) == 13


def test_old_release_is_kept_and_selectable(client, api_rows: ApiRows):
    """An older release stays available by code, with its own values."""
    rows = get_all(client, f"{OBS}?series=TEST_A&release=test-release-2020")
    assert [(r["year"], r["value"]) for r in rows] == [(2018, 1.0), (2019, 1.0)]
    assert {r["release"]["code"] for r in rows} == {"test-release-2020"}


def test_release_all_returns_every_release(client, api_rows: ApiRows):
    """`release=all` returns the observations of every release."""
    rows = get_all(client, f"{OBS}?series=TEST_A&release=all")
    assert len(rows) == 14


def test_observation_shape(client, api_rows: ApiRows):
    """Each observation carries geography, source and release with licence and citation."""
    body = client.get(f"{OBS}?series=TEST_B").json()
    assert body["next"] is None
    (row,) = body["results"]
    assert row["series"] == "TEST_B"
    assert row["indicator"] == "TEST.1"
    geography = {"code": "ZZ_GROUP", "iso3": None, "m49": "993", "name": "Test group"}
    assert row["geography"] == geography
    assert row["year"] == 2020 and row["value"] == 300.0 and row["unit"] == "NUMBER"
    assert row["sex"] == "_T" and row["age"] == "_T" and row["dimensions"] == {}
    assert row["source"]["licence"] == "CC-BY-4.0"
    assert row["source"]["publisher"] == "Test publisher"
    assert row["release"] == {
        "code": "test-release-2020",
        "title": "Test release 2020",
        "year": 2020,
        "citation": "Test publisher (2020).",
        "url": "",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("series=TEST_A&geo=ZZA", 7),
        ("series=TEST_A&geo=zza", 7),
        ("series=TEST_A&geo=991", 7),
        ("series=TEST_A&geo=ZZA,ZZB", 12),
        ("series=TEST_A&geo=ZZA&geo=ZZB", 12),
        ("series=TEST_A&country=ZZB", 5),
        ("series=TEST_A&country=ZZB&geo=ZZA", 12),
        ("series=TEST_A,TEST_B&geo=ZZ_GROUP", 1),
        ("series=TEST_A,TEST_B&region=ZZ_GROUP", 12),
        ("indicator=TEST.1", 13),
        ("indicator=TEST.1&series=TEST_B", 1),
        ("series=TEST_A&year_from=2021", 6),
        ("series=TEST_A&year_to=2018", 2),
        ("series=TEST_A&year_from=2019&year_to=2019", 2),
        ("series=TEST_A&sex=F", 1),
        ("series=TEST_A&sex=F&sex=M", 2),
        ("series=TEST_A&sex=_T", 10),
        ("series=TEST_A&age=Y5T17", 2),
        ("series=TEST_A&dimension=kind=hazardous", 2),
        ("series=TEST_A&dimension=kind:hazardous", 2),
        ("series=TEST_A&dimension=kind=other", 0),
        # keys named like Django lookups are JSON keys too (they were a 500 on SQLite)
        ("series=TEST_A&dimension=contains=x", 0),
        ("series=TEST_A&dimension=range=x", 0),
        ("series=TEST_A&dimension=isnull=x", 0),
        ("series=TEST_A&dimension=in=x", 0),
        ("series=test_a", 12),
    ],
)
def test_filters(client, api_rows: ApiRows, query: str, expected: int):
    """Every filter narrows the result set as documented."""
    assert len(get_all(client, f"{OBS}?{query}")) == expected


def test_pagination_returns_every_row_once(client, api_rows: ApiRows):
    """Pages of 5 follow `next` (absolute URLs) and together hold every row exactly once."""
    everything = get_all(client, f"{OBS}?indicator=TEST.1&release=all&limit=10000")
    first = client.get(f"{OBS}?indicator=TEST.1&release=all&limit=5").json()
    assert first["next"].startswith("http://testserver/api/v1/observations?")
    assert "indicator=TEST.1" in first["next"] and "limit=5" in first["next"]
    paged = get_all(client, f"{OBS}?indicator=TEST.1&release=all&limit=5")
    ids = [r["id"] for r in paged]
    assert len(ids) == len(set(ids)) == 15
    assert ids == sorted(ids)
    assert paged == everything


def test_last_page_has_no_next(client, api_rows: ApiRows):
    """A page that reaches the end has next = null, even when exactly full."""
    body = client.get(f"{OBS}?series=TEST_B&limit=1").json()
    assert len(body["results"]) == 1 and body["next"] is None


def test_cursor_past_the_end_is_empty(client, api_rows: ApiRows):
    """A well-formed cursor beyond the last id gives an empty last page."""
    body = client.get(f"{OBS}?series=TEST_A&cursor={cursor_encode(2**62)}").json()
    assert body == {"next": None, "results": []}


def test_csv_equals_json_rows(client, api_rows: ApiRows):
    """format=csv streams all matching rows (no pagination) with the same values as JSON."""
    json_rows = get_all(client, f"{OBS}?indicator=TEST.1&release=all&limit=3")
    response = client.get(f"{OBS}?indicator=TEST.1&release=all&limit=3&format=csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="sdg87-observations')
    text = b"".join(response.streaming_content).decode("utf-8")
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    assert len(csv_rows) == len(json_rows) == 15
    for c, j in zip(csv_rows, json_rows, strict=True):
        assert int(c["id"]) == j["id"]
        assert c["series"] == j["series"]
        assert c["geography_code"] == j["geography"]["code"]
        assert c["iso3"] == (j["geography"]["iso3"] or "")
        assert int(c["year"]) == j["year"]
        assert float(c["value"]) == j["value"]
        assert (c["sex"], c["age"]) == (j["sex"], j["age"])
        assert c["release_code"] == j["release"]["code"]
        assert c["licence"] == j["source"]["licence"]
        assert c["citation"] == j["release"]["citation"]


def test_csv_header_only_when_nothing_matches(client, api_rows: ApiRows):
    """An empty CSV still has its header row."""
    response = client.get(f"{OBS}?series=TEST_A&year_from=1990&year_to=1991&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.strip().split(",")[:3] == ["id", "series", "indicator"]
    assert len(text.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("query", "status", "code", "parameter"),
    [
        ("series=NOPE_SERIES", 400, "unknown_series", "series"),
        ("series=TEST_A,NOPE_SERIES", 400, "unknown_series", "series"),
        ("indicator=99.9.9", 400, "unknown_indicator", "indicator"),
        ("geo=QQQ", 400, "unknown_geography", "geo"),
        ("geo=998", 400, "unknown_geography", "geo"),
        ("country=ZZ_GROUP", 400, "unknown_country", "country"),
        ("country=QQQ", 400, "unknown_country", "country"),
        ("region=QQQ", 400, "unknown_geography", "region"),
        ("region=ZZA", 400, "unknown_geography", "region"),
        ("release=no-such-release", 400, "unknown_release", "release"),
        ("year_from=2020&year_to=2010", 400, "invalid_range", "year_from"),
        ("cursor=not-a-cursor", 400, "invalid_cursor", "cursor"),
        ("cursor=%3D%3D", 400, "invalid_cursor", "cursor"),
        ("cursor=aWQ6LTE", 400, "invalid_cursor", "cursor"),  # "id:-1"
        ("cursor=aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5", 400, "invalid_cursor", "cursor"),  # huge
        ("dimension=novalue", 400, "invalid_parameter", "dimension"),
        ("dimension=a__b=1", 400, "invalid_parameter", "dimension"),
        ("year_from=abc", 422, "invalid_parameter", "year_from"),
        ("year_to=99999", 422, "invalid_parameter", "year_to"),
        ("sex=X", 422, "invalid_parameter", "sex"),
        ("age=Y1T2", 422, "invalid_parameter", "age"),
        ("limit=0", 422, "invalid_parameter", "limit"),
        ("limit=10001", 422, "invalid_parameter", "limit"),
        ("limit=many", 422, "invalid_parameter", "limit"),
        ("format=xml", 422, "invalid_parameter", "format"),
        ("lang=de", 422, "invalid_parameter", "lang"),
    ],
)
def test_observation_errors(client, api_rows: ApiRows, query, status, code, parameter):
    """Bad input gives a JSON error with a stable code naming the parameter, never a 500."""
    error = assert_error(client.get(f"{OBS}?{query}"), status, code)
    assert error["parameter"] == parameter


def test_csv_validates_like_json(client, api_rows: ApiRows):
    """format=csv checks its filters before streaming anything."""
    assert_error(client.get(f"{OBS}?series=NOPE_SERIES&format=csv"), 400, "unknown_series")


def test_indicators_list_with_series(client, api_rows: ApiRows):
    """Indicators list their series."""
    body = client.get("/api/v1/indicators").json()
    test = next(i for i in body["results"] if i["code"] == "TEST.1")
    assert [s["code"] for s in test["series"]] == ["TEST_A", "TEST_B"]
    assert body["count"] == len(body["results"])


def test_indicator_detail_and_404(client, api_rows: ApiRows):
    """One indicator by code; an unknown code is a JSON 404."""
    assert client.get("/api/v1/indicators/TEST.1").json()["name"] == "Test indicator"
    assert_error(client.get("/api/v1/indicators/99.9.9"), 404, "unknown_indicator")


def test_series_list_filter_and_lang(client, api_rows: ApiRows):
    """`indicator` keeps one indicator's series; `lang` translates names where available."""
    body = client.get("/api/v1/series?indicator=TEST.1&lang=fr").json()
    assert [s["code"] for s in body["results"]] == ["TEST_A", "TEST_B"]
    assert body["results"][0]["name"] == "Série de test A"
    assert body["results"][1]["name"] == "Test series B"
    assert_error(client.get("/api/v1/series?indicator=99.9.9"), 400, "unknown_indicator")


def test_series_detail(client, api_rows: ApiRows):
    """Series detail gives releases newest first with coverage, geographies and year range."""
    body = client.get("/api/v1/series/TEST_A").json()
    assert body["code"] == "TEST_A" and body["indicator"] == "TEST.1"
    assert body["dimensions"] == ["kind"]
    assert body["latest_release"] == "test-release-2024"
    assert [r["code"] for r in body["releases"]] == ["test-release-2024", "test-release-2020"]
    newest, oldest = body["releases"]
    assert newest["is_latest"] and not oldest["is_latest"]
    assert (newest["observations"], newest["geographies"]) == (12, 2)
    assert (oldest["observations"], oldest["year_min"], oldest["year_max"]) == (2, 2018, 2019)
    assert newest["source"]["code"] == "test-source"
    assert (body["geographies"], body["year_min"], body["year_max"]) == (2, 2018, 2022)
    assert_error(client.get("/api/v1/series/NOPE_SERIES"), 404, "unknown_series")


def test_release_order_uses_date_then_id(client, api_rows: ApiRows):
    """Two releases of the same year: the later publication date wins for the data points it
    holds (undated counts oldest); the other points stay with the earlier release."""
    from sdg87.indicators.models import Observation, Release
    from sdg87.indicators.services import observations_mark_latest

    same_year = Release.objects.create(
        source=api_rows.source,
        code="test-release-2024b",
        title="Test release 2024 revision",
        year=2024,
        released_on="2024-12-01",
        citation="Test publisher (2024b).",
        provenance="test",
    )
    Observation.objects.create(
        series=api_rows.series_a,
        geography=api_rows.country_a,
        release=same_year,
        year=2022,
        value=7.0,
        unit="PERCENT",
    )
    observations_mark_latest(series_ids=[api_rows.series_a.id])
    rows = get_all(client, f"{OBS}?series=TEST_A&geo=ZZA&sex=_T")
    assert [(r["year"], r["value"], r["release"]["code"]) for r in rows] == [
        (2018, 10.0, "test-release-2024"),
        (2019, 11.0, "test-release-2024"),
        (2020, 12.0, "test-release-2024"),
        (2021, 13.0, "test-release-2024"),
        (2022, 7.0, "test-release-2024b"),
    ]


@pytest.mark.parametrize("limit", [1, 5, 10000])
def test_observation_query_count_is_constant(
    client, api_rows: ApiRows, django_assert_max_num_queries, limit
):
    """A page costs the same few queries whatever its size: one per lookup filter (series,
    indicator, geo, country, region), one for the page (the newest value of each data point is
    the stored `is_latest`, no query of its own) and one each for the page's series,
    geographies and releases."""
    url = (
        f"{OBS}?series=TEST_A&series=TEST_B&indicator=TEST.1&geo=ZZA&country=ZZB"
        f"&region=ZZ_GROUP&limit={limit}"
    )
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(f"{OBS}?release=test-release-2024&limit={limit}").status_code == 200


def test_csv_query_count_is_constant(client, api_rows: ApiRows, django_assert_max_num_queries):
    """Streaming CSV: one chunked row query; series, geographies and releases are looked up
    once per chunk, and only when a chunk brings new ones."""
    with django_assert_max_num_queries(5):
        response = client.get(f"{OBS}?indicator=TEST.1&release=all&format=csv")
        b"".join(response.streaming_content)


def test_series_endpoints_query_count(client, api_rows: ApiRows, django_assert_max_num_queries):
    """Indicator and series endpoints use a constant number of queries."""
    with django_assert_max_num_queries(2):
        client.get("/api/v1/indicators")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/series?indicator=TEST.1")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/series/TEST_A")


def test_observation_page_matches_its_declared_schema(client, api_rows: ApiRows):
    """Pages are built by hand for speed: they must still match ObservationPage exactly."""
    from sdg87.api.indicator_schemas import ObservationOut, ObservationPage

    body = client.get(f"{OBS}?indicator=TEST.1&release=all&limit=4").json()
    page = ObservationPage.model_validate(body)
    assert page.model_dump(mode="json") == body
    for row in body["results"]:
        assert set(row) == set(ObservationOut.model_fields)


def test_observation_geography_name_in_lang(client, api_rows: ApiRows):
    """`lang` gives geography names in French or Spanish, in JSON and CSV alike."""
    body = client.get(f"{OBS}?series=TEST_A&geo=ZZA&sex=F&lang=es").json()
    assert body["results"][0]["geography"]["name"] == "Testlandia"
    response = client.get(f"{OBS}?series=TEST_A&geo=ZZA&sex=F&lang=fr&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert next(csv.DictReader(io.StringIO(text)))["geography_name"] == "Testlande"


def test_csv_text_cells_cannot_start_a_formula():
    """Text that a spreadsheet would run as a formula is prefixed with a quote; numbers are not."""
    from sdg87.core.csvsafe import csv_cell

    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@cmd") == "'@cmd"
    assert csv_cell("Kenya") == "Kenya" and csv_cell(None) == ""
    assert csv_cell(-1.5) == -1.5


def test_latest_keeps_the_most_recent_year_of_each_place(client, api_rows: ApiRows):
    """latest=true gives one row per place and breakdown: its newest year (within year_to)."""
    rows = get_all(client, f"{OBS}?series=TEST_A&sex=_T&latest=true")
    assert sorted((r["geography"]["code"], r["year"]) for r in rows) == [
        ("ZZA", 2022),
        ("ZZB", 2022),
    ]
    capped = get_all(client, f"{OBS}?series=TEST_A&sex=_T&latest=true&year_to=2020")
    assert {r["year"] for r in capped} == {2020}
    csv_body = client.get(f"{OBS}?series=TEST_A&sex=_T&latest=true&format=csv")
    assert len(b"".join(csv_body.streaming_content).decode().strip().splitlines()) == 3
