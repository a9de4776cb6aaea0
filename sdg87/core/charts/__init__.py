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
from sdg87.core.charts.specs import (
    annotated,
    bar_chart,
    country_centroids,
    line_chart,
    sparkline,
    spec_title,
    symbol_map,
    world_map,
)

__all__ = [
    "VL_VERSION",
    "annotated",
    "bar_chart",
    "country_centroids",
    "line_chart",
    "render_png",
    "render_svg",
    "sanitize_svg",
    "sparkline",
    "spec_hash",
    "spec_title",
    "stored_spec",
    "symbol_map",
    "with_locale",
    "world_map",
]
