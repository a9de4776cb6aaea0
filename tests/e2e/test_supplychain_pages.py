"""The goods x country explorer in a real browser without JavaScript: axe-core reports no
serious or critical violation at 360 and 1280 px, and nothing scrolls sideways on a 360 px
phone (wide tables scroll inside their own focusable region)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 360, 740
PAGES = [
    "/en/supply-chains/",
    "/fr/supply-chains/?good=cocoa&type=fl",
    "/en/supply-chains/matrix/",
    "/es/supply-chains/map/",
    "/en/supply-chains/changes/",
    "/en/supply-chains/goods/cocoa/",
    "/en/supply-chains/countries/CIV/",
]


@pytest.mark.parametrize("path", PAGES)
def test_supplychain_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, axe_without_js: Any, path: str
) -> None:
    """200, one h1, no sideways scroll at 360 px, no blocking axe violation."""
    url = f"{app_server}{path}"
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"page is {width} px wide"
        assert page.locator("h1").count() == 1
    finally:
        context.close()
    for viewport in (WIDTH, 1280):
        violations = axe_without_js(browser, url, viewport)
        assert not violations, violations
