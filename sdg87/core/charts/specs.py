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
) -> Spec:
    """Values over time, one line per geography (`geo`), points with value/year/nature tooltips.

    With `target_year`, a dashed rule marks the target year and a diamond marks the target
    (zero) at that year, so the remaining distance is visible.
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
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {"x": x, "y": y, "color": color},
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
                    "legend": {"orient": "left", "format": value_format},
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


def sparkline(
    rows: Iterable[Row],
    *,
    title: str,
    description: str,
    width: int = 120,
    height: int = 32,
) -> Spec:
    """A tiny trend line with the last point marked; no axes (the table carries the numbers).

    The title is kept in the spec for accessibility and downloads but not drawn.
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
    spec["layer"] = [
        {
            "mark": {"type": "line", "color": PALETTE[0], "strokeWidth": 1.5},
            "encoding": {"x": x, "y": y},
        },
        {
            "data": {"values": last},
            "mark": {"type": "point", "filled": True, "color": PALETTE[0], "size": 16},
            "encoding": {"x": x, "y": y},
        },
    ]
    return spec


def spec_title(spec: Mapping[str, Any]) -> str:
    """The title text whether the spec holds a string or a title object."""
    title = spec.get("title", "")
    if isinstance(title, Mapping):
        return str(title.get("text", ""))
    return str(title)
