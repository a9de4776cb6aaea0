"""Error pages: styled and translated 403, 404, 429 and 500 pages extending base.html, the
500 page without database or context processors, and the visitors' pages under DEBUG unless
SDG87_DEBUG_ERRORS asks for Django's technical ones."""

from __future__ import annotations

import logging
import runpy
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from config.env import BASE_DIR
from sdg87.core.error_views import server_error

SITE_PAGE = '<nav class="main-nav"'  # every page extending base.html has the main navigation


def test_the_500_page_needs_neither_database_nor_request() -> None:
    """Not marked django_db: any query would fail the test. The page is the site's (styled,
    with the navigation), rendered with or without a request."""
    for request in (None, RequestFactory().get("/en/zz/")):
        response = server_error(request)
        html = response.content.decode()
        assert response.status_code == 500
        assert SITE_PAGE in html and "<h1>Server error</h1>" in html
        assert "SDG 8.7 Knowledge Platform" in html


def test_the_500_page_of_a_machine_interface_is_json() -> None:
    response = server_error(RequestFactory().get("/api/v1/countries"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_403_page_says_why(client: Client) -> None:
    """A refusal shows the service's sentence on the site's page."""
    user = get_user_model().objects.create_user("zz_plain", password="x-Horse-87")
    client.force_login(user)
    response = client.get("/en/datasets/new/")
    html = response.content.decode()
    assert response.status_code == 403 and SITE_PAGE in html
    assert "<h1>Access denied</h1>" in html
    assert "You are not a contributor of any organisation." in html


@pytest.mark.django_db
def test_the_403_page_is_translated() -> None:
    """The page follows the language of the address (French strings once the catalogue has
    them; the lang attribute at once)."""
    user = get_user_model().objects.create_user("zz_plain", password="x-Horse-87")
    client = Client()
    client.force_login(user)
    html = client.get("/fr/datasets/new/").content.decode()
    assert '<html lang="fr">' in html and SITE_PAGE in html


@pytest.mark.django_db
def test_a_form_without_security_token_gets_the_sites_page() -> None:
    """CSRF stays on; its failure page is the site's and says what to do."""
    response = Client(enforce_csrf_checks=True).post(
        "/en/accounts/password-reset/", {"email": "a@example.org"}
    )
    html = response.content.decode()
    assert response.status_code == 403 and SITE_PAGE in html
    assert "The form could not be sent" in html and "reload the page" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/zz-no-such-page/", "/en/zz.txt"])
def test_debug_on_shows_the_visitors_404(settings: Any, path: str) -> None:
    """With DEBUG on (make run), a missing page (a view's 404 or no URL pattern at all) is
    the site's 404 page, not Django's technical page listing every URL pattern."""
    settings.DEBUG = True
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code == 404 and SITE_PAGE in html
    assert "Page not found" in html and "URLconf" not in html


@pytest.mark.django_db
def test_debug_on_shows_the_visitors_500_and_logs_the_traceback(
    settings: Any, monkeypatch: Any, caplog: Any
) -> None:
    settings.DEBUG = True

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("zz broken view")

    monkeypatch.setattr("sdg87.orgs.account_request_views.render", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client().get("/en/accounts/request/sent/")
    html = response.content.decode()
    assert response.status_code == 500 and SITE_PAGE in html
    assert "zz broken view" not in html and "Traceback" not in html
    [record] = [r for r in caplog.records if r.exc_info]
    assert "zz broken view" in str(record.exc_info[1])
    assert "SDG87_DEBUG_ERRORS=1" in record.getMessage()


@pytest.mark.django_db
def test_debug_errors_brings_back_djangos_technical_pages(settings: Any, monkeypatch: Any) -> None:
    settings.DEBUG = True
    settings.SDG87_DEBUG_ERRORS = True
    assert "URLconf" in Client().get("/en/zz.txt").content.decode()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("zz broken view")

    monkeypatch.setattr("sdg87.orgs.account_request_views.render", broken)
    response = Client(raise_request_exception=False).get("/en/accounts/request/sent/")
    assert response.status_code == 500 and "zz broken view" in response.content.decode()


@pytest.mark.django_db
def test_debug_off_the_api_keeps_json_404s(settings: Any) -> None:
    settings.DEBUG = True
    response = Client().get("/api/v1/zz-nothing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_debug_errors_comes_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.delenv("SDG87_DEBUG_ERRORS", raising=False)
    path = str(BASE_DIR / "config" / "settings" / "base.py")
    assert runpy.run_path(path)["SDG87_DEBUG_ERRORS"] is False
    monkeypatch.setenv("SDG87_DEBUG_ERRORS", "1")
    assert runpy.run_path(path)["SDG87_DEBUG_ERRORS"] is True


@pytest.mark.django_db
def test_organisations_are_in_the_main_navigation(client: Client) -> None:
    html = client.get("/fr/accounts/request/").content.decode()
    nav = html[html.index(SITE_PAGE) : html.index("</nav>", html.index(SITE_PAGE))]
    assert 'href="/fr/organisations/"' in nav
    assert client.get("/fr/organisations/").status_code == 200


@pytest.mark.django_db
def test_the_api_reference_fits_phones_and_links_back(client: Client) -> None:
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'href="/en/"' in html and 'id="swagger-ui"' in html
    assert "swagger-ui-init.js" in html
