"""API v1 `funding`: only published commitments, each in its own currency with its source;
totals per currency, a USD total only over dollar amounts and stated rates (with the number
left out); filters; labels in en/fr/es; the OpenAPI schema lists the operation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from sdg87.alliance.services import funding
from sdg87.alliance.tests.funding_fixtures import *  # noqa: F403
from sdg87.alliance.tests.funding_fixtures import enter, published
from sdg87.api.tests.test_routers_indicators import assert_error

pytestmark = pytest.mark.django_db

ECB = "ECB euro reference rate, 2 January 2024"


@pytest.fixture
def rows(fund_people: dict[str, Any], donor: Any, uganda: Any, kenya: Any) -> dict[str, Any]:
    eur = published(fund_people, donor, uganda, amount=Decimal("1000000"), usd_rate="1.0845",
                    usd_rate_source=ECB)  # fmt: skip
    usd = published(fund_people, donor, uganda, amount=Decimal("250000"), currency="USD")
    kes = published(fund_people, donor, kenya, amount=Decimal("2000000"), currency="KES",
                    theme="trafficking", commitment_status="pledged")  # fmt: skip
    draft = enter(fund_people, donor, uganda, programme="A draft", amount=Decimal("5"))
    gone = published(fund_people, donor, kenya, programme="Withdrawn one")
    funding.funding_commitment_withdraw(actor=fund_people["donor_editor"], commitment=gone)
    return {"eur": eur, "usd": usd, "kes": kes, "draft": draft, "gone": gone}


def test_only_published_commitments_with_totals(client: Client, rows: dict[str, Any]) -> None:
    body = client.get("/api/v1/funding").json()
    assert body["count"] == 3
    ids = {r["id"] for r in body["results"]}
    assert ids == {rows["eur"].pk, rows["usd"].pk, rows["kes"].pk}
    assert body["totals"]["by_currency"] == [
        {"currency": "EUR", "amount": "1000000.00", "count": 1},
        {"currency": "KES", "amount": "2000000.00", "count": 1},
        {"currency": "USD", "amount": "250000.00", "count": 1},
    ]
    # 1,000,000 x 1.0845 + 250,000 = 1,334,500.00; the KES commitment has no rate
    assert body["totals"]["usd"] == {
        "amount": "1334500.00",
        "counted": 2,
        "left_out": 1,
        "rate_sources": [ECB],
    }
    assert [g["key"] for g in body["by_country"]] == ["KEN", "UGA"]
    assert [g["key"] for g in body["by_theme"]] == ["child_labour", "trafficking"]
    eur = next(r for r in body["results"] if r["id"] == rows["eur"].pk)
    assert eur["recipient"] == {"iso3": "UGA", "name": "Uganda"}
    assert eur["donor"] == {"slug": "zz-test-donor", "name": "ZZ Test Donor Fund"}
    assert (eur["amount"], eur["currency"], eur["usd_rate"], eur["amount_usd"]) == (
        "1000000.00",
        "EUR",
        "1.0845",
        "1084500.00",
    )
    assert eur["source_url"] == "https://example.org/funding/decision-2024.pdf"
    kes = next(r for r in body["results"] if r["id"] == rows["kes"].pk)
    assert kes["usd_rate"] is None and kes["amount_usd"] is None


def test_filters_and_languages(client: Client, rows: dict[str, Any]) -> None:
    def count(query: str) -> int:
        response = client.get("/api/v1/funding" + query)
        assert response.status_code == 200, response.content
        return int(response.json()["count"])

    assert count("?country=UGA") == 2
    assert count("?country=uga,ken") == 3
    assert count("?theme=trafficking") == 1
    assert count("?stage=pledged") == 1
    assert count("?currency=KES") == 1
    assert count("?donor=zz-test-donor") == 3
    assert count("?year=2030") == 0
    fr = client.get("/api/v1/funding?theme=trafficking&lang=fr").json()["results"][0]
    assert fr["theme"] == "trafficking" and fr["stage"] == "pledged"
    assert fr["recipient"]["iso3"] == "KEN"


def test_bad_parameters_are_422(client: Client, rows: dict[str, Any]) -> None:
    assert_error(client.get("/api/v1/funding?theme=poverty"), 422, "invalid_parameter")
    assert_error(client.get("/api/v1/funding?year=abc"), 422, "invalid_parameter")


def test_empty(client: Client, db: Any) -> None:
    body = client.get("/api/v1/funding").json()
    assert body["count"] == 0 and body["results"] == []
    assert body["totals"]["usd"] == {
        "amount": "0.00",
        "counted": 0,
        "left_out": 0,
        "rate_sources": [],
    }


def test_openapi_lists_funding(client: Client, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/funding"]["get"]
    assert operation["operationId"] == "sdg87_alliance_api_funding"
    assert "422" in operation["responses"]
