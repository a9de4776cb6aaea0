"""The public Pathfinder pages in a real browser without JavaScript: axe-core reports no
serious or critical violation, nothing scrolls sideways on a 360 px phone, the comparison
table sorts by its links and the country page opens a quote in <details>. Screenshots are
saved as var/screenshots/pathfinders-<lang>-<page>-360.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740

PAGES = [
    ("index", "/{lang}/pathfinders/"),
    ("index-sorted", "/{lang}/pathfinders/?sort=value&dir=desc"),
    ("UGA", "/{lang}/pathfinders/UGA/"),
    ("NPL", "/{lang}/pathfinders/NPL/"),
    ("BRA", "/{lang}/pathfinders/BRA/"),  # nothing verified: the empty states
]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_pathfinder_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, axe_without_js: Any, name: str, path: str, lang: str
) -> None:
    """200, no serious/critical axe violation at 360 px and at 1280 px, no sideways scroll
    at 360 px (wide tables scroll inside their own focusable region)."""
    url = app_server + path.format(lang=lang)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.status == 200
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"pathfinders-{lang}-{name}-360.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"page is {width} px wide"
        assert page.locator("h1").count() == 1
    finally:
        context.close()
    for viewport in (WIDTH, 1280):
        violations = axe_without_js(browser, url, viewport)
        assert not violations, violations


def test_sorting_and_quotes_without_javascript(app_server: str, browser: Any) -> None:
    """Clicking the milestones heading twice sorts the table largest first (Sri Lanka); on
    Uganda's page a source quote opens from its <details> summary."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        page.goto(app_server + "/en/pathfinders/")
        page.get_by_role("link", name="Milestones reached").click()
        first = page.locator("table.pathfinder-table tbody tr th a").first
        assert first.inner_text() == "Sri Lanka"
        page.goto(app_server + "/en/pathfinders/UGA/")
        details = page.locator("#action-uga-2 details").first
        assert not details.locator("blockquote").is_visible()
        details.locator("summary").click()
        assert "22.8%" in details.locator("blockquote").inner_text()
    finally:
        context.close()
