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


def test_cache_key_ignores_undeclared_parameters_and_order(client, api_rows: ApiRows, api_cache):
    """Parameters the operation does not declare, and the order of the declared ones, do not
    change the cache key: a cache-busting parameter is served from the cache."""
    assert client.get(URL)["X-Cache"] == "miss"
    assert client.get(URL + "&junk=1&_=1700000000")["X-Cache"] == "hit"
    assert client.get("/api/v1/observations?geo=ZZA&series=TEST_A")["X-Cache"] == "hit"
    assert client.get(URL + "&sex=_T")["X-Cache"] == "miss"  # a declared one does


def test_undeclared_parameters_do_not_reach_the_answer(client, api_rows: ApiRows):
    """An undeclared parameter is dropped before the view: the `next` link does not carry it."""
    body = client.get("/api/v1/observations?series=TEST_A&limit=1&junk=zz").json()
    assert body["next"] and "junk" not in body["next"] and "limit=1" in body["next"]


def test_latest_pages_hold_at_most_1000_rows(client, api_rows: ApiRows):
    """latest=true&limit=10000 answers pages of at most 1000 rows, with a `next` link."""
    from sdg87.indicators.models import Observation

    Observation.objects.bulk_create(
        Observation(
            series=api_rows.series_b,
            geography=api_rows.country_b,
            release=api_rows.old_release,
            year=2020,
            value=float(i),
            unit="NUMBER",
            dimensions={"kind": f"k{i}"},
            dimensions_key=f"kind=k{i}",
        )
        for i in range(1001)
    )
    url = "/api/v1/observations?series=TEST_B&release=all&latest=true&limit=10000"
    first = client.get(url).json()
    assert len(first["results"]) == 1000 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None


@pytest.fixture
def budget(settings, api_cache):
    """A time budget that one computed answer uses up."""
    settings.SDG87_API_ANON_SECONDS = 0.1
    settings.SDG87_API_ANON_WINDOW = 600


def test_anonymous_time_budget_answers_429_with_retry_after(
    client, api_rows: ApiRows, budget, django_user_model
):
    """Once an address has spent its serving-time budget on anonymous exports, the API answers
    429 in its error shape with Retry-After; another address and a signed-in user are served,
    and answers already cached are still served to that address."""
    cached = client.get(URL)
    assert cached.status_code == 200 and cached["X-Cache"] == "miss"  # spends the budget
    export = client.get("/api/v1/observations?format=csv")
    assert export.status_code == 429
    assert int(export["Retry-After"]) > 0
    assert export.json()["error"]["code"] == "rate_limited"
    assert client.get(URL)["X-Cache"] == "hit"
    other = client.get("/api/v1/observations?format=csv", REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200
    b"".join(other.streaming_content)  # streamed to the end: its time is charged too
    assert client.get(URL + "&sex=F", REMOTE_ADDR="198.51.100.9").status_code == 429
    user = django_user_model.objects.create_user("zz-budget", password="pw-zz-budget-1")
    client.force_login(user)
    assert client.get("/api/v1/observations?format=csv").status_code == 200


# --- HTTP caching (issue 15 item 4): validators from the data version, 304, Cache-Control ---


def test_conditional_get_returns_304_with_the_same_etag(client, api_rows: ApiRows):
    """An anonymous answer carries a weak ETag and Last-Modified; asking again with either
    gets 304 and the same ETag, without a body."""
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate" in first["Cache-Control"]
    vary = {v.strip() for v in first["Vary"].split(",")}
    assert {"Accept", "Accept-Language", "Cookie"} <= vary
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    since = client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get(URL, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_a_data_change_changes_the_etag(
    client, api_rows: ApiRows, django_capture_on_commit_callbacks
):
    """After a data-version bump the old ETag no longer matches: the answer is sent again."""
    etag = client.get(URL)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        data_version_bump()
    fresh = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_etag_ignores_parameter_order_and_tracking_parameters(client, api_rows: ApiRows):
    """`?b=1&a=2` and `?a=2&b=1&utm_source=x` are one answer: same ETag, same cache key."""
    from django.test import RequestFactory

    from sdg87.api.middleware import PublicApiCacheMiddleware
    from sdg87.core.http_cache import canonicalize

    one = client.get("/api/v1/observations?series=TEST_A&geo=ZZA")["ETag"]
    two = client.get("/api/v1/observations?geo=ZZA&series=TEST_A&utm_source=x&fbclid=y")["ETag"]
    assert one == two
    keys = []
    for query in ("b=1&a=2", "a=2&b=1&utm_source=x"):
        request = RequestFactory().get("/api/v1/observations?" + query)
        canonicalize(request)
        keys.append(PublicApiCacheMiddleware._key(request))
    assert keys[0] == keys[1]


def test_signed_in_and_private_answers_are_never_public(
    client, api_rows: ApiRows, django_user_model
):
    """A signed-in caller's answers are `private, no-store` without validators; screenings
    (private results) are not public either."""
    user = django_user_model.objects.create_user("zz-http", password="pw-zz-http-1")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response and "public" not in response["Cache-Control"]
    client.logout()
    screening = client.get("/api/v1/screenings/00000000-0000-0000-0000-000000000000")
    assert "public" not in screening.get("Cache-Control", "")
