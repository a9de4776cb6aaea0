"""Vega-Lite v6 spec builders. Pure: plain lists of dicts in, a spec dict out, no ORM.

Chart text (titles, axis titles, tooltip labels) arrives already translated from the caller;
the gettext defaults below only cover labels a caller did not pass. Every spec carries a
`title`, a `description` (the accessible text), inline `data.values` and a fixed size, so the
same dict renders identically on the server (vl-convert) and in the browser (vega-embed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
TOPOLOGY_PATH = Path(__file__).resolve().parents[3] / "data" / "geo" / "countries-110m.json"

# Colour-blind safe palette (Okabe-Ito) for categorical series; dark blue for single series.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
INK = "#1b1b1b"
MUTED = "#595959"
NO_DATA = "#d9d9d9"
TARGET = "#b30000"

Spec = dict[str, Any]
Row = Mapping[str, Any]


def _label(labels: Mapping[str, str] | None, key: str) -> str:
    if labels and labels.get(key):
        return str(labels[key])
    defaults = {
        "geo": gettext("Geography"),
        "year": gettext("Year"),
        "value": gettext("Value"),
        "nature": gettext("Nature of data"),
        "category": gettext("Category"),
        "name": gettext("Country or area"),
        "no_data": gettext("No data"),
    }
    return defaults[key]


def _config() -> dict[str, Any]:
    return {
        # Liberation Sans (server) and Arial (most browsers) share metrics, so text measured
        # by vl-convert fits the same way when the browser draws the inline SVG.
        "font": "Liberation Sans, Arial, Helvetica, sans-serif",
        "background": "white",
        "view": {"stroke": None},
        "title": {"anchor": "start", "fontSize": 15, "color": INK, "subtitleColor": MUTED},
        "axis": {
            "labelColor": INK,
            "titleColor": INK,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "gridColor": "#e5e5e5",
        },
        "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12},
        "range": {"category": PALETTE},
    }


def _base(*, title: str, description: str, width: int, height: int) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": str(title),
        "description": str(description),
        "width": int(width),
        "height": int(height),
        "config": _config(),
    }


def _clean(rows: Iterable[Row], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Keep only the keys a chart uses (JSON-safe, small), drop rows without a value."""
    out = []
    for row in rows:
        value = row.get("value")
        if value is None:
            continue
        item = {k: row.get(k) for k in keys if row.get(k) is not None}
        item["value"] = float(value)
        out.append(item)
    return out


def _segment_transform(max_gap: int, *, groupby: list[str]) -> list[dict[str, Any]]:
    """Number each run of values at most `max_gap` years apart (per `groupby`), as `segment`.

    The line layer draws one path per segment (`detail`), so it never bridges missing years.
    Done in the spec, not in the data, so `data.values` stays exactly the values shown.
    """
    by_year = [{"field": "year", "order": "ascending"}]
    return [
        {
            "window": [{"op": "lag", "field": "year", "as": "previous_year"}],
            "groupby": groupby,
            "sort": by_year,
        },
        {
            "calculate": "isValid(datum.previous_year) && "
            f"datum.year - datum.previous_year > {int(max_gap)} ? 1 : 0",
            "as": "gap",
        },
        {
            "window": [{"op": "sum", "field": "gap", "as": "segment"}],
            "groupby": groupby,
            "sort": by_year,
            "frame": [None, 0],
        },
    ]


def line_chart(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    x_title: str,
    y_title: str,
    target_year: int | None = None,
    target_label: str = "",
    labels: Mapping[str, str] | None = None,
    value_format: str = ",.1f",
    width: int = 560,
    height: int = 280,
    max_gap: int = 1,
) -> Spec:
    """Values over time, one line per geography (`geo`), points with value/year/nature tooltips.

    The line joins only values at most `max_gap` years apart: a missing year breaks it, and a
    value with no neighbour is a point alone (every value has its point). Pass a larger
    `max_gap` only for series published at a fixed interval (the global estimates every four
    years), where the years between are not missing data.

    With `target_year`, a dashed rule marks the target year and a diamond marks the target
    (zero) at that year, so the remaining distance is visible. Pass it only where zero is the
    target (`sdg87.indicators.targets.zero_is_target`).
    """
    values = _clean(rows, ("geo", "year", "value", "nature"))
    for item in values:
        item["year"] = int(item["year"])
        item.setdefault("geo", "")
        item.setdefault("nature", "")
    geos = list(dict.fromkeys(item["geo"] for item in values))
    years = [item["year"] for item in values]
    if target_year is not None:
        years.append(int(target_year))
    x_domain = [min(years), max(years)] if years else None

    x: dict[str, Any] = {
        "field": "year",
        "type": "quantitative",
        "title": str(x_title),
        "axis": {
            "format": "d",
            "tickMinStep": 1,
            "labelOverlap": True,
            "tickCount": max(2, min(width // 60, (x_domain[1] - x_domain[0]) if x_domain else 2)),
        },
        "scale": {"zero": False, "nice": False},
    }
    if x_domain:
        x["scale"]["domain"] = x_domain
    y: dict[str, Any] = {
        "field": "value",
        "type": "quantitative",
        "title": str(y_title),
        "scale": {"zero": True},
        "axis": {"format": value_format.replace(",", "") if "%" in value_format else None},
    }
    if y["axis"]["format"] is None:
        del y["axis"]
    color: dict[str, Any] = {
        "field": "geo",
        "type": "nominal",
        "title": _label(labels, "geo"),
        "scale": {"domain": geos, "range": PALETTE[: max(1, len(geos))]},
    }
    if len(geos) <= 1:
        color["legend"] = None
    else:
        # Under the chart, not beside it: the chart keeps its width when a phone scales the
        # SVG down to the screen.
        color["legend"] = {
            "orient": "bottom",
            "direction": "horizontal",
            "columns": 2,
            "labelLimit": width // 2 - 30,
        }
    tooltip = [
        {"field": "geo", "type": "nominal", "title": _label(labels, "geo")},
        {"field": "year", "type": "quantitative", "title": _label(labels, "year"), "format": "d"},
        {
            "field": "value",
            "type": "quantitative",
            "title": _label(labels, "value"),
            "format": value_format,
        },
        {"field": "nature", "type": "nominal", "title": _label(labels, "nature")},
    ]
    layers: list[dict[str, Any]] = [
        {
            "transform": _segment_transform(max_gap, groupby=["geo"]),
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "detail": {"field": "segment", "type": "nominal"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 50},
            "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip},
        },
    ]
    if target_year is not None:
        label = str(target_label) or str(target_year)
        target_values = [{"year": int(target_year), "value": 0.0, "label": label}]
        layers += [
            {
                "data": {"values": target_values},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": TARGET},
                "encoding": {"x": {"field": "year", "type": "quantitative"}},
            },
            {
                "data": {"values": target_values},
                "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 90},
                "encoding": {
                    "x": {"field": "year", "type": "quantitative"},
                    "y": {"field": "value", "type": "quantitative"},
                    "color": {"value": TARGET},
                    "tooltip": [{"field": "label", "type": "nominal", "title": label}],
                },
            },
            {
                "data": {"values": target_values},
                "mark": {
                    "type": "text",
                    "align": "right",
                    "baseline": "bottom",
                    "dx": -6,
                    "dy": -6,
                    "color": TARGET,
                    "fontSize": 11,
                },
                "encoding": {
                    "x": {"field": "year", "type": "quantitative"},
                    "y": {"field": "value", "type": "quantitative"},
                    "text": {"field": "label"},
                },
            },
        ]
    spec = _base(title=title, description=description, width=width, height=height)
    spec["data"] = {"values": values}
    spec["layer"] = layers
    return spec


def bar_chart(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    x_title: str,
    y_title: str,
    labels: Mapping[str, str] | None = None,
    value_format: str = ",.1f",
    sort: bool = True,
    width: int = 560,
    height: int | None = None,
) -> Spec:
    """Horizontal bars: one bar per `category`, value axis along x, labelled bars."""
    values = _clean(rows, ("category", "value"))
    for item in values:
        item["category"] = str(item.get("category", ""))
    if height is None:
        height = max(60, 28 * len(values))
    # An explicit order (not "-x"): both layers then share one sorted domain.
    order = [item["category"] for item in values]
    if sort:
        order = [item["category"] for item in sorted(values, key=lambda i: -i["value"])]
    y: dict[str, Any] = {
        "field": "category",
        "type": "nominal",
        "title": str(y_title),
        "sort": list(dict.fromkeys(order)),
        "axis": {"labelLimit": 220},
    }
    x = {"field": "value", "type": "quantitative", "title": str(x_title)}
    tooltip = [
        {"field": "category", "type": "nominal", "title": _label(labels, "category")},
        {
            "field": "value",
            "type": "quantitative",
            "title": _label(labels, "value"),
            "format": value_format,
        },
    ]
    spec = _base(title=title, description=description, width=width, height=height)
    spec["data"] = {"values": values}
    spec["layer"] = [
        {
            "mark": {"type": "bar", "color": PALETTE[0]},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 3, "color": INK, "fontSize": 11},
            "encoding": {
                "x": x,
                "y": y,
                "text": {"field": "value", "type": "quantitative", "format": value_format},
            },
        },
    ]
    return spec


@lru_cache(maxsize=2)
def load_topology(path: str = str(TOPOLOGY_PATH)) -> dict[str, Any]:
    """The bundled world-atlas TopoJSON (Natural Earth 1:110m; feature id = ISO numeric/M49)."""
    with open(path, encoding="utf-8") as fh:
        topology: dict[str, Any] = json.load(fh)
    return topology


def world_map(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    legend_title: str,
    labels: Mapping[str, str] | None = None,
    value_format: str = ",.1f",
    width: int = 640,
    height: int = 340,
    topology: Mapping[str, Any] | None = None,
) -> Spec:
    """Choropleth of one value per country, joined on the M49 code; countries without data grey.

    Rows: {"m49": "404", "name": "Kenya", "value": 27.5, "year": 2019}. The tooltip shows the
    name, value and the year of each country's value (years differ between countries).
    """
    values = []
    for row in rows:
        if row.get("value") is None or not row.get("m49"):
            continue
        values.append(
            {
                "m49": str(row["m49"]).zfill(3),
                "name": str(row.get("name", "")),
                "value": float(row["value"]),
                "year": int(row["year"]) if row.get("year") is not None else None,
            }
        )
    no_data = _label(labels, "no_data")
    name_title = _label(labels, "name")
    spec = _base(title=title, description=description, width=width, height=height)
    spec["data"] = {
        "values": dict(topology or load_topology()),
        "format": {"type": "topojson", "feature": "countries"},
    }
    spec["projection"] = {"type": "equalEarth"}
    spec["transform"] = [
        # Antarctica (010) takes a fifth of the map and has no data on these indicators.
        {"filter": "datum.id !== '010'"},
        {
            "lookup": "id",
            "from": {"data": {"values": values}, "key": "m49", "fields": ["name", "value", "year"]},
        },
        {
            "calculate": "isValid(datum.name) && datum.name !== '' ? datum.name : "
            "datum.properties.name",
            "as": "label",
        },
    ]
    spec["layer"] = [
        {
            # Only countries without a value: each country is drawn once (a smaller SVG).
            "transform": [
                {"filter": "!isValid(datum.value)"},
                {"calculate": json.dumps(no_data), "as": "no_data"},
            ],
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5},
            "encoding": {
                "color": {
                    "datum": no_data,
                    "type": "nominal",
                    "scale": {"domain": [no_data], "range": [NO_DATA]},
                    "legend": {"title": None, "orient": "bottom-left"},
                },
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": name_title},
                    {"field": "no_data", "type": "nominal", "title": _label(labels, "value")},
                ],
            },
        },
        {
            "transform": [{"filter": "isValid(datum.value)"}],
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5},
            "encoding": {
                "color": {
                    "field": "value",
                    "type": "quantitative",
                    "title": str(legend_title),
                    "scale": {"scheme": "orangered"},
                    # Inside the map over the empty South Pacific, so the chart (and the
                    # credits under it) start at the map's left edge.
                    "legend": {
                        "orient": "bottom-left",
                        "direction": "horizontal",
                        "gradientLength": 160,
                        "format": value_format,
                    },
                },
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": name_title},
                    {
                        "field": "value",
                        "type": "quantitative",
                        "title": _label(labels, "value"),
                        "format": value_format,
                    },
                    {
                        "field": "year",
                        "type": "quantitative",
                        "title": _label(labels, "year"),
                        "format": "d",
                    },
                ],
            },
        },
    ]
    spec["resolve"] = {"scale": {"color": "independent"}, "legend": {"color": "independent"}}
    spec["usermeta"] = {"table": values}
    return spec


def _decode_arcs(topology: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (longitude, latitude), undoing quantisation."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def _ring(
    arcs: list[list[tuple[float, float]]], indexes: Iterable[int]
) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _unwrapped(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring without jumps of 360 degrees where it crosses the antimeridian (Fiji, Russia)."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for index, (x, y) in enumerate(ring):
        if index:
            step = x + shift - out[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        out.append((x + shift, y))
    return out


def _ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Planar (longitude/latitude) area and centroid of a ring, by the shoelace formula."""
    ring = _unwrapped(ring)
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area), cx / (6 * area), cy / (6 * area)


@lru_cache(maxsize=2)
def _centroids(path: str) -> dict[str, tuple[float, float]]:
    return country_centroids(load_topology(path))


def country_centroids(topology: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Where to put each country's symbol: the centroid of its largest polygon (so France's
    circle sits on France, not between France and French Guiana), keyed by M49 code."""
    arcs = _decode_arcs(topology)
    out: dict[str, tuple[float, float]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if not geometry.get("id") or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        best = max(
            (_ring_area_centroid(_ring(arcs, polygon[0])) for polygon in polygons),
            key=lambda found: found[0],
        )
        longitude = (best[1] + 180) % 360 - 180
        out[str(geometry["id"])] = (round(longitude, 2), round(best[2], 2))
    return out


def symbol_map(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    legend_title: str,
    labels: Mapping[str, str] | None = None,
    value_format: str = ",.0f",
    width: int = 640,
    height: int = 340,
    topology: Mapping[str, Any] | None = None,
) -> Spec:
    """Proportional symbols for counts: one circle per country, its area proportional to the
    value, on grey countries; the size legend reads in the unit. A choropleth of counts would
    colour large countries dark for being large; circles let the reader compare amounts.

    Rows as for `world_map`. Countries without a value have no circle (the caption says so);
    countries the atlas cannot place (no polygon at 1:110m) are left out of the map but stay
    in `usermeta.table`, the chart's table.
    """
    topo = dict(topology or load_topology())
    centres = country_centroids(topo) if topology is not None else _centroids(str(TOPOLOGY_PATH))
    table: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    for row in rows:
        if row.get("value") is None or not row.get("m49"):
            continue
        m49 = str(row["m49"]).zfill(3)
        value = float(row["value"])
        item: dict[str, Any] = {
            "m49": m49,
            "name": str(row.get("name", "")),
            "value": value,
            "year": int(row["year"]) if row.get("year") is not None else None,
        }
        table.append(item)
        if m49 in centres and value > 0:
            lon, lat = centres[m49]
            points.append({**item, "lon": lon, "lat": lat})
    # Large circles first, so a small neighbour is drawn on top and stays visible.
    points.sort(key=lambda item: -item["value"])
    name_title = _label(labels, "name")
    spec = _base(title=title, description=description, width=width, height=height)
    spec["data"] = {"values": topo, "format": {"type": "topojson", "feature": "countries"}}
    spec["projection"] = {"type": "equalEarth"}
    spec["layer"] = [
        {
            "transform": [{"filter": "datum.id !== '010'"}],
            # The grey land is background: hidden from assistive technology (the table and
            # the circles' descriptions carry the figures).
            "mark": {
                "type": "geoshape",
                "fill": "#ececec",
                "stroke": "white",
                "strokeWidth": 0.5,
                "aria": False,
            },
        },
        {
            "data": {"values": points},
            "mark": {
                "type": "circle",
                "color": PALETTE[1],
                "opacity": 0.7,
                "stroke": "white",
                "strokeWidth": 0.75,
            },
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "size": {
                    "field": "value",
                    "type": "quantitative",
                    "title": str(legend_title),
                    # Area, not radius, proportional to the value: zero is no circle at all.
                    "scale": {"type": "linear", "zero": True, "range": [0, 1600]},
                    "legend": {
                        "orient": "top",
                        "direction": "horizontal",
                        "format": value_format,
                        "symbolFillColor": PALETTE[1],
                        "symbolStrokeColor": "white",
                        "symbolOpacity": 0.7,
                        "tickCount": 3,
                    },
                },
                "tooltip": [
                    {"field": "name", "type": "nominal", "title": name_title},
                    {
                        "field": "value",
                        "type": "quantitative",
                        "title": _label(labels, "value"),
                        "format": value_format,
                    },
                    {
                        "field": "year",
                        "type": "quantitative",
                        "title": _label(labels, "year"),
                        "format": "d",
                    },
                ],
            },
        },
    ]
    spec["usermeta"] = {"table": table}
    return spec


def sparkline(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    width: int = 120,
    height: int = 32,
    max_gap: int = 1,
) -> Spec:
    """A tiny trend line with the last point marked; no axes (the table carries the numbers).

    As in `line_chart`, a missing year breaks the line; each value has a small point so a value
    alone still shows. The title is kept in the spec for accessibility and downloads but not
    drawn. `render_svg` draws it directly as SVG (`charts.svg.sparkline_svg`, no chart
    engine); the spec stays a valid Vega-Lite spec for the browser.
    """
    values = _clean(rows, ("year", "value"))
    for item in values:
        item["year"] = int(item["year"])
    values.sort(key=lambda item: item["year"])
    last = values[-1:] if values else []
    x = {"field": "year", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    spec = _base(title=title, description=description, width=width, height=height)
    spec["config"]["title"] = {"fontSize": 0}
    spec["config"]["padding"] = 2
    spec["padding"] = 2
    spec["title"] = {"text": str(title), "fontSize": 0, "offset": 0}
    spec["data"] = {"values": values}
    # render_svg draws this kind directly (charts/svg.py), without vl-convert.
    spec["usermeta"] = {"kind": "sparkline", "max_gap": int(max_gap)}
    spec["layer"] = [
        {
            "transform": _segment_transform(max_gap, groupby=[]),
            "mark": {"type": "line", "color": PALETTE[0], "strokeWidth": 1.5},
            "encoding": {"x": x, "y": y, "detail": {"field": "segment", "type": "nominal"}},
        },
        {
            "data": {"values": last},
            "mark": {"type": "point", "filled": True, "color": PALETTE[0], "size": 16},
            "encoding": {"x": x, "y": y},
        },
        # after the last-point layer, which callers find at index 1
        {
            "mark": {"type": "point", "filled": True, "color": PALETTE[0], "size": 6},
            "encoding": {"x": x, "y": y},
        },
    ]
    return spec


def spec_title(spec: Mapping[str, Any]) -> str:
    """The title text whether the spec holds a string, a title object or lines of text."""
    title = spec.get("title", "")
    if isinstance(title, Mapping):
        title = title.get("text", "")
    if isinstance(title, list):
        return " ".join(str(line) for line in title)
    return str(title)


def wrap_text(text: str, *, chars: int) -> list[str]:
    """Lines of at most about `chars` characters, broken at spaces (Vega does not wrap text).

    A word longer than a line (a long URL) stays whole on its own line."""
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        if current and len(current) + 1 + len(word) > chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


CREDIT_LINE_HEIGHT = 14
CREDIT_FONT_SIZE = 11


def annotated(
    spec: Spec,
    *,
    subtitle: str = "",
    credits: Iterable[str] = (),
) -> Spec:
    """The chart with what a reader of a copy needs drawn into the image itself.

    The title is wrapped to the chart's width and gets a `subtitle` (e.g. the breakdown shown);
    `credits` (source, licence, date, address: already translated) are drawn as lines of small
    text under the chart, so an exported SVG or PNG carries them wherever it goes. The chart
    moves into the first view of a `vconcat`; top-level `data` stays where it is, so the table
    and the hash of the bundled map topology work as before. `usermeta.credits` keeps the lines
    for tests and for pages that show them as text.
    """
    width = int(spec.get("width") or 560)
    chars = max(30, width // 6)  # about 6 px per character at 11 px
    credits = [str(text) for text in credits]
    lines = [line for text in credits for line in wrap_text(text, chars=chars)]
    title_text = spec_title(spec)
    title: dict[str, Any] = {"text": wrap_text(title_text, chars=max(20, width // 8)) or [""]}
    if isinstance(spec.get("title"), Mapping):
        title = {**spec["title"], **title}
    if subtitle:
        title["subtitle"] = wrap_text(str(subtitle), chars=chars)
    outer_keys = {"$schema", "title", "description", "config", "usermeta", "data"}
    inner = {key: value for key, value in spec.items() if key not in outer_keys}
    out: Spec = {key: spec[key] for key in ("$schema", "description", "config") if key in spec}
    out["title"] = title
    if "data" in spec:
        out["data"] = spec["data"]
    meta = dict(spec.get("usermeta") or {})
    meta["credits"] = credits
    out["usermeta"] = meta
    if not lines:
        out.update(inner)
        return out
    footer = {
        "width": width,
        "height": CREDIT_LINE_HEIGHT * len(lines),
        "data": {
            "values": [{"text": line, "y": i * CREDIT_LINE_HEIGHT} for i, line in enumerate(lines)]
        },
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": CREDIT_FONT_SIZE,
            "color": MUTED,
        },
        "encoding": {
            "text": {"field": "text", "type": "nominal"},
            "x": {"value": 0},
            "y": {"field": "y", "type": "quantitative", "scale": None},
        },
    }
    out["vconcat"] = [inner, footer]
    out["spacing"] = 12
    # Legends stay with the chart (above the credits), not hoisted under the whole image.
    out["resolve"] = {
        "legend": {channel: "independent" for channel in ("color", "size", "shape")},
    }
    return out
