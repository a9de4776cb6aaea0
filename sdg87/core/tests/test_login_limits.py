"""Sign-in limits: django-axes locks one username from one address; a separate limit per address
stops one address from trying many usernames. Neither can lock everybody out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sdg87.core.ratelimit import LOGIN_VIEW_NAMES

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-87"
OFFICE = "198.51.100.7"  # everybody behind one address: an office, or a proxy
ELSEWHERE = "203.0.113.9"

# the site's, Wagtail's admin and front-end, and Django's admin sign-in pages
SIGN_IN_PAGES = [
    "/en/accounts/login/",
    "/fr/accounts/login/",
    "/admin/login/",
    "/django-admin/login/",
    "/en/_util/login/",
]


@pytest.fixture(autouse=True)
def _counters(settings: Any) -> Iterator[None]:
    """Production-like limits, fresh counters."""
    settings.SDG87_LOGIN_IP_FAILURE_LIMIT = 50
    settings.AXES_FAILURE_LIMIT = 5
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(django_user_model: Any) -> dict[str, Any]:
    return {
        "alice": django_user_model.objects.create_user("zz-alice", password=PASSWORD),
        "bob": django_user_model.objects.create_user("zz-bob", password=PASSWORD),
        "admin": django_user_model.objects.create_superuser(
            "zz-admin", "zz-admin@example.org", password=PASSWORD
        ),
    }


def _sign_in(path: str, username: str, password: str, address: str = OFFICE) -> Any:
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def test_five_failures_lock_one_account_from_one_address_only(people: dict[str, Any]) -> None:
    """Five wrong passwords for alice from one address lock alice out from that address (429,
    even with the right password), while bob and an administrator still sign in from the same
    address, at the site and in the Wagtail admin, and alice still signs in from elsewhere."""
    for _ in range(5):
        assert _sign_in("/en/accounts/login/", "zz-alice", "wrong").status_code in (200, 429)
    locked = _sign_in("/en/accounts/login/", "zz-alice", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts for this account" in locked.content.decode()
    assert _sign_in("/en/accounts/login/", "zz-bob", PASSWORD).status_code == 302
    assert _sign_in("/admin/login/", "zz-admin", PASSWORD).status_code == 302
    assert _sign_in("/en/accounts/login/", "zz-admin", PASSWORD).status_code == 302
    assert _sign_in("/en/accounts/login/", "zz-alice", PASSWORD, ELSEWHERE).status_code == 302


@pytest.mark.parametrize("path", SIGN_IN_PAGES)
def test_one_address_cannot_try_many_usernames(
    settings: Any, people: dict[str, Any], path: str
) -> None:
    """After SDG87_LOGIN_IP_FAILURE_LIMIT failures from one address, spread over many usernames
    (none reaching the per-account lockout), every sign-in page refuses that address with a 429
    page and Retry-After, even for a correct password; other addresses are unaffected."""
    settings.SDG87_LOGIN_IP_FAILURE_LIMIT = 8
    for n in range(8):
        response = _sign_in(path, f"zz-guess-{n}", "wrong")
        assert response.status_code == 200, n
    refused = _sign_in(path, "zz-admin", PASSWORD)
    assert refused.status_code == 429
    if not path.startswith(("/fr/", "/es/")):  # the French and Spanish pages are translated
        assert "Too many failed sign-in attempts from your network" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    for page in SIGN_IN_PAGES:  # the count is per address, over every sign-in page
        assert _sign_in(page, "zz-admin", PASSWORD).status_code == 429
    assert _sign_in(path, "zz-admin", PASSWORD, ELSEWHERE).status_code == 302


def test_successful_sign_ins_do_not_count(settings: Any, people: dict[str, Any]) -> None:
    """Only failures count: many people signing in from one office address are never refused."""
    settings.SDG87_LOGIN_IP_FAILURE_LIMIT = 3
    for _ in range(6):
        assert _sign_in("/en/accounts/login/", "zz-bob", PASSWORD).status_code == 302
        assert _sign_in("/admin/login/", "zz-admin", PASSWORD).status_code == 302


def test_limit_zero_switches_the_address_limit_off(settings: Any, people: dict[str, Any]) -> None:
    """SDG87_LOGIN_IP_FAILURE_LIMIT=0: no per-address limit (axes' per-account lockout stays)."""
    settings.SDG87_LOGIN_IP_FAILURE_LIMIT = 0
    for n in range(12):
        assert _sign_in("/en/accounts/login/", f"zz-guess-{n}", "wrong").status_code == 200
    assert _sign_in("/en/accounts/login/", "zz-bob", PASSWORD).status_code == 302


def test_forged_forwarded_for_does_not_escape_the_limit(
    settings: Any, people: dict[str, Any]
) -> None:
    """With no trusted proxy (SDG87_TRUSTED_PROXY_COUNT=0) an attacker who changes
    X-Forwarded-For on every try is still one address, and is refused."""
    settings.SDG87_TRUSTED_PROXY_COUNT = 0
    settings.SDG87_LOGIN_IP_FAILURE_LIMIT = 5
    for n in range(5):
        Client(REMOTE_ADDR=ELSEWHERE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/admin/login/", {"username": f"zz-guess-{n}", "password": "wrong"}
        )
    forged = Client(REMOTE_ADDR=ELSEWHERE, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert forged.post("/admin/login/", {"username": "zz-bob", "password": "x"}).status_code == 429


def test_behind_a_proxy_each_client_is_counted_apart(settings: Any, people: dict[str, Any]) -> None:
    """Behind one trusted proxy every request comes from the proxy's address: the attacker
    (by X-Forwarded-For) is refused, the other clients of the same proxy are not."""
    settings.SDG87_TRUSTED_PROXY_COUNT = 1
    settings.SDG87_LOGIN_IP_FAILURE_LIMIT = 5

    def via_proxy(client_address: str, username: str, password: str) -> int:
        return (
            Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)
            .post("/en/accounts/login/", {"username": username, "password": password})
            .status_code
        )

    for n in range(5):
        assert via_proxy(ELSEWHERE, f"zz-guess-{n}", "wrong") == 200
    assert via_proxy(ELSEWHERE, "zz-bob", PASSWORD) == 429
    assert via_proxy(OFFICE, "zz-bob", PASSWORD) == 302
    # a spoofed entry on the left does not help the attacker: the proxy appended the real one
    assert via_proxy(f"192.0.2.1, {ELSEWHERE}", "zz-bob", PASSWORD) == 429


def _password_views() -> list[str]:
    """Names of every URL whose view checks a password: Django/Wagtail LoginView subclasses,
    the Django admin's login, and anything named like a sign-in or password check."""
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                walk(pattern, f"{namespace}:{inner}".strip(":") if inner else namespace)
                continue
            assert isinstance(pattern, URLPattern)
            view = pattern.callback
            view_class = getattr(view, "view_class", None)
            is_login = (
                (isinstance(view_class, type) and issubclass(view_class, LoginView))
                or getattr(view, "__func__", None) is AdminSite.login
                or "login" in (pattern.name or "")
                or "authenticate" in (pattern.name or "")
            )
            if is_login and pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "")
    return names


def test_every_password_view_is_rate_limited() -> None:
    """Every sign-in or password view in the URL configuration is covered by the per-address
    limit, and every covered name exists (a renamed view cannot silently drop out)."""
    found = set(_password_views())
    assert {"catalog:login", "wagtailadmin_login", "admin:login"} <= found
    assert found <= LOGIN_VIEW_NAMES, sorted(found - LOGIN_VIEW_NAMES)
    assert found == LOGIN_VIEW_NAMES, sorted(LOGIN_VIEW_NAMES - found)
    assert reverse("wagtailadmin_login") == "/admin/login/"
