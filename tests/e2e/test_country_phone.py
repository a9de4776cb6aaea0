"""The Uganda profile on a 360 x 740 phone without JavaScript (issue 9 item 4): its key
figures, each with year and source, and a chart are on the first screen, and nothing scrolls
sideways. The first screen is saved as var/screenshots/uganda-360.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTH, HEIGHT = 360, 740


def _bottom(box: dict[str, float] | None) -> float:
    assert box is not None, "element is not rendered"
    return box["y"] + box["height"]


def test_uganda_key_figures_and_chart_fit_the_first_phone_screen(
    app_server: str, browser: Any
) -> None:
    """At 360 x 740 without JavaScript, three to five key figures (each with its year and a
    link to its source) and a drawn chart (svg or img) end within the first 740 px."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        response = page.goto(app_server + "/en/countries/UGA/")
        assert response is not None and response.status == 200
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "uganda-360.png"))

        figures = page.locator(".key-figures > li")
        count = figures.count()
        assert 3 <= count <= 5, f"{count} key figures"
        for i in range(count):
            figure = figures.nth(i)
            assert _bottom(figure.bounding_box()) <= HEIGHT, figure.inner_text()
            assert figure.locator(".year-age").count() == 1, figure.inner_text()
            assert figure.locator(".fact-source a[href]").count() == 1, figure.inner_text()

        chart = page.locator(".country-first figure.chart").locator("svg, img").first
        assert chart.count() == 1, "no drawn chart on the first screen"
        box = chart.bounding_box()
        assert box is not None and box["height"] > 80, box
        assert _bottom(box) <= HEIGHT, f"chart ends at {_bottom(box)} px"

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"page is {width} px wide"
        screens = page.evaluate("document.body.scrollHeight") / HEIGHT
        print(f"\nUganda at {WIDTH} px: {screens:.1f} phone screens")
    finally:
        context.close()
