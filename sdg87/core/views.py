"""Chart downloads: /charts/<sha256>.svg|.png|.vl.json, served from the chart cache.

Charts are content-addressed (the hash of their spec), so responses never change and are
cached for a year. A hash whose spec the server never stored is a 404: nothing is rendered
from user input here (an SVG is drawn on first request only from a spec a page stored).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from sdg87.core.charts import render_png, render_svg, stored_spec
from sdg87.core.charts.render import canonical_json

CONTENT_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "vl.json": "application/json",
}


@require_safe
def chart_file(request: HttpRequest, digest: str, fmt: str) -> HttpResponse:
    spec = stored_spec(digest)
    if spec is None or fmt not in CONTENT_TYPES:
        raise Http404("unknown chart")
    body: bytes
    if fmt == "svg":
        # A page that did not wait for the chart engine shows this address as an image: the
        # first request draws it (render.svg_or_defer), from the spec the site stored.
        body = render_svg(spec, digest=digest).encode("utf-8")
    elif fmt == "png":
        body = render_png(spec)
    else:
        body = canonical_json(spec).encode("utf-8")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Access-Control-Allow-Origin"] = "*"
    if fmt == "svg":
        # Opened directly, the SVG is its own document: forbid anything active in it.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask every site for /favicon.ico: send them to the hashed static file."""
    return HttpResponseRedirect(static("favicon.ico"))
