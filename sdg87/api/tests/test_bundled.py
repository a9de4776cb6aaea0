"""API v1 against the bundled real data (loaded once per session by `bundled_data`)."""

from __future__ import annotations

import csv
import io

import pytest

from sdg87.api.tests.test_routers_indicators import assert_error, get_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

OBS = "/api/v1/observations"


def test_bangladesh_child_labour_2019(client):
    """BGD 2019, SL_TLF_CHLDEA, both sexes, 5-17: 5.9 % (UN SDG Global Database)."""
    rows = get_all(client, f"{OBS}?series=SL_TLF_CHLDEA&geo=BGD&year_from=2019&year_to=2019&sex=_T")
    assert [(r["age"], r["value"]) for r in rows] == [("Y5T17", 5.9)]
    (row,) = rows
    assert row["geography"] == {"code": "BGD", "iso3": "BGD", "m49": "050", "name": "Bangladesh"}
    assert row["indicator"] == "8.7.1" and row["unit"] == "PERCENT"
    assert row["source"]["licence"] and row["release"]["citation"]


def test_world_aggregate_as_published(client):
    """World (001), SL_TLF_CHLDEC, 2020, both sexes: 9.6 %, stored as published."""
    rows = get_all(client, f"{OBS}?series=SL_TLF_CHLDEC&geo=001&year_from=2020&year_to=2020&sex=_T")
    assert [r["value"] for r in rows] == [9.6]
    assert rows[0]["geography"]["name"] == "World"


def test_geo_by_m49_finds_bangladesh(client):
    """geo=50 (M49 without leading zero) is Bangladesh, same rows as geo=BGD."""
    by_m49 = get_all(client, f"{OBS}?series=SL_TLF_CHLDEA&geo=50")
    by_iso3 = get_all(client, f"{OBS}?series=SL_TLF_CHLDEA&geo=BGD")
    assert by_m49 == by_iso3
    assert {r["geography"]["iso3"] for r in by_m49} == {"BGD"}


def test_country_and_geo_combine(client):
    """country=BGD plus geo=001 returns Bangladesh's rows and the World rows."""
    rows = get_all(client, f"{OBS}?series=SL_TLF_CHLDEC&country=BGD&geo=001")
    assert {r["geography"]["code"] for r in rows} == {"BGD", "001"}


def test_region_keeps_member_countries(client):
    """region=202 (Sub-Saharan Africa) returns its member countries' rows, not the aggregate's."""
    members = client.get("/api/v1/countries?region=202").json()["results"]
    member_codes = {c["iso3"] for c in members}
    assert "KEN" in member_codes and "BGD" not in member_codes
    rows = get_all(client, f"{OBS}?series=SL_TLF_CHLDEA&region=202")
    codes = {r["geography"]["code"] for r in rows}
    assert codes and codes <= member_codes


def test_indicator_filter(client):
    """indicator=8.7.1 returns only the two 8.7.1 series."""
    rows = get_all(client, f"{OBS}?indicator=8.7.1&limit=10000")
    assert {r["series"] for r in rows} == {"SL_TLF_CHLDEA", "SL_TLF_CHLDEC"}


def test_pagination_over_real_data(client):
    """Small pages over 8.7.1 hold every row exactly once, in id order."""
    everything = get_all(client, f"{OBS}?indicator=8.7.1&limit=10000")
    paged = get_all(client, f"{OBS}?indicator=8.7.1&limit=97")
    assert len(everything) > 97 * 3
    ids = [r["id"] for r in paged]
    assert ids == sorted(set(ids))
    assert paged == everything


def test_csv_equals_json_on_real_data(client):
    """CSV of 8.7.1 has the same rows and values as the paged JSON."""
    json_rows = get_all(client, f"{OBS}?indicator=8.7.1&limit=500")
    response = client.get(f"{OBS}?indicator=8.7.1&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in csv_rows] == [r["id"] for r in json_rows]
    assert [float(r["value"]) for r in csv_rows] == [r["value"] for r in json_rows]
    assert [r["geography_code"] for r in csv_rows] == [r["geography"]["code"] for r in json_rows]


def test_default_is_newest_value_per_data_point(client):
    """By default each World figure comes from the newest report that publishes it: the 2024
    figure from the 2025 report, the 2000 figure from an earlier report (it was not
    republished); older releases stay selectable."""
    detail = client.get("/api/v1/series/ILO_CL_NUM").json()
    releases = [r["code"] for r in detail["releases"]]
    assert len(releases) >= 2
    newest, older = releases[0], releases[-1]
    assert detail["latest_release"] == newest
    default = get_all(client, f"{OBS}?series=ILO_CL_NUM&geo=001&sex=_T&age=Y5T17")
    by_year = {r["year"]: r for r in default if not r["dimensions"]}
    assert len(by_year) == len([r for r in default if not r["dimensions"]])  # one per year
    assert by_year[2024]["release"]["code"] == newest and by_year[2024]["value"] == 138
    assert by_year[2000]["value"] == 246 and by_year[2000]["release"]["code"] != newest
    old_rows = get_all(client, f"{OBS}?series=ILO_CL_NUM&release={older}")
    assert old_rows and {r["release"]["code"] for r in old_rows} == {older}
    every = get_all(client, f"{OBS}?series=ILO_CL_NUM&release=all&limit=10000")
    assert len(every) == sum(r["observations"] for r in detail["releases"])


def test_countries_and_detail(client):
    """Countries carry codes and groups; Bangladesh's detail lists its regions and series."""
    body = client.get("/api/v1/countries?lang=fr").json()
    assert body["count"] > 190
    kenya = next(c for c in body["results"] if c["iso3"] == "KEN")
    assert kenya["m49"] == "404" and "202" in kenya["groups"] and "001" in kenya["groups"]
    detail = client.get("/api/v1/countries/BGD").json()
    assert {"001", "062"} <= {g["code"] for g in detail["groups"]}
    series = {s["code"]: s for s in detail["series"]}
    assert series["SL_TLF_CHLDEA"]["latest_year"] == 2019


def test_geographies_real(client):
    """Aggregates include World and SDG regions with their member ISO3 codes."""
    body = client.get("/api/v1/geographies?kind=sdg_region").json()
    ssa = next(g for g in body["results"] if g["code"] == "202")
    assert "KEN" in ssa["members"] and "BGD" not in ssa["members"]
    world = client.get("/api/v1/geographies?kind=world").json()["results"]
    assert [g["code"] for g in world] == ["001"]
    assert len(world[0]["members"]) > 190


def test_indicators_and_series_real(client):
    """8.7.1 lists both its series; the series detail gives release and coverage."""
    indicators = client.get("/api/v1/indicators").json()["results"]
    sdg871 = next(i for i in indicators if i["code"] == "8.7.1")
    assert {s["code"] for s in sdg871["series"]} == {"SL_TLF_CHLDEA", "SL_TLF_CHLDEC"}
    detail = client.get("/api/v1/series/SL_TLF_CHLDEA").json()
    assert detail["latest_release"] == "unsd-sdg-2023-12"
    assert detail["geographies"] > 50 and detail["year_min"] <= 2019 <= detail["year_max"]
    assert_error(client.get(f"{OBS}?series=SL_TLF_NOPE"), 400, "unknown_series")


@pytest.mark.parametrize("limit", [10, 10000])
def test_query_budgets_on_real_data(client, django_assert_max_num_queries, limit):
    """Query counts stay constant on the full data, whatever the page size."""
    with django_assert_max_num_queries(5):
        assert client.get(f"{OBS}?limit={limit}").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"{OBS}?series=SL_TLF_CHLDEA&limit={limit}").status_code == 200
    with django_assert_max_num_queries(3):  # countries, their names, their aliases
        client.get("/api/v1/countries")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/geographies")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/indicators")
    with django_assert_max_num_queries(1):
        client.get("/api/v1/series")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/series/SL_TLF_CHLDEA")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/countries/BGD")
