"""Server-side rendering of Vega-Lite specs to SVG/PNG with vl-convert, cached by spec hash.

Two cache levels: the Django cache (fast, per process or shared) and files under
`var/charts/` (shared by all gunicorn workers and surviving restarts). The files are also what
`/charts/<hash>.svg|.png|.vl.json` serve, so a chart can be downloaded or embedded later.

A chart is drawn once however many processes ask for it at the same moment (a deferred chart's
first page views, two nodes warming up): the drawing holds a per-digest file lock in the store
(`drawing_lock`); the others wait for it and read what it drew.

The SVG is made safe to inline in a page under the strict CSP: no <script>, no <style>
element, no `style="..."` attributes (converted to presentation attributes, which CSP does
not govern), no event-handler attributes, and ids prefixed per spec so two charts on one
page never share a clip-path id.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

from sdg87.core.charts.svg import direct_svg, is_direct

logger = logging.getLogger(__name__)

# Vega-Lite version used by vl-convert; keep equal to the major.minor vendored in
# static/vendor/vega-lite (6.4.3) so server and browser draw the same chart.
VL_VERSION = "6.4"
CACHE_PREFIX = "chart:v1:"
HASH_RE = re.compile(r"^[0-9a-f]{64}$")
FORMAT_LOCALES = {"fr": "fr-FR", "es": "es-ES", "en": "en-US"}

Spec = dict[str, Any]

# Level 0: a small per-process LRU, so a page with a world map (about 150 KB of SVG) does not
# unpickle it from the shared cache on every request.
MEMORY_LIMIT_BYTES = 16 * 1024 * 1024
_memory: OrderedDict[str, str] = OrderedDict()
_memory_bytes = 0
_memory_lock = threading.Lock()


def _memory_get(digest: str) -> str | None:
    with _memory_lock:
        svg = _memory.get(digest)
        if svg is not None:
            _memory.move_to_end(digest)
        return svg


def _memory_put(digest: str, svg: str) -> None:
    global _memory_bytes
    with _memory_lock:
        if digest in _memory:
            return
        _memory[digest] = svg
        _memory_bytes += len(svg)
        while _memory_bytes > MEMORY_LIMIT_BYTES and len(_memory) > 1:
            _old, evicted = _memory.popitem(last=False)
            _memory_bytes -= len(evicted)


def memory_clear() -> None:
    """Empty the per-process level (tests)."""
    global _memory_bytes
    with _memory_lock:
        _memory.clear()
        _memory_bytes = 0


def canonical_json(spec: Spec) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_topology_digest: str | None = None


def _bundled_topology_digest(values: Any) -> str | None:
    """The digest of the bundled world TopoJSON when `values` is (a shallow copy of) it."""
    global _topology_digest
    from sdg87.core.charts.specs import load_topology

    topology = load_topology()
    if not isinstance(values, dict) or values.get("arcs") is not topology["arcs"]:
        return None
    if values.get("objects") is not topology["objects"] or len(values) != len(topology):
        return None
    if _topology_digest is None:
        _topology_digest = hashlib.sha256(canonical_json(topology).encode("utf-8")).hexdigest()
    return _topology_digest


def spec_hash(spec: Spec) -> str:
    """sha256 of the canonical JSON of the spec: the chart's identity in caches and URLs.

    The bundled 108 KB world TopoJSON is hashed once per process and stands in for itself, so
    a map's hash costs the same as a small chart's.
    """
    data = spec.get("data")
    if isinstance(data, dict):
        topology = _bundled_topology_digest(data.get("values"))
        if topology is not None:
            spec = {**spec, "data": {**data, "values": f"bundled-topology:sha256:{topology}"}}
    return hashlib.sha256(canonical_json(spec).encode("utf-8")).hexdigest()


def chart_dir() -> Path:
    configured = getattr(settings, "SDG87_CHART_DIR", None)
    path = Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "charts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def chart_path(digest: str, ext: str) -> Path:
    if not HASH_RE.match(digest):
        raise ValueError("not a chart hash")
    return chart_dir() / f"{digest}.{ext}"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def with_locale(spec: Spec, language: str | None) -> Spec:
    """Copy of the spec carrying the number-format locale for `language` (en/fr/es).

    The locale lives in `usermeta` so that it is part of the hash and the browser upgrade
    (charts.js) formats numbers the same way as the server.
    """
    lang = (language or "en")[:2]
    meta = dict(spec.get("usermeta") or {})
    if meta.get("locale"):
        return spec
    meta["locale"] = FORMAT_LOCALES.get(lang, "en-US")
    if meta["locale"] != "en-US":
        import vl_convert as vlc

        # The d3-format definition itself, for vega-embed's `formatLocale` in the browser.
        meta["formatLocale"] = vlc.get_format_locale(meta["locale"])
    return {**spec, "usermeta": meta}


def _format_locale(spec: Spec) -> str | None:
    meta = spec.get("usermeta") or {}
    locale = meta.get("locale") if isinstance(meta, dict) else None
    return str(locale) if locale else None


def _convert_kwargs(spec: Spec) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"vl_version": VL_VERSION}
    locale = _format_locale(spec)
    if locale:
        kwargs["format_locale"] = locale
    return kwargs


_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style\s*>|<style\b[^>]*/>", re.S | re.I)
_SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script\s*>|<script\b[^>]*/>", re.S | re.I)
_FOREIGN = re.compile(r"<foreignObject\b.*?</foreignObject\s*>", re.S | re.I)
_EVENT_ATTR = re.compile(r"\s+on[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_STYLE_ATTR = re.compile(r"\sstyle\s*=\s*\"([^\"]*)\"", re.I)
_JS_HREF = re.compile(r"(\s(?:xlink:)?href\s*=\s*\")\s*javascript:[^\"]*\"", re.I)
_ID_ATTR = re.compile(r"\sid=\"([^\"]+)\"")
_PRESENTATION = re.compile(r"^[a-z-]+$")
_PATH_D = re.compile(r"\sd=\"([^\"]*)\"")
_LONG_DECIMAL = re.compile(r"(-?\d+\.\d)\d+")


def _shorten_path(match: re.Match[str]) -> str:
    # 0.1 px is below what a screen shows; cuts the world map by a fifth.
    return ' d="' + _LONG_DECIMAL.sub(r"\1", match.group(1)) + '"'


def _style_to_attributes(match: re.Match[str]) -> str:
    attrs = []
    for decl in match.group(1).split(";"):
        if ":" not in decl:
            continue
        name, value = (part.strip() for part in decl.split(":", 1))
        if _PRESENTATION.match(name) and '"' not in value and "url(" not in value.lower():
            attrs.append(f' {name}="{value}"')
    return "".join(attrs)


def sanitize_svg(svg: str, *, id_prefix: str) -> str:
    """Make vl-convert's SVG safe to inline under `style-src 'self'; script-src 'self'`."""
    svg = _SCRIPT_ELEMENT.sub("", svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _FOREIGN.sub("", svg)
    svg = _EVENT_ATTR.sub("", svg)
    svg = _JS_HREF.sub(r'\1#"', svg)
    svg = _STYLE_ATTR.sub(_style_to_attributes, svg)
    svg = _PATH_D.sub(_shorten_path, svg)
    ids = set(_ID_ATTR.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{id_prefix}{old}"
        svg = svg.replace(f' id="{old}"', f' id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    return svg


def _store_spec(digest: str, spec: Spec) -> None:
    path = chart_path(digest, "vl.json")
    if not path.exists():
        _write_atomic(path, canonical_json(spec).encode("utf-8"))


def stored_svg(spec: Spec, *, digest: str | None = None) -> str | None:
    """The spec's SVG if it is already drawn (per-process memory, Django cache or chart
    store), else None: never runs the chart engine. Sparklines are always "stored"."""
    if is_direct(spec):
        return direct_svg(spec)
    digest = digest or spec_hash(spec)
    remembered = _memory_get(digest)
    if remembered is not None:
        return remembered
    key = f"{CACHE_PREFIX}svg:{digest}"
    cached = cache.get(key)
    if cached is not None:
        _memory_put(digest, str(cached))
        return str(cached)
    path = chart_path(digest, "svg")
    try:
        svg = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    cache.set(key, svg, timeout=None)
    _memory_put(digest, svg)
    return svg


def render_svg(spec: Spec, *, digest: str | None = None) -> str:
    """SVG markup for the spec (sanitised, ids prefixed), from cache when possible.

    Sparklines are drawn directly by a pure function (`charts.svg`): cheaper than any cache
    lookup, so neither cached nor stored. `digest`: the spec's hash when known (a spec read
    back from the store, whose map topology no longer hashes as the bundled one)."""
    if is_direct(spec):
        digest = None
    elif digest is None:
        digest = spec_hash(spec)
    found = stored_svg(spec, digest=digest)
    if found is not None:
        return found
    assert digest is not None
    with drawing_lock(digest, "svg"):
        found = stored_svg(spec, digest=digest)  # drawn while this process waited
        if found is not None:
            return found
        import vl_convert as vlc

        started = time.perf_counter()
        raw = vlc.vegalite_to_svg(spec, **_convert_kwargs(spec))
        svg = sanitize_svg(raw, id_prefix=f"c{digest[:8]}-")
        logger.info("chart %s rendered to SVG in %.0f ms", digest[:12], _ms(started))
        _store_spec(digest, spec)
        _write_atomic(chart_path(digest, "svg"), svg.encode("utf-8"))
        cache.set(f"{CACHE_PREFIX}svg:{digest}", svg, timeout=None)
        _memory_put(digest, svg)
    return svg


# The per-digest drawing lock. flock(2) on a file of the chart store: it holds across gunicorn
# workers and nodes sharing the store, and the kernel releases it when its holder exits,
# however it exits (SIGKILL, an out-of-memory kill, gunicorn's timeout), so a dead drawer never
# blocks anyone. A drawer that hangs alive is waited for at most SDG87_CHART_LOCK_SECONDS; then
# the waiter draws the chart itself.
LOCK_WAIT_SECONDS = 30.0
LOCK_POLL_SECONDS = 0.02


@contextmanager
def drawing_lock(digest: str, ext: str) -> Iterator[bool]:
    """Exclusive right to draw chart `digest` as `ext` across processes (see above); yields
    whether the lock is held. The holder removes the lock file when it leaves, drawn or failed
    (a later process opening the path gets a new file, which is safe because whoever takes the
    lock looks in the store first)."""
    path = chart_path(digest, ext).with_name(f".lock-{digest}.{ext}")
    patience = float(getattr(settings, "SDG87_CHART_LOCK_SECONDS", LOCK_WAIT_SECONDS))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    held = False
    try:
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if time.monotonic() - started >= patience:
                    logger.warning(
                        "chart %s: still being drawn elsewhere after %.0f s, drawing it here",
                        digest[:12],
                        patience,
                    )
                    break
                time.sleep(LOCK_POLL_SECONDS)
        waited = time.monotonic() - started
        if waited >= LOCK_POLL_SECONDS:
            logger.info("chart %s: waited %.0f ms for another drawer", digest[:12], waited * 1000)
        yield held
    finally:
        if held:
            path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


# Deferred drawing (issue 15): a page whose chart is not drawn yet does not wait for the chart
# engine (100-300 ms a chart). It stores the spec and shows the chart as an image of
# /charts/<hash>.svg, which that request draws once (sdg87.core.views.chart_file); the figure's
# table, caption and downloads are in the page as always. Off under `charts_drawn_inline()`
# (the page warm-up, which is there to fill the chart store) and with SDG87_CHART_DEFER False.
_inline = threading.local()


def defer_enabled() -> bool:
    if getattr(_inline, "depth", 0):
        return False
    return bool(getattr(settings, "SDG87_CHART_DEFER", True))


@contextmanager
def charts_drawn_inline() -> Iterator[None]:
    """Within this block, `{% chart %}` draws every chart before the page is sent."""
    _inline.depth = getattr(_inline, "depth", 0) + 1
    try:
        yield
    finally:
        _inline.depth -= 1


def svg_or_defer(spec: Spec, *, digest: str) -> str | None:
    """The SVG when it is drawn already or deferring is off (drawing it then); else None,
    the spec stored so that /charts/<digest>.svg can draw it."""
    if not defer_enabled():
        return render_svg(spec, digest=digest)
    found = stored_svg(spec, digest=None if is_direct(spec) else digest)
    if found is not None:
        return found
    _store_spec(digest, spec)
    return None


def render_png(spec: Spec, *, scale: float = 2.0) -> bytes:
    """PNG bytes for downloads; cached on disk only (images are large for the Django cache)."""
    digest = spec_hash(spec)
    path = chart_path(digest, "png" if scale == 2.0 else f"{scale:g}x.png")
    if path.exists():
        return path.read_bytes()
    with drawing_lock(digest, path.name.split(".", 1)[1]):
        if path.exists():  # drawn while this process waited
            return path.read_bytes()
        import vl_convert as vlc

        started = time.perf_counter()
        png: bytes = vlc.vegalite_to_png(spec, scale=scale, **_convert_kwargs(spec))
        logger.info("chart %s rendered to PNG in %.0f ms", digest[:12], _ms(started))
        _store_spec(digest, spec)
        _write_atomic(path, png)
    return png


def stored_spec(digest: str) -> Spec | None:
    """The spec saved when a chart was first rendered, or None for an unknown hash."""
    try:
        path = chart_path(digest, "vl.json")
    except ValueError:
        return None
    if not path.exists():
        return None
    spec: Spec = json.loads(path.read_text(encoding="utf-8"))
    return spec


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
