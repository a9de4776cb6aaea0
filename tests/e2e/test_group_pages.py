"""The Action Group hubs and the Global Coordinating Group page in a real browser without
JavaScript: axe-core reports no serious or critical violation, nothing scrolls sideways on a
360 px phone. Screenshots are saved as var/screenshots/groups-<lang>-<page>-360.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740

PAGES = [
    ("index", "/{lang}/action-groups/"),
    ("supply_chains", "/{lang}/action-groups/supply_chains/"),
    ("rule_of_law", "/{lang}/action-groups/rule_of_law_governance/"),  # empty states
    ("gcg", "/{lang}/gcg/"),
    ("gcg-2021", "/{lang}/gcg/?as_of=2021-06-10"),
]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_group_page_accessible_and_fits_a_phone(
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
        page.screenshot(path=str(SCREENSHOTS / f"groups-{lang}-{name}-360.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"page is {width} px wide"
        assert page.locator("h1").count() == 1
    finally:
        context.close()
    for viewport in (WIDTH, 1280):
        violations = axe_without_js(browser, url, viewport)
        assert not violations, violations
