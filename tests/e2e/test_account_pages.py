"""The account and error pages in a browser: axe-core finds no serious or critical problem,
nothing is wider than a 360 px phone, and no console or CSP error is logged (issue 9 item 7);
the API reference has a phone viewport and a way back to the site (item 6)."""

from __future__ import annotations

from typing import Any

import pytest
from test_pages import _axe_violations, _format_violations, _listen

pytestmark = pytest.mark.e2e

# path, expected status
ACCOUNT_PAGES = [
    ("/{lang}/accounts/login/", 200),
    ("/{lang}/accounts/password-reset/", 200),
    ("/{lang}/accounts/password-reset/sent/", 200),
    ("/{lang}/accounts/reset/zz/zz-zz/", 200),  # an invalid link: "This link no longer works"
    ("/{lang}/accounts/request/", 200),
    ("/{lang}/accounts/request/sent/", 200),
    ("/{lang}/zz-no-such-page/", 404),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("path", "status"), ACCOUNT_PAGES)
def test_account_page(app_server: str, browser: Any, lang: str, path: str, status: int) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    errors: list[str] = []
    try:
        page = context.new_page()
        _listen(page, errors)
        url = app_server + path.format(lang=lang)
        response = page.goto(url)
        assert response is not None and response.status == status, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.locator("h1").count() == 1
        assert page.locator('nav.main-nav a[href$="/organisations/"]').count() == 1
    finally:
        context.close()
    # the page's own error status is expected; nothing else (CSP, scripts, assets) may fail
    assert [e for e in errors if not e.rstrip().endswith(url)] == []
    js_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = js_context.new_page()
        page.goto(url)
        violations = _axe_violations(page)
    finally:
        js_context.close()
    assert not violations, _format_violations(violations)


def test_api_reference_on_a_phone(app_server: str, browser: Any) -> None:
    """A device-width viewport and a working link back to the site (the Swagger UI itself is
    django-ninja's)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        response = page.goto(app_server + "/api/v1/docs")
        assert response is not None and response.status == 200
        viewport = page.locator('meta[name="viewport"]').get_attribute("content")
        assert viewport == "width=device-width, initial-scale=1"
        page.wait_for_selector(".swagger-ui .info", timeout=30_000)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.click(".api-docs-header a >> nth=0")
        page.wait_for_load_state()
        assert page.locator("nav.main-nav").count() == 1
    finally:
        context.close()
    assert width <= 360, f"the API reference is {width} px wide at 360 px"
