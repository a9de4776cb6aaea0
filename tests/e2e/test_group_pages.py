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
AXE_JS = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
WIDTH, HEIGHT = 360, 740

PAGES = [
    ("index", "/{lang}/action-groups/"),
    ("supply_chains", "/{lang}/action-groups/supply_chains/"),
    ("rule_of_law", "/{lang}/action-groups/rule_of_law_governance/"),  # empty states
    ("gcg", "/{lang}/gcg/"),
    ("gcg-2021", "/{lang}/gcg/?as_of=2021-06-10"),
]


def _axe_violations(browser: Any, url: str, width: int) -> list[dict[str, Any]]:
    """axe-core on the page rendered without running its scripts (as in test_pages: script
    execution switched off through the DevTools protocol while loading, on again for axe)."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(url, wait_until="load", timeout=60_000)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ["violations"]});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160)),
                }));
            }"""
        )
        return [v for v in result if v["impact"] in BLOCKING_IMPACTS]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_group_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, name: str, path: str, lang: str
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
        violations = _axe_violations(browser, url, viewport)
        assert not violations, violations
