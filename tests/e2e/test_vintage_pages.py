"""The vintage pages (issue 14) in a real browser without JavaScript: release comparison, a
series as published on a date, one value across releases (chart and table). axe-core reports
no serious or critical violation at 360 and 1280 px, and nothing scrolls sideways on a 360 px
phone (wide tables scroll inside their own focusable region)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "series/ILO_CL_NUM/compare/?from=ilo-cl-ge-2017&to=ilo-unicef-cl-ge-2021",
    "series/ILO_CL_NUM/as-published/?date=2020-01-01",
    "series/ILO_CL_NUM/vintages/?geo=001&year=2016&sex=_T&age=Y5T17",
]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize("path", PAGES)
def test_vintage_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, fits_a_phone_and_passes_axe: Any, lang: str, path: str
) -> None:
    """200, one h1, no sideways scroll at 360 px, no blocking axe violation."""
    fits_a_phone_and_passes_axe(browser, f"{app_server}/{lang}/{path}")
