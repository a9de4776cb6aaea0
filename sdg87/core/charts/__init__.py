"""Charts: Vega-Lite spec builders (pure) and cached server-side rendering.

See docs/howto/charts.md for the contract used by page templates.
"""

from sdg87.core.charts.render import (
    VL_VERSION,
    render_png,
    render_svg,
    sanitize_svg,
    spec_hash,
    stored_spec,
    with_locale,
)
from sdg87.core.charts.specs import bar_chart, line_chart, sparkline, spec_title, world_map

__all__ = [
    "VL_VERSION",
    "bar_chart",
    "line_chart",
    "render_png",
    "render_svg",
    "sanitize_svg",
    "sparkline",
    "spec_hash",
    "spec_title",
    "stored_spec",
    "with_locale",
    "world_map",
]
