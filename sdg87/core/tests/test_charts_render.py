"""Server-side SVG/PNG rendering: safe to inline under the strict CSP, cached by spec hash."""

import re
import time

import pytest

from sdg87.core.charts import (
    bar_chart,
    line_chart,
    render_png,
    render_svg,
    sanitize_svg,
    spec_hash,
    world_map,
)
from sdg87.core.charts.render import chart_path, memory_clear, stored_spec, with_locale

ROWS = [
    {"geo": "World", "year": 2000, "value": 16.0, "nature": "G"},
    {"geo": "World", "year": 2020, "value": 9.6, "nature": "G"},
]


def _line():
    return line_chart(
        ROWS, title="Child labour", description="D", x_title="Year", y_title="%", target_year=2025
    )


def test_render_svg_is_svg_without_script_or_style(chart_dir):
    """vl-convert output has no <script>, no <style> element and no style= attribute."""
    svg = render_svg(_line())
    assert svg.startswith("<svg")
    assert "<script" not in svg.lower()
    assert "<style" not in svg.lower()
    assert not re.search(r"\sstyle=", svg)
    assert not re.search(r"\son[a-z]+=", svg)
    assert "Child labour" in svg


def test_render_svg_second_call_is_cached_fast_and_identical(chart_dir):
    spec = _line()
    first = render_svg(spec)
    started = time.perf_counter()
    second = render_svg(spec)
    assert time.perf_counter() - started < 0.01
    assert first == second


def test_render_svg_writes_shared_disk_cache(chart_dir):
    """Another worker (empty Django cache) reads the file instead of rendering again."""
    from django.core.cache import cache

    spec = _line()
    svg = render_svg(spec)
    digest = spec_hash(spec)
    assert chart_path(digest, "svg").read_text() == svg
    assert stored_spec(digest) == spec
    cache.clear()
    memory_clear()
    chart_path(digest, "svg").write_text(svg + "<!-- from disk -->")
    assert render_svg(spec).endswith("<!-- from disk -->")


def test_world_map_renders_with_prefixed_ids(chart_dir):
    """Gradient ids are prefixed with the spec hash, so two charts on a page never clash."""
    spec = world_map(
        [{"m49": "404", "name": "Kenya", "value": 27.5, "year": 2019}],
        title="Map",
        description="D",
        legend_title="%",
    )
    svg = render_svg(spec)
    prefix = f"c{spec_hash(spec)[:8]}-"
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids and all(i.startswith(prefix) for i in ids)
    for ref in re.findall(r"url\(#([^)]+)\)", svg):
        assert ref.startswith(prefix)
    assert "<path" in svg


def test_sanitize_svg_removes_active_content_and_converts_style():
    """Scripts, <style>, handlers and javascript: links go; style= becomes attributes."""
    dirty = (
        "<svg><style>text{fill:red}</style><script>alert(1)</script>"
        '<g style="fill: #fff; stroke:url(x)" onclick="x()"><a href="javascript:evil()">a</a>'
        '<clipPath id="clip1"/><rect clip-path="url(#clip1)"/></g></svg>'
    )
    clean = sanitize_svg(dirty, id_prefix="p-")
    assert "<style" not in clean and "<script" not in clean
    assert "onclick" not in clean and "javascript:" not in clean
    assert 'fill="#fff"' in clean and "style=" not in clean and "url(x)" not in clean
    assert 'id="p-clip1"' in clean and "url(#p-clip1)" in clean


def test_locale_changes_hash_and_number_format(chart_dir):
    """French charts use a decimal comma and are cached separately."""
    spec = bar_chart(
        [{"category": "World", "value": 9.6}],
        title="T",
        description="D",
        x_title="%",
        y_title="",
    )
    fr = with_locale(spec, "fr")
    assert spec_hash(fr) != spec_hash(with_locale(spec, "en"))
    assert ">9,6<" in render_svg(fr)
    assert ">9.6<" in render_svg(with_locale(spec, "en"))


def test_render_png_is_png_and_cached_on_disk(chart_dir):
    spec = _line()
    png = render_png(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart_path(spec_hash(spec), "png").read_bytes() == png


def test_chart_path_rejects_non_hash():
    with pytest.raises(ValueError):
        chart_path("../../etc/passwd", "svg")


def test_memory_level_is_bounded(chart_dir, monkeypatch):
    """The per-process LRU evicts the oldest SVGs beyond its byte limit."""
    from sdg87.core.charts import render

    monkeypatch.setattr(render, "MEMORY_LIMIT_BYTES", 10)
    render._memory_put("a" * 64, "x" * 6)
    render._memory_put("b" * 64, "y" * 6)
    assert render._memory_get("a" * 64) is None
    assert render._memory_get("b" * 64) == "y" * 6
