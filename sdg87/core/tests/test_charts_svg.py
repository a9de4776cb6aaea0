"""Sparklines drawn directly as SVG (sdg87.core.charts.svg): pure, hand-checked output."""

from __future__ import annotations

import re

from sdg87.core.charts import render_svg, sparkline
from sdg87.core.charts.svg import segments, sparkline_svg


def _paths(svg: str) -> list[str]:
    return re.findall(r'<path d="([^"]*)"', svg)


def test_two_points_hand_checked():
    """120x32, padding 2, last-dot radius sqrt(16/pi)=2.26: the first point sits at the
    top-left of the inner box (x 2+2.26, y 2+2.26 for the highest value), the last at the
    bottom-right (x 120-2-2.26, y 32-2-2.26 for the lowest). Twenty years apart: joined only
    with max_gap 20."""
    rows = [{"year": 2020, "value": 9.6}, {"year": 2000, "value": 16.0}]
    assert _paths(sparkline_svg(rows)) == []
    svg = sparkline_svg(rows, max_gap=20)
    assert _paths(svg) == ["M4.3,4.3L115.7,27.7"]
    assert svg.count("<circle") == 2
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"')
    assert 'width="120" height="32" viewBox="0 0 120 32"' in svg


def test_missing_year_breaks_the_line_and_a_lone_value_is_a_dot():
    rows = [
        {"year": 2000, "value": 1.0},
        {"year": 2001, "value": 2.0},
        {"year": 2009, "value": 3.0},
    ]
    svg = sparkline_svg(rows)
    assert len(_paths(svg)) == 1  # 2000-2001; 2009 alone is a dot only
    assert svg.count("<circle") == 3
    assert len(_paths(sparkline_svg(rows, max_gap=8))) == 1
    assert _paths(sparkline_svg(rows, max_gap=8))[0].count("L") == 2


def test_segments_split_on_gaps_longer_than_max_gap():
    points = [(2000, 1.0), (2004, 2.0), (2008, 3.0), (2016, 4.0)]
    assert [len(run) for run in segments(points, max_gap=4)] == [3, 1]
    assert [len(run) for run in segments(points, max_gap=1)] == [1, 1, 1, 1]


def test_flat_single_and_empty_series_are_valid_svg():
    flat = sparkline_svg([{"year": 2000, "value": 5}, {"year": 2001, "value": 5}])
    assert _paths(flat) == ["M4.3,16L115.7,16"]
    single = sparkline_svg([{"year": 2000, "value": 5}])
    assert _paths(single) == [] and 'cx="60" cy="16"' in single
    assert sparkline_svg([]).endswith("></svg>")
    assert sparkline_svg([{"year": 2000, "value": None}]).count("<circle") == 0


def test_safe_to_inline_under_the_strict_csp():
    """No script, no style element or attribute, no ids to collide between charts."""
    svg = sparkline_svg([{"year": 2000 + i, "value": i * 1.5} for i in range(10)])
    for forbidden in ("<script", "<style", "style=", " id=", "on"):
        if forbidden == "on":
            assert not re.search(r"\son[a-z]+=", svg)
        else:
            assert forbidden not in svg


def test_render_svg_draws_sparkline_specs_without_the_chart_engine(settings, tmp_path):
    """A sparkline spec is drawn by the pure function: nothing rendered or stored on disk."""
    settings.SDG87_CHART_DIR = str(tmp_path)
    spec = sparkline(
        [{"year": 2000, "value": 16.0}, {"year": 2020, "value": 9.6}], title="T", description="D"
    )
    assert spec["usermeta"] == {"kind": "sparkline", "max_gap": 1}
    svg = render_svg(spec)
    assert svg == sparkline_svg(spec["data"]["values"])
    assert list(tmp_path.iterdir()) == []
