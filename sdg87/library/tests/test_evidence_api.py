"""/api/v1/evidence/studies and /api/v1/evidence/matrix on the bundled library: shapes, filters,
keyset pagination, CSV, errors in the API's one shape, and only public studies."""

from __future__ import annotations

import csv
import io

import pytest

from sdg87.api.tests.test_routers_indicators import assert_error
from sdg87.library.tests.evidence_fixtures import make_study

pytestmark = pytest.mark.django_db

CASH_CL = "intervention=cash_transfers&outcome=child_labour_incidence"


def test_matrix_shape_and_numbers(client, bundled_data) -> None:
    body = client.get("/api/v1/evidence/matrix").json()
    assert (body["total"], body["codings"], body["years"]) == (104, 104, [1999, 2025])
    assert (body["absolute_gaps"], body["synthesis_gaps"]) == (56, 26)
    assert len(body["interventions"]) == 11 and len(body["outcomes"]) == 8
    assert len(body["cells"]) == 88
    cell = next(
        c
        for c in body["cells"]
        if (c["intervention"], c["outcome"]) == ("cash_transfers", "child_labour_incidence")
    )
    assert cell["studies"] == 26
    assert cell["designs"] == {
        "rct": 12,
        "quasi_experimental": 9,
        "qualitative": 0,
        "mixed_methods": 1,
        "systematic_review": 2,
        "other": 2,
    }
    assert cell["directions"] == {
        "reduced": 12,
        "increased": 3,
        "mixed": 6,
        "no_significant_effect": 4,
        "not_stated": 1,
    }
    assert (cell["absolute_gap"], cell["synthesis_gap"]) == (False, False)
    assert cell["page"] == f"http://testserver/en/evidence/cell/?{CASH_CL}"
    assert cell["studies_api"] == f"http://testserver/api/v1/evidence/studies?{CASH_CL}"
    cl = next(o for o in body["outcomes"] if o["code"] == "child_labour_incidence")
    assert cl["studies"] == 51
    assert cl["series"][0] == {
        "code": "SL_TLF_CHLDEA",
        "indicator": "8.7.1",
        "url": "http://testserver/en/indicators/SL_TLF_CHLDEA/",
    }


def test_matrix_filters_and_language(client, bundled_data) -> None:
    body = client.get("/api/v1/evidence/matrix?country=IND&lang=fr").json()
    assert body["total"] == 14
    cell = body["cells"][0]
    assert cell["page"].startswith("http://testserver/fr/evidence/cell/?")
    assert cell["page"].endswith("&country=IND")
    assert client.get("/api/v1/evidence/matrix?region=ILO_AFRICA").json()["total"] == 20


def test_studies_keyset_pagination_until_next_is_null(client, bundled_data) -> None:
    url: str | None = "/api/v1/evidence/studies?limit=40"
    ids: list[int] = []
    pages = 0
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert len(ids) == 104 and ids == sorted(set(ids))


def test_a_study_row(client, bundled_data) -> None:
    body = client.get(f"/api/v1/evidence/studies?{CASH_CL}&design=systematic_review").json()
    assert body["next"] is None
    assert {row["study"] for row in body["results"]} >= {"dehoop-rosati-2014-wbro"}
    row = next(r for r in body["results"] if r["study"] == "dehoop-rosati-2014-wbro")
    assert row["title"] == "Cash Transfers and Child Labor"
    assert row["year"] == 2014
    assert row["authors"] == ["de Hoop, Jacobus", "Rosati, Furio C."]
    assert row["design"] == {"code": "systematic_review", "label": "Systematic review"}
    assert row["direction"] == {"code": "reduced", "label": "Reduced"}
    assert row["finding_quote"].startswith("We find no evidence that cash transfer")
    assert row["doi"] == "10.1093/wbro/lku003"
    assert row["links"]["page"] == "http://testserver/en/library/dehoop-rosati-2014-wbro/"
    assert row["links"]["api"] == "http://testserver/api/v1/publications/dehoop-rosati-2014-wbro"


def test_studies_filters(client, bundled_data) -> None:
    assert len(client.get(f"/api/v1/evidence/studies?{CASH_CL}").json()["results"]) == 26
    rct = client.get(f"/api/v1/evidence/studies?{CASH_CL}&design=rct,quasi_experimental").json()
    assert len(rct["results"]) == 21
    body = client.get("/api/v1/evidence/studies?country=IND&limit=200").json()
    assert len(body["results"]) == 14
    assert all("IND" in row["countries"] for row in body["results"])
    years = client.get("/api/v1/evidence/studies?year_from=2010&year_to=2015&limit=200").json()
    assert len(years["results"]) == 34


def test_studies_as_csv(client, bundled_data) -> None:
    response = client.get("/api/v1/evidence/studies?format=csv&lang=es")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sdg87-evidence-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 104
    dehoop = next(r for r in rows if r["study"] == "dehoop-rosati-2014-wbro")
    assert (dehoop["intervention"], dehoop["design"]) == ("cash_transfers", "systematic_review")
    assert dehoop["year"] == "2014"
    assert dehoop["authors"] == "de Hoop, Jacobus; Rosati, Furio C."
    cash = client.get(f"/api/v1/evidence/studies?{CASH_CL}&format=csv")
    assert len(list(csv.reader(io.StringIO(b"".join(cash.streaming_content).decode())))) == 27


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("country=ZZZ", 400, "unknown_country"),
        ("region=NOWHERE", 400, "unknown_geography"),
        ("form=education", 400, "unknown_form"),
        ("design=foo", 400, "unknown_code"),
        ("intervention=cash", 400, "unknown_code"),
        ("year_from=2020&year_to=2010", 400, "invalid_range"),
        ("cursor=nonsense", 400, "invalid_cursor"),
        ("limit=0", 422, "invalid_parameter"),
        ("format=xml", 422, "invalid_parameter"),
    ],
)
def test_studies_errors(client, bundled_data, query, status, code) -> None:
    assert_error(client.get(f"/api/v1/evidence/studies?{query}"), status, code)


def test_matrix_errors(client, bundled_data) -> None:
    error = assert_error(client.get("/api/v1/evidence/matrix?country=ZZZ"), 400, "unknown_country")
    assert error["parameter"] == "country"


def test_only_public_studies_are_served(client, bundled_data) -> None:
    """An unverified and an organisation-only coded record are in neither list nor matrix;
    a public one is."""
    make_study(slug="t-ev-api-unverified", verified=False)
    make_study(slug="t-ev-api-members", visibility="organisation")
    empty = "intervention=legal_and_policy_reform&outcome=trafficking_victims_identified"
    assert client.get(f"/api/v1/evidence/studies?{empty}").json()["results"] == []
    assert client.get("/api/v1/evidence/matrix").json()["total"] == 104
    make_study(slug="t-ev-api-public")
    results = client.get(f"/api/v1/evidence/studies?{empty}").json()["results"]
    assert [r["study"] for r in results] == ["t-ev-api-public"]
    assert client.get("/api/v1/evidence/matrix").json()["total"] == 105


def test_the_operations_are_in_the_openapi_document(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/evidence/studies" in paths and "/api/v1/evidence/matrix" in paths
    responses = paths["/api/v1/evidence/studies"]["get"]["responses"]
    assert {"200", "400", "404", "422"} <= set(responses)
    assert "text/csv" in responses["200"]["content"]
