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


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_pack_page_accessible_and_fits_a_phone(
    app_server: str, browser: Any, fits_a_phone_and_passes_axe: Any, lang: str
) -> None:
    """200, one h1, no sideways scroll at 360 px, no blocking axe violation."""
    fits_a_phone_and_passes_axe(
        browser,
        f"{app_server}/{lang}/supply-chains/packs/cocoa/CIV/",
        screenshot=SCREENSHOTS / f"packs-{lang}-cocoa-CIV-360.png",
    )
