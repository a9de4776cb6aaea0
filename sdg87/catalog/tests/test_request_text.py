"""Search text in a URL cannot carry a lone surrogate: Django decodes query strings as UTF-8
with replacement, so `%ED%A0%80` (the UTF-8 form of U+D800, which is not a character) arrives
as U+FFFD and searches for nothing instead of reaching the database (checked through the
datasets page, /api/v1/datasets and CKAN's GET)."""

from __future__ import annotations

import pytest

from sdg87.catalog.tests.ckan.test_actions import ok

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["q=%ED%A0%80", "q=x%ED%A0%80y", "q=%ED%A0%80%ED%B0%80"])
def test_rest_api_search_with_an_encoded_surrogate_finds_nothing(client, mini_catalog, query):
    """/api/v1/datasets answers 200 with no results."""
    response = client.get(f"/api/v1/datasets?{query}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0


def test_datasets_page_search_with_an_encoded_surrogate_finds_nothing(client, mini_catalog):
    """The datasets page answers 200, lists nothing and shows the replacement character."""
    response = client.get("/en/datasets/?q=%ED%A0%80")
    html = response.content.decode()
    assert response.status_code == 200
    assert "0 datasets" in html and "zz-public" not in html


def test_ckan_get_with_an_encoded_surrogate_is_not_found(client, mini_catalog):
    """CKAN by GET: the id arrives as U+FFFD and names no dataset; the search finds none."""
    response = client.get("/api/3/action/package_show?id=%ED%A0%80")
    assert response.status_code == 404
    assert response.json()["error"]["__type"] == "Not Found Error"
    assert ok(client.get("/api/3/action/package_search?q=%ED%A0%80"))["count"] == 0
