"""Search text cannot crash the server: the datasets page, /api/v1/datasets and CKAN
package_search answer a clear error for too many or too long words, run one query whatever
the number of words, and CKAN refuses deeply nested JSON before parsing it."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.catalog.tests.ckan.test_actions import call, error, ok
from sdg87.catalog.validators import MAX_SEARCH_WORDS

pytestmark = pytest.mark.django_db

MANY_WORDS = " ".join(f"word{i}" for i in range(40))
HUGE = "x" * 60_000


def test_words_match_different_keywords_with_and(client, mini_catalog):
    """Every word must match (AND), each possibly through a different keyword."""
    got = client.get("/api/v1/datasets", {"q": "zz-test-keyword zz-public"}).json()
    assert [d["slug"] for d in got["results"]] == ["zz-public"]
    assert client.get("/api/v1/datasets", {"q": "zz-test-keyword nope"}).json()["count"] == 0


def test_one_query_whatever_the_number_of_words(client, mini_catalog):
    """The API answers 16 words (each matching another field or keyword of the dataset) with
    as many queries as 1 word: one search query, no join per word."""
    sixteen = (
        "zz-test-keyword zz-public Test dataset Child labour survey results Ministry zz public "
        "hil abo urv sul inis"
    )
    assert len(sixteen.split()) == MAX_SEARCH_WORDS
    with CaptureQueriesContext(connection) as one:
        single = client.get("/api/v1/datasets", {"q": "zz-public"}).json()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/datasets", {"q": sixteen})
    assert response.status_code == 200, response.json()
    assert [d["slug"] for d in response.json()["results"]] == ["zz-public"]
    assert [d["slug"] for d in single["results"]] == ["zz-public"]
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(
    ("q", "needle"), [(MANY_WORDS, "too many words"), (HUGE, "too long"), ("a" * 65, "too long")]
)
def test_datasets_page_shows_the_search_error(client, mini_catalog, q, needle):
    """The datasets page answers 400 with the reason shown, and lists nothing."""
    response = client.get("/en/datasets/", {"q": q})
    html = response.content.decode()
    assert response.status_code == 400
    assert needle in html and "0 datasets" in html and "zz-public" not in html


@pytest.mark.parametrize("q", [MANY_WORDS, HUGE])
def test_rest_api_refuses_the_search_with_the_error_shape(client, mini_catalog, q):
    """/api/v1/datasets answers 422 invalid_parameter naming `q`."""
    response = client.get("/api/v1/datasets", {"q": q})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid_parameter" and body["parameter"] == "q"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("q", [MANY_WORDS, HUGE])
def test_ckan_package_search_refuses_the_search_as_a_validation_error(
    client, mini_catalog, q, method
):
    """package_search answers CKAN's Validation Error on `q`, by GET and by POST."""
    err = error(call(client, "package_search", {"q": q}, method=method), 409, "Validation Error")
    assert err["q"]


def test_ckan_package_search_with_sixteen_words_works(client, mini_catalog):
    """Up to the bound, package_search answers normally."""
    q = " ".join(["zz-test-keyword", "zz-public", *(f"zz{i}" for i in range(14))])
    assert ok(call(client, "package_search", {"q": q}))["count"] == 0
    assert ok(call(client, "package_search", {"q": "zz-test-keyword zz-public"}))["count"] == 1


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_ckan_refuses_deeply_nested_json_bodies(client, mini_catalog, body):
    """A deeply nested JSON body is a 400 Bad request, never a RecursionError."""
    response = client.post("/api/3/action/package_search", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["error"]["__type"] == "Bad request"


def test_ckan_refuses_deeply_nested_facet_field(client, mini_catalog):
    """facet.field given as a JSON list in the query string is parsed within bounds too."""
    err = error(
        call(client, "package_search", {"facet.field": "[" * 50_000}, method="get"),
        409,
        "Validation Error",
    )
    assert err["facet.field"]


def test_ckan_refuses_an_oversized_body_before_reading_it(client, mini_catalog):
    """A body over the limit is a 400 in CKAN's shape."""
    body = json.dumps({"q": "x" * (3 * 1024 * 1024)})
    response = client.post("/api/3/action/package_search", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["success"] is False


def test_deeply_nested_json_upload_is_reported_not_a_server_error(client, mini_catalog):
    """A JSON file nested 100,000 levels deep, uploaded through CKAN resource_create, is a
    Validation Error naming the reason (no RecursionError)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("deep.json", b"[" * 100_000, "application/json")
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": "zz-draft", "name": "deep", "upload": upload},
        HTTP_AUTHORIZATION=mini_catalog.contributor_token,
    )
    err = error(response, 409, "Validation Error")
    assert err["message"] == "JSON is nested more than 32 levels deep."
