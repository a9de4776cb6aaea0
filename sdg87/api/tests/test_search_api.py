"""GET /api/v1/search over the bundled real data, with the search index built from it."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from sdg87.search import vocabulary
from sdg87.search.indexing import index_rebuild
from sdg87.search.types import FACETS, MAX_PAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

URL = "/api/v1/search"


@pytest.fixture
def index(settings: Any) -> Iterator[None]:
    """The index of the bundled data, built inside the test's transaction (rolled back).
    The search caches are keyed by generation numbers, which repeat from test to test:
    emptied around each test (as sdg87/search/tests/conftest.py does). The facets' time
    budget is the service's concern (its own tests): here a loaded test machine must not
    cut the counts these tests compare."""
    settings.SDG87_SEARCH_FACET_BUDGET_MS = 60_000
    vocabulary.clear()
    index_rebuild()
    yield
    vocabulary.clear()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)


def _tags(html: str) -> set[str]:
    parser = _Tags()
    parser.feed(html)
    return set(parser.tags)


def _ok(client, query: str, **extra: str) -> dict:
    response = client.get(f"{URL}?{query}", **extra)
    assert response.status_code == 200, response.content
    return response.json()


def test_child_labour_finds_marked_hits_groups_and_facets(client, index):
    """Every hit has a plain title, a title with <mark> only, an absolute English URL; the
    first page groups the best of each kind; every facet is there."""
    body = _ok(client, "q=child+labour")
    assert body["query"] == "child labour"
    assert body["total"] > 20 and body["page"] == 1 and body["pages"] >= 2
    assert len(body["results"]) == 20
    for hit in body["results"]:
        assert "<" not in hit["title"]
        assert _tags(hit["title_html"]) <= {"mark"} and _tags(hit["snippet_html"]) <= {"mark"}
        assert hit["url"].startswith("http://testserver/en/")
    assert any("<mark>" in hit["title_html"] for hit in body["results"])
    assert {"dataset", "series"} <= {g["kind"] for g in body["groups"]}
    for group in body["groups"]:
        assert 1 <= len(group["results"]) <= group["total"]
        assert {hit["kind"] for hit in group["results"]} == {group["kind"]}
    assert [f["name"] for f in body["facets"]] == list(FACETS)
    kinds = {
        v["value"]: v["count"] for f in body["facets"] if f["name"] == "kind" for v in f["values"]
    }
    assert sum(kinds.values()) == body["total"]
    assert body["notices"] == []


def test_kind_filter_matches_its_facet_count_and_pages_hold_every_hit_once(client, index):
    """kind=dataset: only datasets, as many as the kind facet said; two pages of 5 are the
    first page of 10; no groups once a kind is chosen."""
    everything = _ok(client, "q=child+labour&facets=false")
    kinds = _ok(client, "q=child+labour")["facets"][0]["values"]
    datasets = _ok(client, "q=child+labour&kind=dataset&per_page=10")
    assert datasets["total"] == {v["value"]: v["count"] for v in kinds}["dataset"]
    assert {hit["kind"] for hit in datasets["results"]} == {"dataset"}
    assert datasets["groups"] == []
    assert everything["facets"] == []
    first = _ok(client, "q=child+labour&kind=dataset&per_page=5&page=1")
    second = _ok(client, "q=child+labour&kind=dataset&per_page=5&page=2")
    ids = [h["id"] for h in first["results"] + second["results"]]
    assert ids == [h["id"] for h in datasets["results"]]
    assert len(set(ids)) == 10


def test_facet_selection_narrows_and_stays_selected(client, index):
    """theme=forced_labour and an organisation narrow the datasets; the chosen values show
    as selected; comma-separated values are the same as repeated ones."""
    base = _ok(client, "q=child+labour&kind=dataset")
    theme = _ok(client, "q=child+labour&kind=dataset&theme=forced_labour")
    assert 0 < theme["total"] < base["total"]
    facet = next(f for f in theme["facets"] if f["name"] == "theme")
    assert [v["value"] for v in facet["values"] if v["selected"]] == ["forced_labour"]
    both = _ok(client, "q=child+labour&kind=dataset&organisation=ilo&organisation=usdol-ilab")
    comma = _ok(client, "q=child+labour&kind=dataset&organisation=ilo,usdol-ilab")
    assert both["total"] == comma["total"] > 0
    assert [h["id"] for h in both["results"]] == [h["id"] for h in comma["results"]]


def test_language_from_lang_or_accept_language(client, index):
    """Links follow `lang`, else Accept-Language (first supported language), else English."""
    french = _ok(client, "q=child+labour&lang=fr&facets=false")
    assert all(h["url"].startswith("http://testserver/fr/") for h in french["results"])
    header = _ok(client, "q=child+labour&facets=false", HTTP_ACCEPT_LANGUAGE="de, es;q=0.8")
    assert all(h["url"].startswith("http://testserver/es/") for h in header["results"])
    other = _ok(client, "q=child+labour&facets=false", HTTP_ACCEPT_LANGUAGE="de")
    assert all(h["url"].startswith("http://testserver/en/") for h in other["results"])


def test_top_result_for_a_country_name(client, index):
    """ "Kenya" names a country exactly: the top card links to its profile."""
    top = _ok(client, "q=Kenya&facets=false")["top"]
    assert top is not None and top["kind"] == "country" and top["title"] == "Kenya"
    assert top["url"].startswith("http://testserver/en/")


def test_a_misspelling_gets_a_suggestion(client, index):
    """A word the titles do not hold, one letter off, suggests the word they hold."""
    body = _ok(client, "q=trafficing&facets=false")
    assert body["suggestion"] and "trafficking" in body["suggestion"].lower()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("kind=nope", "kind"),
        ("freshness=stale", "freshness"),
        ("sort=popular", "sort"),
        ("page=0", "page"),
        (f"page={MAX_PAGE + 1}", "page"),
        ("page=99999999999999999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("year_from=100000", "year_from"),
        ("year_to=-3", "year_to"),
        ("year_from=abc", "year_from"),
        ("lang=de", "lang"),
        ("facets=perhaps", "facets"),
    ],
)
def test_bad_parameters_are_422_with_the_error_shape(client, query, parameter):
    """Bad input is a 422 naming the parameter, never a 500."""
    response = client.get(f"{URL}?q=child&{query}")
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and error["parameter"] == parameter
    assert error["message"]


def test_strange_text_is_answered_not_crashed(client, index):
    """Operators alone, punctuation, a very long query and a NUL (400) never make a 500."""
    for q in ["-", '"', "-child", "((", "a" * 5000, "%25", "<script>"]:
        response = client.get(URL, {"q": q})
        assert response.status_code == 200, (q, response.content)
    long = client.get(URL, {"q": "child " * 200}).json()
    assert long["notices"]
    assert client.get(URL, {"q": "a\x00b"}).status_code == 400


def test_openapi_declares_the_search_schemas(client):
    """The operation documents its 200 and its 422 with the API's error shape."""
    doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/search"]["get"]
    assert {"200", "422"} <= set(operation["responses"])
    error = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/ErrorOut")
    assert "SearchFacetValueOut" in doc["components"]["schemas"]
