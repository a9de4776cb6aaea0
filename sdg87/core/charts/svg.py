"""Small charts drawn directly as SVG by pure functions: no chart engine, no cache needed.

A sparkline is a few dozen points on two linear scales; drawing it here costs about 0.1 ms
where vl-convert takes 100-300 ms (and half a second more for the first chart of a process).
The output follows the same rules as the Vega-Lite sparkline (`specs.sparkline`): a missing
year breaks the line (runs of values at most `max_gap` years apart), every value has a small
dot so a value alone still shows, the last value a larger one, no axes (the page's table
carries the numbers). The SVG has no script, no style element or attribute and no ids, so it
can be inlined under the strict CSP as is; `accessible_svg` (template tags) adds role, title
and desc.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SPARK_COLOR = "#0072B2"  # specs.PALETTE[0]
LINE_WIDTH = 1.5
DOT_AREA = 6  # px², as the Vega-Lite sparkline's point size
LAST_DOT_AREA = 16


def _num(value: float) -> str:
    """A coordinate to 0.1 px, without a trailing ".0"."""
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _points(rows: Iterable[Mapping[str, Any]]) -> list[tuple[int, float]]:
    points = []
    for row in rows:
        year, value = row.get("year"), row.get("value")
        if year is None or value is None:
            continue
        number = float(value)
        if math.isfinite(number):
            points.append((int(year), number))
    points.sort()
    return points


def segments(points: Sequence[tuple[int, float]], *, max_gap: int) -> list[list[tuple[int, float]]]:
    """Runs of points at most `max_gap` years apart (a longer gap starts a new run)."""
    runs: list[list[tuple[int, float]]] = []
    for point in points:
        if runs and point[0] - runs[-1][-1][0] <= max_gap:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def sparkline_svg(
    rows: Iterable[Mapping[str, Any]],
    *,
    width: int = 120,
    height: int = 32,
    max_gap: int = 1,
    padding: int = 2,
    color: str = SPARK_COLOR,
) -> str:
    """The sparkline of `rows` ([{"year": 2012, "value": 10.1}, ...]) as SVG markup.

    Scales span the years and values shown (no zero baseline, as the Vega-Lite version); a
    single year or a flat line is drawn in the middle. Rows without a finite value are left
    out. Empty rows give an empty (but valid) SVG."""
    points = _points(rows)
    inner_w = max(width - 2 * padding, 1)
    inner_h = max(height - 2 * padding, 1)
    # Room for the last dot's radius inside the drawing area.
    inset = math.sqrt(LAST_DOT_AREA / math.pi)
    years = [p[0] for p in points]
    values = [p[1] for p in points]

    def x(year: int) -> float:
        low, high = min(years), max(years)
        if high == low:
            return padding + inner_w / 2
        return padding + inset + (year - low) / (high - low) * (inner_w - 2 * inset)

    def y(value: float) -> float:
        low, high = min(values), max(values)
        if high == low:
            return padding + inner_h / 2
        return padding + inset + (high - value) / (high - low) * (inner_h - 2 * inset)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    if points:
        for run in segments(points, max_gap=max_gap):
            if len(run) < 2:
                continue
            d = "M" + "L".join(f"{_num(x(yr))},{_num(y(v))}" for yr, v in run)
            parts.append(
                f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{LINE_WIDTH}" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        dot = _num(math.sqrt(DOT_AREA / math.pi))
        for yr, v in points[:-1]:
            parts.append(f'<circle cx="{_num(x(yr))}" cy="{_num(y(v))}" r="{dot}" fill="{color}"/>')
        last_year, last_value = points[-1]
        parts.append(
            f'<circle cx="{_num(x(last_year))}" cy="{_num(y(last_value))}" '
            f'r="{_num(inset)}" fill="{color}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def is_direct(spec: Mapping[str, Any]) -> bool:
    """Whether the spec is one this module draws (a sparkline built by `specs.sparkline`)."""
    meta = spec.get("usermeta")
    return isinstance(meta, Mapping) and meta.get("kind") == "sparkline"


def direct_svg(spec: Mapping[str, Any]) -> str:
    """Draw a spec for which `is_direct` holds, from its own data and size."""
    meta = spec.get("usermeta") or {}
    data = spec.get("data") or {}
    values = data.get("values") if isinstance(data, Mapping) else None
    return sparkline_svg(
        values if isinstance(values, list) else [],
        width=int(spec.get("width") or 120),
        height=int(spec.get("height") or 32),
        max_gap=int(meta.get("max_gap") or 1),
    )
