"""The anonymous REST API cache: hits, bypasses, invalidation by the data version."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sdg87.api.tests.fixtures import ApiRows
from sdg87.core.cache import data_version_bump

pytestmark = pytest.mark.django_db
URL = "/api/v1/observations?series=TEST_A&geo=ZZA"


@pytest.fixture
def api_cache(settings):
    settings.SDG87_API_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_request_is_a_cache_hit_without_queries(
    client, api_rows: ApiRows, api_cache, django_assert_num_queries
):
    """The same anonymous GET is answered from the cache, without touching the database."""
    first = client.get(URL)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(URL)
    assert second["X-Cache"] == "hit" and second.json() == first.json()


def test_a_write_invalidates_cached_answers(
    client, api_rows: ApiRows, api_cache, django_capture_on_commit_callbacks
):
    """After a data-version bump (every load, import and editorial change) the answer is
    computed again."""
    client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        data_version_bump()
    assert client.get(URL)["X-Cache"] == "miss"


def test_csv_signed_in_and_errors_are_not_cached(
    client, api_rows: ApiRows, api_cache, django_user_model
):
    """CSV streams, requests with a session or a token, and error answers bypass the cache."""
    assert "X-Cache" not in client.get(URL + "&format=csv")
    assert "X-Cache" not in client.get(URL, HTTP_AUTHORIZATION="Bearer x")
    assert "X-Cache" not in client.get("/api/v1/observations?series=NOPE")
    assert "X-Cache" not in client.get("/api/v1/observations?series=NOPE")
    user = django_user_model.objects.create_user("zz-cache", password="pw-zz-cache-1")
    client.force_login(user)
    assert "X-Cache" not in client.get(URL)
