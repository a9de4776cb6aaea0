"""Spec builders are pure: plain rows in, a complete Vega-Lite v6 spec out."""

import json

from sdg87.core.charts import bar_chart, line_chart, sparkline, spec_hash, world_map
from sdg87.core.charts.specs import SCHEMA

ROWS = [
    {"geo": "World", "year": 2000, "value": 16.0, "nature": "G"},
    {"geo": "World", "year": 2020, "value": 9.6, "nature": "G"},
    {"geo": "Kenya", "year": 2019, "value": 27.5, "nature": "C", "extra": "dropped"},
    {"geo": "Kenya", "year": 2008, "value": None},
]


def _common(spec, title="T", description="D"):
    assert spec["$schema"] == SCHEMA
    assert spec["title"] == title or spec["title"]["text"] == title
    assert spec["description"] == description
    assert isinstance(spec["width"], int) and isinstance(spec["height"], int)
    assert "values" in spec["data"]
    json.dumps(spec)  # JSON-serialisable as is


def test_line_chart_has_inline_values_tooltips_and_no_null_rows():
    """Rows without a value are dropped; unknown keys are dropped; tooltips carry nature."""
    spec = line_chart(
        ROWS, title="T", description="D", x_title="Year", y_title="%", labels={"geo": "Pays"}
    )
    _common(spec)
    assert len(spec["data"]["values"]) == 3
    assert all("extra" not in row for row in spec["data"]["values"])
    tooltip = spec["layer"][1]["encoding"]["tooltip"]
    assert [t["field"] for t in tooltip] == ["geo", "year", "value", "nature"]
    assert tooltip[0]["title"] == "Pays"
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["World", "Kenya"]
    assert len(spec["layer"]) == 2


def test_line_chart_target_year_adds_target_layers_and_extends_axis():
    """A target year draws a rule and a zero marker, and the x domain reaches it."""
    spec = line_chart(
        ROWS,
        title="T",
        description="D",
        x_title="Year",
        y_title="%",
        target_year=2025,
        target_label="Target 2025",
    )
    assert len(spec["layer"]) == 5
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [2000, 2025]
    target = spec["layer"][3]["data"]["values"][0]
    assert target == {"year": 2025, "value": 0.0, "label": "Target 2025"}


def test_single_geography_line_has_no_legend():
    spec = line_chart(ROWS[:2], title="T", description="D", x_title="Y", y_title="%")
    assert spec["layer"][0]["encoding"]["color"]["legend"] is None


def test_bar_chart_height_follows_number_of_bars():
    rows = [{"category": "Agriculture", "value": 61.4}, {"category": "Services", "value": 27.3}]
    spec = bar_chart(rows, title="T", description="D", x_title="%", y_title="Sector")
    _common(spec)
    assert spec["height"] == 60
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Agriculture", "Services"]
    rows.reverse()
    spec = bar_chart(rows, title="T", description="D", x_title="%", y_title="S", sort=False)
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Services", "Agriculture"]


def test_world_map_joins_on_m49_and_keeps_year_in_tooltip():
    """Map data is the bundled TopoJSON; our values join on zero-padded M49; year in tooltip."""
    rows = [
        {"m49": "404", "name": "Kenya", "value": 27.5, "year": 2019},
        {"m49": 50, "name": "Bangladesh", "value": 4.4, "year": 2013},
        {"m49": "", "name": "No code", "value": 1.0, "year": 2013},
    ]
    spec = world_map(rows, title="T", description="D", legend_title="%")
    _common(spec)
    assert spec["data"]["format"] == {"type": "topojson", "feature": "countries"}
    assert spec["data"]["values"]["type"] == "Topology"
    lookup = spec["transform"][1]
    assert lookup["lookup"] == "id" and lookup["from"]["key"] == "m49"
    joined = lookup["from"]["data"]["values"]
    assert [r["m49"] for r in joined] == ["404", "050"]
    data_layer = spec["layer"][1]
    assert "year" in [t["field"] for t in data_layer["encoding"]["tooltip"]]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == ["#d9d9d9"]
    assert spec["usermeta"]["table"] == joined


def test_world_map_topology_ids_are_m49_codes():
    """The bundled atlas uses 3-digit ISO numeric ids, e.g. Kenya 404."""
    spec = world_map([], title="T", description="D", legend_title="%")
    ids = {g.get("id") for g in spec["data"]["values"]["objects"]["countries"]["geometries"]}
    assert {"404", "050", "076"} <= ids


def test_sparkline_sorted_with_last_point():
    rows = [{"year": 2020, "value": 9.6}, {"year": 2000, "value": 16.0}]
    spec = sparkline(rows, title="T", description="D")
    _common(spec)
    assert [r["year"] for r in spec["data"]["values"]] == [2000, 2020]
    assert spec["layer"][1]["data"]["values"] == [{"year": 2020, "value": 9.6}]


def test_spec_hash_is_independent_of_key_order():
    assert spec_hash({"a": 1, "b": [1, 2]}) == spec_hash({"b": [1, 2], "a": 1})
    assert spec_hash({"a": 1}) != spec_hash({"a": 2})


def test_map_hash_is_fast_and_still_depends_on_the_values():
    """The bundled topology is hashed once; the country values still change the hash."""
    import copy
    import time

    rows = [{"m49": "404", "name": "Kenya", "value": 27.5, "year": 2019}]
    a = world_map(rows, title="T", description="D", legend_title="%")
    b = world_map(rows, title="T", description="D", legend_title="%")
    spec_hash(a)
    started = time.perf_counter()
    assert spec_hash(a) == spec_hash(b)
    assert time.perf_counter() - started < 0.005
    c = world_map([{**rows[0], "value": 27.6}], title="T", description="D", legend_title="%")
    assert spec_hash(c) != spec_hash(a)
    # a deep copy is hashed in full: a different (but stable) identity, never a wrong match
    deep = copy.deepcopy(a)
    assert spec_hash(deep) == spec_hash(copy.deepcopy(a)) != spec_hash(a)
