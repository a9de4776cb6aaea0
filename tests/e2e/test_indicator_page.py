"""The indicator page's views in a real browser (issue 9 items 3 and 5): chart, map and table
views and the embed page pass axe-core with JavaScript on and off, log no console or CSP error,
fit a 360 px phone without scrolling sideways, and the place picker's filter box works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_pages import _axe_violations, _axe_violations_without_js, _format_violations, _listen

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
VIEWS = [
    "/en/indicators/SL_TLF_CHLDEA/",
    "/en/indicators/SL_TLF_CHLDEA/?view=map&year=2015",
    "/en/indicators/SL_TLF_CHLDEA/?view=table",
    "/fr/indicators/VC_HTF_DETV/?view=map",
    "/en/indicators/VC_HTF_DETV/?view=chart",
    "/en/indicators/SL_TLF_CHLDEA/embed/?view=chart&geo=BGD&geo=NPL",
    "/en/indicators/SL_TLF_CHLDEA/embed/",  # the places it picks itself
]


@pytest.mark.parametrize("path", VIEWS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_view_is_accessible_and_fits_a_phone(
    app_server: str, browser: Any, path: str, js: bool
) -> None:
    url = app_server + path
    errors: list[str] = []
    context = browser.new_context(java_script_enabled=js, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        _listen(page, errors)
        response = page.goto(url, wait_until="load", timeout=60_000)
        assert response is not None and response.status == 200
        if js:
            page.evaluate(
                """async () => {
                    for (let y = 0; y < document.body.scrollHeight; y += 700) {
                        window.scrollTo(0, y);
                        await new Promise(r => setTimeout(r, 60));
                    }
                }"""
            )
            page.wait_for_load_state("networkidle", timeout=15_000)
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"360-{name}-{'js' if js else 'nojs'}.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide at 360 px"
        violations = (
            _axe_violations(page) if js else _axe_violations_without_js(browser, url, errors)
        )
    finally:
        context.close()
    assert not violations, _format_violations(violations)
    assert not errors, "\n".join(errors)


def test_place_filter_box_narrows_the_checkboxes(app_server: str, browser: Any) -> None:
    """With JavaScript a filter box appears above the places; typing "bang" leaves Bangladesh
    (checked places stay checked and are sent); without JavaScript there is no box and every
    place shows."""
    url = app_server + "/en/indicators/SL_TLF_CHLDEA/?geo=NPL"
    context = browser.new_context(viewport={"width": 360, "height": 740})
    errors: list[str] = []
    try:
        page = context.new_page()
        _listen(page, errors)
        page.goto(url, wait_until="load")
        box = page.get_by_label("Filter the list of places")
        box.fill("bang")
        visible = page.locator(".place-list label:visible")
        expect(visible).to_have_count(1)  # waits for the filter (it runs 80 ms after typing)
        assert "Bangladesh" in visible.first.inner_text()
        assert "Places listed: 1" in page.locator(".place-filter [role=status]").inner_text()
        visible.first.locator("input").check()
        # The places form's button (the earlier-releases form has its own "Show as published").
        page.get_by_role("button", name="Show", exact=True).click()
        page.wait_for_load_state("load")
        assert "geo=NPL" in page.url and "geo=BGD" in page.url
    finally:
        context.close()
    assert not errors, "\n".join(errors)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        assert page.locator(".place-filter").count() == 0
        assert page.locator(".place-list label:visible").count() > 20
    finally:
        context.close()
