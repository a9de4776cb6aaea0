"""Charts that cannot mislead (issue 9 item 3): lines break at missing years, counts are
mapped as proportional circles placed on their country, and credits are drawn into the image."""

from __future__ import annotations

import re

import pytest

from sdg87.core.charts import (
    annotated,
    country_centroids,
    line_chart,
    render_svg,
    sparkline,
    spec_title,
    symbol_map,
    world_map,
)
from sdg87.core.charts.specs import load_topology, wrap_text


def _line_pieces(svg: str) -> list[str]:
    """Each drawn piece of line: vl-convert writes one path per segment, and a path may hold
    several sub-paths (M...); a piece without L is a lone point."""
    paths = re.findall(r'aria-roledescription="line mark"[^>]*?\sd="([^"]*)"', svg)
    return [part for d in paths for part in re.split(r"(?=M)", d) if part]


def _svg_text(svg: str) -> str:
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", t) for t in texts)


def test_line_breaks_where_a_year_is_missing(chart_dir):
    """2000-2001 and 2010-2011 are joined; 2005 stands alone; the line never spans 2001-2005.

    Drawn with vl-convert: the one line is three sub-paths (M...L, M...Z, M...L), and without
    the break it would be one."""
    rows = [
        {"geo": "Kenya", "year": year, "value": value}
        for year, value in [(2000, 10), (2001, 11), (2005, 9), (2010, 8), (2011, 7)]
    ]
    spec = line_chart(rows, title="T", description="D", x_title="Year", y_title="%")
    pieces = _line_pieces(render_svg(spec))
    assert [piece.count("L") for piece in pieces] == [1, 0, 1]
    # every value keeps its point
    assert len(spec["data"]["values"]) == 5


def test_line_joins_values_within_max_gap(chart_dir):
    """A series published every four years (the global estimates) is one line with max_gap=4."""
    rows = [
        {"geo": "World", "year": y, "value": v} for y, v in [(2000, 16), (2004, 14), (2008, 13)]
    ]
    joined = line_chart(rows, title="T", description="D", x_title="Y", y_title="%", max_gap=4)
    broken = line_chart(rows, title="T", description="D", x_title="Y", y_title="%")
    assert [piece.count("L") for piece in _line_pieces(render_svg(joined))] == [2]
    assert [piece.count("L") for piece in _line_pieces(render_svg(broken))] == [0, 0, 0]


def test_sparkline_breaks_too(chart_dir):
    rows: list[dict[str, float]] = [
        {"year": 2000, "value": 1.0},
        {"year": 2001, "value": 2.0},
        {"year": 2009, "value": 3},
    ]
    spec = sparkline(rows, title="T", description="D")
    transform = spec["layer"][0]["transform"]
    assert any("previous_year > 1" in step.get("calculate", "") for step in transform)
    assert spec["layer"][0]["encoding"]["detail"] == {"field": "segment", "type": "nominal"}


def test_without_target_year_no_target_marker():
    rows = [{"geo": "A", "year": 2010, "value": 5}]
    spec = line_chart(rows, title="T", description="D", x_title="Y", y_title="n")
    assert len(spec["layer"]) == 2
    assert "Target" not in str(spec)


def test_centroids_sit_on_their_country():
    """Each circle is placed on its country's main polygon (longitude, latitude)."""
    centres = country_centroids(load_topology())
    expected = {
        "404": (37.8, 0.6),  # Kenya
        "250": (2.3, 46.6),  # France (mainland, not French Guiana)
        "840": (-99.1, 39.5),  # United States (the lower 48)
        "643": (99.9, 61.7),  # Russia, across the antimeridian
        "242": (178.0, -17.8),  # Fiji, across the antimeridian
    }
    for m49, (lon, lat) in expected.items():
        assert centres[m49] == pytest.approx((lon, lat), abs=0.2), m49


def test_symbol_map_sizes_circles_by_value_and_keeps_the_table():
    rows: list[dict[str, object]] = [
        {"m49": "404", "name": "Kenya", "value": 1200, "year": 2019},
        {"m49": "840", "name": "United States", "value": 15000, "year": 2020},
        {"m49": "999", "name": "Nowhere", "value": 10, "year": 2020},
        {"m49": "250", "name": "France", "value": None, "year": 2020},
    ]
    spec = symbol_map(rows, title="T", description="D", legend_title="Number of victims")
    circles = spec["layer"][1]
    assert circles["mark"]["type"] == "circle"
    size = circles["encoding"]["size"]
    # area proportional to the value: linear size scale from zero
    assert size["scale"]["type"] == "linear" and size["scale"]["zero"] is True
    assert size["scale"]["range"][0] == 0
    assert size["title"] == "Number of victims" and size["legend"]["format"]
    placed = circles["data"]["values"]
    assert [p["name"] for p in placed] == ["United States", "Kenya"]  # large first
    assert {"lon", "lat"} <= set(placed[0])
    assert [r["name"] for r in spec["usermeta"]["table"]] == ["Kenya", "United States", "Nowhere"]


def test_annotated_draws_credits_under_the_chart_and_wraps_the_title(chart_dir):
    """Source, licence, date and URL are text in the rendered SVG; the title wraps."""
    spec = line_chart(
        [{"geo": "A", "year": 2010, "value": 5}, {"geo": "A", "year": 2011, "value": 6}],
        title="Proportion of children engaged in economic activity and household chores, "
        "by sex and age (%)",
        description="D",
        x_title="Year",
        y_title="%",
    )
    credits = [
        "Source: UNSD, UN SDG Global Database (2024).",
        "Licence: CC-BY-4.0. Data released 28 March 2024.",
        "https://example.org/en/indicators/SL_TLF_CHLDEC/?view=chart&geo=KEN",
    ]
    out = annotated(spec, subtitle="Both sexes · 5-17 years", credits=credits)
    assert out["usermeta"]["credits"] == credits
    assert out["data"] is spec["data"]  # the table and the hash shortcut see the same data
    assert len(out["title"]["text"]) == 2
    assert spec_title(out) == spec_title(spec)
    svg = render_svg(out)
    text = _svg_text(svg)
    for line in credits:
        assert line.replace("&", "&amp;") in text
    assert "Both sexes · 5-17 years" in text
    assert "Proportion of children engaged in economic activity" in text


def test_annotated_map_keeps_the_topology_at_the_top():
    spec = world_map(
        [{"m49": "404", "name": "Kenya", "value": 1, "year": 2019}],
        title="T",
        description="D",
        legend_title="%",
    )
    out = annotated(spec, credits=["Source: X"])
    assert out["data"]["values"]["arcs"] is load_topology()["arcs"]
    assert out["vconcat"][0]["projection"] == {"type": "equalEarth"}
    assert out["usermeta"]["table"] == spec["usermeta"]["table"]


def test_wrap_text_keeps_long_words_whole():
    assert wrap_text("a b c", chars=3) == ["a b", "c"]
    url = "https://example.org/" + "x" * 80
    assert wrap_text(f"see {url}", chars=20) == ["see", url]
