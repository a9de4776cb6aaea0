"""`{% chart %}`: a chart as a figure that works without JavaScript.

    {% load charts %}
    {% chart spec table=rows columns=cols csv_url=csv json_url=json id="cl-trend" %}
    {% chart_script %}   {# once per page, near the end of <body>: optional enhancement #}

See docs/howto/charts.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from sdg87.core.charts import render_svg, spec_hash, spec_title, with_locale
from sdg87.core.charts.render import defer_enabled, svg_or_defer

logger = logging.getLogger(__name__)
register = template.Library()

Column = tuple[str, str]


def _columns(columns: Iterable[Any] | None, rows: Sequence[Mapping[str, Any]]) -> list[Column]:
    if columns:
        out: list[Column] = []
        for col in columns:
            if isinstance(col, Mapping):
                out.append((str(col["key"]), str(col.get("label", col["key"]))))
            elif isinstance(col, str):
                out.append((col, col))
            else:
                key, label = col
                out.append((str(key), str(label)))
        return out
    if not rows:
        return []
    return [(str(key), str(key)) for key in rows[0]]


def _default_rows(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    meta = spec.get("usermeta") or {}
    if isinstance(meta, Mapping) and isinstance(meta.get("table"), list):
        return list(meta["table"])
    values = (spec.get("data") or {}).get("values")
    return list(values) if isinstance(values, list) else []


def accessible_svg(svg: str, *, base_id: str, title: str, description: str) -> str:
    """Give the SVG an accessible name and description (role=img, <title>, <desc>)."""
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        return ""
    opening = svg[start:end]
    if opening.endswith("/"):
        return ""
    labelled = f"{base_id}-title {base_id}-desc"
    opening += f' role="img" aria-labelledby="{labelled}" focusable="false"'
    head = (
        f'<title id="{base_id}-title">{escape(title)}</title>'
        f'<desc id="{base_id}-desc">{escape(description)}</desc>'
    )
    return opening + ">" + head + svg[end + 1 :]


@register.simple_tag(takes_context=True)
def chart(
    context: template.Context,
    spec: Mapping[str, Any],
    *,
    table: Sequence[Mapping[str, Any]] | None = None,
    columns: Iterable[Any] | None = None,
    csv_url: str = "",
    json_url: str = "",
    id: str = "",
    caption: str = "",
    embed_url: str = "",
    page_url: str = "",
) -> SafeString:
    """Render a chart figure: inline SVG, caption, data table, downloads and embed code.

    With `embed_url` (an absolute address of a page that shows this chart and its table and
    may be framed), the embed code is an interactive <iframe> of it, with the static image as
    the fallback for places that do not allow iframes (linking `page_url` when given)."""
    spec = with_locale(dict(spec), get_language())
    digest = spec_hash(spec)
    base_id = id or f"chart-{digest[:10]}"
    title = spec_title(spec)
    description = str(spec.get("description", ""))
    deferred = False
    try:
        drawn = svg_or_defer(spec, digest=digest) if defer_enabled() else render_svg(spec)
        deferred = drawn is None
        svg = (
            accessible_svg(drawn, base_id=base_id, title=title, description=description)
            if drawn is not None
            else ""
        )
    except Exception:  # a broken chart must not break the page: the table still shows
        logger.exception("chart %s could not be rendered", digest[:12])
        svg = ""
    rows = list(table) if table is not None else _default_rows(spec)
    cols = _columns(columns, rows)
    svg_url = reverse("core:chart-file", kwargs={"digest": digest, "fmt": "svg"})
    png_url = reverse("core:chart-file", kwargs={"digest": digest, "fmt": "png"})
    spec_url = reverse("core:chart-file", kwargs={"digest": digest, "fmt": "vl.json"})
    request = context.get("request")
    svg_abs = (
        request.build_absolute_uri(svg_url)
        if request is not None
        else str(getattr(settings, "SITE_URL", "")).rstrip("/") + svg_url
    )
    width = spec.get("width")
    width_attr = f' width="{width}"' if isinstance(width, int) else ""
    embed = f'<img src="{svg_abs}"{width_attr} alt="{escape(title)}. {escape(description)}">'
    if page_url:
        embed = f'<a href="{escape(page_url)}">{embed}</a>'
    embed_iframe = ""
    if embed_url:
        embed_iframe = (
            f'<iframe src="{escape(embed_url)}" title="{escape(title)}" width="100%" '
            f'height="{_embed_height(spec)}" loading="lazy"></iframe>'
        )
    html = render_to_string(
        "core/chart.html",
        {
            "base_id": base_id,
            "svg": mark_safe(svg),
            "deferred": deferred,
            "title": title,
            "description": description,
            "caption": caption or description,
            "rows": [[row.get(key, "") for key, _label in cols] for row in rows],
            "columns": cols,
            "csv_url": csv_url,
            "json_url": json_url,
            "svg_url": svg_url,
            "png_url": png_url,
            "spec_url": spec_url,
            "embed": embed,
            "embed_iframe": embed_iframe,
            "digest": digest,
        },
        request=context.get("request"),
    )
    return mark_safe(html)


def _embed_height(spec: Mapping[str, Any]) -> int:
    """Room for the chart (its views, title and credit lines) and the table's summary line."""
    views = spec.get("vconcat") or [spec]
    height = sum(int(view.get("height") or 0) for view in views if isinstance(view, Mapping))
    return height + 40 * len(views) + 200


VENDOR = {
    "vega": "vendor/vega/vega.min.js",
    "vega-lite": "vendor/vega-lite/vega-lite.min.js",
    "vega-embed": "vendor/vega-embed/vega-embed.min.js",
    "vega-interpreter": "vendor/vega-interpreter/vega-interpreter.min.js",
}


@register.simple_tag
def chart_script() -> SafeString:
    """The optional enhancement script; it loads the vendored Vega files only when needed."""
    attrs = " ".join(f'data-{name}="{escape(static(path))}"' for name, path in VENDOR.items())
    src = escape(static("src/charts.js"))
    return mark_safe(f'<script src="{src}" defer {attrs}></script>')


@register.simple_tag
def chart_styles() -> SafeString:
    """The chart stylesheet link (figures, tables, tooltips)."""
    return mark_safe(f'<link rel="stylesheet" href="{escape(static("src/charts.css"))}">')


@register.simple_tag
def chart_inline(spec: Mapping[str, Any], *, id: str = "") -> SafeString:
    """Only the accessible SVG (no figure, table or links), e.g. a sparkline in a table cell
    whose row already shows the numbers. Empty if the chart cannot be drawn."""
    spec = with_locale(dict(spec), get_language())
    digest = spec_hash(spec)
    base_id = id or f"chart-{digest[:10]}"
    try:
        svg = render_svg(spec)
    except Exception:
        logger.exception("chart %s could not be rendered", digest[:12])
        return mark_safe("")
    svg = accessible_svg(
        svg,
        base_id=base_id,
        title=spec_title(spec),
        description=str(spec.get("description", "")),
    )
    return mark_safe(f'<span class="chart-inline">{svg}</span>')
