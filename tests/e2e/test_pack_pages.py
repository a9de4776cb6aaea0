"""The due-diligence pack page in a real browser without JavaScript: axe-core reports no
serious or critical violation at 360 and 1280 px, and nothing scrolls sideways on a 360 px
phone (wide tables scroll inside their own focusable region). Screenshots are saved as
var/screenshots/packs-<lang>-cocoa-CIV-360.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_pack_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, axe_without_js: Any, lang: str
) -> None:
    """200, one h1, no sideways scroll at 360 px, no blocking axe violation."""
    url = f"{app_server}/{lang}/supply-chains/packs/cocoa/CIV/"
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.status == 200
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"packs-{lang}-cocoa-CIV-360.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"page is {width} px wide"
        assert page.locator("h1").count() == 1
    finally:
        context.close()
    for viewport in (WIDTH, 1280):
        violations = axe_without_js(browser, url, viewport)
        assert not violations, violations
