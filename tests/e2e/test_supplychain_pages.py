"""The goods x country explorer in a real browser without JavaScript: axe-core reports no
serious or critical violation at 360 and 1280 px, and nothing scrolls sideways on a 360 px
phone (wide tables scroll inside their own focusable region)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "/en/supply-chains/",
    "/fr/supply-chains/?good=cocoa&type=fl",
    "/en/supply-chains/matrix/",
    "/es/supply-chains/map/",
    "/en/supply-chains/changes/",
    "/en/supply-chains/goods/cocoa/",
    "/en/supply-chains/countries/CIV/",
    "/en/supply-chains/screening/",
    "/es/supply-chains/screening/",
]


@pytest.mark.parametrize("path", PAGES)
def test_supplychain_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, fits_a_phone_and_passes_axe: Any, path: str
) -> None:
    """200, one h1, no sideways scroll at 360 px, no blocking axe violation."""
    fits_a_phone_and_passes_axe(browser, f"{app_server}{path}")
