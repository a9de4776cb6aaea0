"""REST API v1 supply-chain operations on the bundled DOL data: shape, filters, pagination,
CSV, and the usual error shape for bad or unbounded input."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

DOL_LIST = "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods"


def _error(response, status: int, code: str, parameter: str | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    if parameter:
        assert body["error"]["parameter"] == parameter


def test_goods_list_shape_and_pagination(client, bundled_data) -> None:
    """174 goods, 100 per page by default; cocoa with 7 countries and all three types."""
    body = client.get("/api/v1/goods").json()
    assert body["count"] == 174 and len(body["results"]) == 100 and body["next"]
    assert [e["year"] for e in body["editions"]] == [2021, 2019, 2018, 2017, 2016]
    assert body["editions"][0]["source_url"] == DOL_LIST
    rest = client.get(body["next"]).json()
    assert len(rest["results"]) == 74 and rest["next"] is None
    cocoa = next(g for g in body["results"] + rest["results"] if g["slug"] == "cocoa")
    assert cocoa == {
        "slug": "cocoa",
        "name": "Cocoa",
        "sector": "agriculture",
        "exploitation_types": ["cl", "fl", "fcl"],
        "countries_listed": 7,
        "countries_ever": 7,
        "first_edition": 2016,
        "last_edition": 2021,
        "on_newest_edition": True,
        "url": "http://testserver/en/supply-chains/goods/cocoa/",
    }


def test_goods_filters(client, bundled_data) -> None:
    """`type=input` gives the ten goods listed for an input only; `edition` and `sector`
    narrow; CSV has every match."""
    body = client.get("/api/v1/goods", {"type": "input", "limit": 50}).json()
    assert body["count"] == 10
    assert {g["slug"] for g in body["results"]} >= {"solar-cells", "lithium-ion-batteries"}
    mining = client.get("/api/v1/goods", {"sector": "mining", "edition": 2016}).json()
    assert mining["count"] > 0 and all(g["sector"] == "mining" for g in mining["results"])
    response = client.get("/api/v1/goods", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(response.content.decode())))) == 174


def test_goods_errors(client, bundled_data) -> None:
    """Unknown values, too many values, an unknown edition and a bad cursor are 400s."""
    _error(client.get("/api/v1/goods", {"type": "xx"}), 400, "invalid_parameter", "type")
    _error(
        client.get("/api/v1/goods", {"sector": ",".join(["mining"] * 21)}),
        400,
        "too_many_values",
        "sector",
    )
    _error(client.get("/api/v1/goods", {"edition": 2020}), 400, "invalid_parameter", "edition")
    _error(client.get("/api/v1/goods", {"cursor": "nope"}), 400, "invalid_cursor", "cursor")
    assert client.get("/api/v1/goods", {"limit": 501}).status_code == 422


def test_good_countries_history(client, bundled_data) -> None:
    """Cotton: Uzbekistan's forced labour listed 2016-2019, missing from 2021."""
    body = client.get("/api/v1/goods/cotton/countries", {"limit": 100}).json()
    assert body["good"]["slug"] == "cotton"
    uzb = next(r for r in body["results"] if r["iso3"] == "UZB")
    assert uzb["on_newest_edition"] is False
    fl = next(t for t in uzb["types"] if t["type"] == "fl")
    assert fl == {
        "type": "fl",
        "editions": [2016, 2017, 2018, 2019],
        "first_edition": 2016,
        "last_edition": 2019,
        "removed_in": 2021,
        "on_newest_edition": False,
    }
    assert uzb["url"].endswith("/en/supply-chains/countries/UZB/")


def test_good_countries_csv_and_unknown_good(client, bundled_data) -> None:
    """CSV: one row per country and type (Côte d'Ivoire cocoa, three); unknown good: 404."""
    response = client.get("/api/v1/goods/cocoa/countries", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["exploitation_type"] for r in rows if r["iso3"] == "CIV"] == ["cl", "fl", "fcl"]
    _error(client.get("/api/v1/goods/no-such-good/countries"), 404, "unknown_good", "good")


def test_assessments_by_country_and_year(client, bundled_data) -> None:
    """Côte d'Ivoire: DOL advancement levels and TIP tiers by year, each with its release."""
    body = client.get("/api/v1/assessments", {"country": "civ", "limit": 500}).json()
    kinds = {r["kind"] for r in body["results"]}
    assert kinds == {"dol_advancement", "tip_tier"}
    assert all(r["iso3"] == "CIV" and r["release"] and r["source_url"] for r in body["results"])
    years = [(r["year"], r["kind"]) for r in body["results"]]
    assert years == sorted(years)
    dol = client.get(
        "/api/v1/assessments",
        {"country": "CIV", "kind": "dol_advancement", "year_from": 2022, "year_to": 2022},
    ).json()
    assert [r["year"] for r in dol["results"]] == [2022]
    tip = client.get("/api/v1/assessments", {"country": "CIV", "kind": "tip_tier"}).json()
    assert tip["results"] and {r["value"] for r in tip["results"]} <= {"1", "2", "2WL", "3"}


def test_assessments_pages_and_csv(client, bundled_data) -> None:
    """Pages follow `next` to the end; CSV returns every match at once."""
    first = client.get("/api/v1/assessments", {"limit": 1000 // 2}).json()
    assert first["count"] > 500 and first["next"]
    response = client.get("/api/v1/assessments", {"country": "CIV,GHA", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and {r["iso3"] for r in rows} == {"CIV", "GHA"}


def test_assessments_errors(client, bundled_data) -> None:
    """Bad codes, too many countries and an inverted range are 400s with the error shape."""
    _error(client.get("/api/v1/assessments", {"country": "C1V"}), 400, "invalid_parameter")
    many = ",".join(f"A{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(51))
    _error(client.get("/api/v1/assessments", {"country": many}), 400, "too_many_values")
    _error(
        client.get("/api/v1/assessments", {"year_from": 2020, "year_to": 2010}),
        400,
        "invalid_range",
    )
    assert client.get("/api/v1/assessments", {"kind": "other"}).status_code == 422
