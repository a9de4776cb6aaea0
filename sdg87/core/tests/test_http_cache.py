"""HTTP caching of public pages (sdg87.core.http_cache and cache_public_page): validators from
the data version, 304 on revalidation, `public` only for anonymous pages without a CSRF form,
canonical query strings."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sdg87.core.cache import data_version_bump
from sdg87.core.http_cache import canonical_query, canonicalize, is_fresh

PAGE = "/en/indicators/"


def test_canonical_query_drops_tracking_and_sorts_keys_keeping_value_order():
    assert canonical_query("b=1&a=2") == canonical_query("a=2&b=1&utm_source=x") == "a=2&b=1"
    assert canonical_query("fbclid=1&gclid=2&UTM_Medium=3") == ""
    # values of one key keep their order (the order of a chart's lines)
    assert canonical_query("geo=NPL&a=1&geo=KEN") == "a=1&geo=NPL&geo=KEN"


def test_is_fresh_compares_weakly_and_prefers_if_none_match():
    factory = RequestFactory()
    etag = 'W/"p3-abc"'
    assert is_fresh(factory.get("/", HTTP_IF_NONE_MATCH='"p3-abc"'), etag=etag, modified=10)
    assert is_fresh(
        factory.get("/", HTTP_IF_NONE_MATCH='W/"x", W/"p3-abc"'), etag=etag, modified=10
    )
    assert not is_fresh(
        factory.get(
            "/", HTTP_IF_NONE_MATCH='W/"x"', HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 2099 00:00:00 GMT"
        ),
        etag=etag,
        modified=10,
    )
    assert is_fresh(
        factory.get("/", HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 1970 00:00:10 GMT"),
        etag=etag,
        modified=10,
    )
    assert not is_fresh(
        factory.get("/", HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 1970 00:00:09 GMT"),
        etag=etag,
        modified=10,
    )


def test_canonicalize_rewrites_the_request_in_place():
    request = RequestFactory().get("/en/countries/?region=202&q=ken&utm_campaign=z")
    canonicalize(request)
    assert request.META["QUERY_STRING"] == "q=ken&region=202"
    assert dict(request.GET.items()) == {"q": "ken", "region": "202"}


@pytest.mark.django_db
class TestPages:
    @pytest.fixture(autouse=True)
    def _empty_cache(self):
        cache.clear()
        yield
        cache.clear()

    def test_conditional_get_returns_304_with_the_same_etag(self, client):
        """An anonymous page is public with validators; revalidating gets 304, same ETag."""
        first = client.get(PAGE)
        assert first.status_code == 200
        etag = first["ETag"]
        assert etag.startswith('W/"p')
        control = first["Cache-Control"]
        assert control.startswith("public, max-age=") and "stale-while-revalidate" in control
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in first["Vary"].split(",")}
        again = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag
        assert client.get(PAGE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    def test_a_data_change_changes_the_etag(self, client, django_capture_on_commit_callbacks):
        etag = client.get(PAGE)["ETag"]
        with django_capture_on_commit_callbacks(execute=True):
            data_version_bump()
        fresh = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
        assert fresh.status_code == 200 and fresh["ETag"] != etag

    def test_parameter_order_and_tracking_share_one_cache_entry(
        self, client, django_assert_num_queries
    ):
        """`?b=1&a=2` renders; `?a=2&b=1&utm_source=x` is then served from the page cache
        (no query at all) with the same ETag."""
        first = client.get("/en/countries/?region=1&q=zz")
        with django_assert_num_queries(0):
            second = client.get("/en/countries/?q=zz&region=1&utm_source=x")
        assert second.status_code == 200 and second["ETag"] == first["ETag"]
        assert second.content == first.content

    def test_signed_in_responses_are_never_public(self, client, django_user_model):
        user = django_user_model.objects.create_user("zz-page", password="pw-zz-page-1")
        client.force_login(user)
        for path in (PAGE, "/en/"):
            response = client.get(path)
            assert response.status_code == 200
            assert response["Cache-Control"] == "private, no-store", path
            assert "ETag" not in response

    def test_a_page_with_a_csrf_form_is_not_public(self, client):
        """The sign-in form carries a CSRF token: private, never for a shared cache."""
        response = client.get("/en/accounts/login/")
        assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= control and "public" not in control
        assert "ETag" not in response
