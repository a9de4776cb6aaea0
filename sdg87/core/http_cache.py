"""HTTP caching of public pages and API answers: validators from the data version, conditional
GET, Cache-Control that a CDN or nginx may follow safely, and canonical query strings.

- Validators. A public answer's `ETag` and `Last-Modified` come from what decides its content
  before it is rendered: the data version (sdg87.core.cache, bumped by every write the public
  can see), the code build, the day (pages show how old a figure is), the language and the
  canonical address. So a revalidation (`If-None-Match`, `If-Modified-Since`) is answered
  `304 Not Modified` without rendering or hashing a body, and any data change changes the
  ETag. The ETag is weak (`W/`): two renders of a page are equivalent, not byte-identical
  (CSP nonces).
- Cache-Control. Anonymous GETs of public pages and API answers are `public, max-age=N,
  stale-while-revalidate=N`; anything for a signed-in user, anything that put a CSRF token in
  the page, and private results (screenings, workspaces: their views say `private, no-store`)
  is `private, no-store`, which `HttpCacheMiddleware` enforces for every response.
- Canonical queries. Tracking parameters (utm_*, fbclid, gclid, ...) are dropped and the
  others put in key order (values of one key keep their order: `geo=KEN&geo=NPL` orders a
  chart's lines) before any view or cache sees the request, so `?b=1&a=2` and
  `?a=2&b=1&utm_source=x` are one cache entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from functools import cache as memoize
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from sdg87.core.cache import data_version, data_version_changed_at

TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl"}
)
PRIVATE = "private, no-store"
# Paths whose query strings are made canonical: the public pages and the API.
CANONICAL_PREFIXES = ("/api/",)
_STARTED = int(time.time())


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_query(query: str) -> str:
    """The query string without tracking parameters, keys in order (a key's values keep theirs).

    >>> canonical_query("b=1&a=2") == canonical_query("a=2&b=1&utm_source=x")
    True
    """
    pairs = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not is_tracking(key)
    ]
    pairs.sort(key=lambda pair: pair[0])  # stable: values of one key keep their order
    return urlencode(pairs)


def canonicalize(request: HttpRequest) -> None:
    """Rewrite the request's query string (and GET) to its canonical form, in place."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return
    # WSGI gives the raw bytes decoded as ISO-8859-1 (PEP 3333): a browser's percent-escapes
    # are ASCII, but a client may send UTF-8 as is ("?q=côte"); read it as Django does.
    text = raw.encode("iso-8859-1", errors="replace").decode("utf-8", errors="replace")
    query = canonical_query(text)
    if query != raw:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


@memoize
def build_id() -> str:
    """What identifies the deployed code: SDG87_BUILD_ID when set, else the git commit of the
    checkout, else the process start (then validators change on every restart: safe)."""
    configured = getattr(settings, "SDG87_BUILD_ID", "")
    if configured:
        return str(configured)
    git = Path(settings.BASE_DIR) / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            ref_file = git / ref
            if ref_file.exists():
                return ref_file.read_text().strip()
            common = git / "commondir"
            base = (git / common.read_text().strip()) if common.exists() else git
            if (base / ref).exists():
                return (base / ref).read_text().strip()
            for line in (base / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
        return head
    except (OSError, IndexError):
        return f"start-{_STARTED}"


def last_modified() -> int:
    """Seconds since the epoch of the last change that can alter a public answer: a data
    change, a restart (new code), the start of the day (ages of figures)."""
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(data_version_changed_at(), _STARTED, int(today.timestamp()))


def etag_for(request: HttpRequest, *, scope: str) -> str:
    """A weak ETag from the data version, build, day, language and canonical address."""
    version = data_version()
    day = dt.datetime.now(dt.UTC).date().isoformat()
    raw = "|".join(
        [
            scope,
            str(version),
            build_id(),
            day,
            get_language() or "",
            request.path,
            canonical_query(request.META.get("QUERY_STRING", "")),
        ]
    )
    return f'W/"{scope}{version}-{hashlib.sha256(raw.encode()).hexdigest()[:20]}"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def is_fresh(request: HttpRequest, *, etag: str, modified: int) -> bool:
    """Whether the client's copy is current (If-None-Match first, else If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = [_opaque(tag) for tag in if_none_match.split(",")]
        return "*" in tags or _opaque(etag) in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and modified <= since


def public_headers(response: HttpResponseBase, *, etag: str, modified: int, max_age: int) -> None:
    """Mark an anonymous answer cacheable by browsers and shared caches."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = (
        f"public, max-age={max_age}, stale-while-revalidate={max(max_age, 60)}"
    )


def not_modified(
    *, etag: str, modified: int, max_age: int, vary: tuple[str, ...]
) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    public_headers(response, etag=etag, modified=modified, max_age=max_age)
    patch_vary_headers(response, vary)
    return response


def csrf_token_used(request: HttpRequest) -> bool:
    """Whether rendering put a CSRF token in the answer (a form): never for a shared cache."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED")
    )


def make_private(response: HttpResponseBase) -> None:
    response["Cache-Control"] = PRIVATE
    for header in ("ETag", "Last-Modified", "Expires"):
        if header in response:
            del response[header]


def is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class HttpCacheMiddleware:
    """Canonical query strings on the way in; on the way out, nothing `public` for a signed-in
    user or for a page carrying a CSRF token (`private, no-store` instead)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
        self.prefixes = CANONICAL_PREFIXES + languages

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and request.path.startswith(self.prefixes):
            canonicalize(request)
        response = self.get_response(request)
        control = response.get("Cache-Control", "")
        if "no-store" in control and "private" in control:
            return response
        if is_signed_in(request) or csrf_token_used(request):
            make_private(response)
        return response


PageView = Callable[..., HttpResponse]
