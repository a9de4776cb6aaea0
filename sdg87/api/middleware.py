"""The REST API's front door for anonymous callers: parameters, cache and time budget.

- Parameters: an operation's undeclared query parameters are dropped before the view runs
  (the API ignores them anyway), so they can neither change an answer, nor its `next` link,
  nor its cache key.
- HTTP caching: anonymous GET answers (screenings and the docs excepted) carry a weak ETag
  and Last-Modified derived from the data version (sdg87.core.http_cache), answer 304 to a
  matching If-None-Match/If-Modified-Since before any work, and say `public, max-age,
  stale-while-revalidate` with `Vary: Accept, Accept-Language, Cookie`; signed-in callers get
  `private, no-store`.
- Cache: anonymous GET answers are kept a short while, keyed by the data version, the
  language, the path and the declared parameters in sorted order. Statistics change only when
  data is loaded or a dataset is published, and both bump sdg87.core.cache's data version, so
  a cached answer is never stale. Signed-in users, requests with an Authorization header,
  streamed CSV exports and the interactive docs are never cached.
- Time budget: every answer computed for an anonymous caller (not served from the cache)
  spends its serving time, streamed CSV included, from its client address's budget
  (SDG87_API_ANON_SECONDS per SDG87_API_ANON_WINDOW seconds). Once spent, the API answers 429
  with Retry-After until the window ends: a handful of full exports or huge `latest` pages
  from one address cannot hold the workers.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from functools import cache as memoize
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sdg87.api.errors import error_body
from sdg87.core import http_cache
from sdg87.core.cache import data_version
from sdg87.core.client_ip import client_ip, rate_subject
from sdg87.core.ratelimit import Limit

PREFIX = "/api/v1/"
# Screenings are private results (the id is the capability): never kept in a shared cache.
EXCLUDED = ("/api/v1/docs", "/api/v1/screenings")
# Answers may differ by format negotiation (Accept), language and signing in.
API_VARY = ("Accept", "Accept-Language", "Cookie")
BUDGET_UNIT = 0.1  # seconds: the budget is counted in tenths of a second


@memoize
def _operations() -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """(path pattern, declared query parameters) of every GET operation, from the OpenAPI
    document (built once per process)."""
    from config.api import api

    schema = api.get_openapi_schema(path_prefix=PREFIX)
    operations = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if get is None:
            continue
        names = frozenset(p["name"] for p in get.get("parameters", []) if p["in"] == "query")
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
        operations.append((re.compile(pattern + r"\Z"), names))
    return operations


def declared_parameters(path: str) -> frozenset[str] | None:
    """The query parameters the GET operation at `path` declares; None when no operation
    matches (a 404: left alone)."""
    for pattern, names in _operations():
        if pattern.match(path):
            return names
    return None


def api_budget() -> Limit:
    """Serving time of anonymous, uncached API answers per client address per window."""
    seconds = getattr(settings, "SDG87_API_ANON_SECONDS", 0)
    return Limit(
        "api-anon-time",
        int(seconds / BUDGET_UNIT),
        getattr(settings, "SDG87_API_ANON_WINDOW", 600),
    )


class PublicApiCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(PREFIX):
            return self.get_response(request)
        self._drop_undeclared(request)
        anonymous = not request.user.is_authenticated
        seconds = getattr(settings, "SDG87_API_CACHE_SECONDS", 0)
        public = anonymous and self._cacheable(request)
        cacheable = bool(seconds) and public
        etag = http_cache.etag_for(request, scope="a") if public else ""
        modified = http_cache.last_modified() if public else 0
        if public and http_cache.is_fresh(request, etag=etag, modified=modified):
            return http_cache.not_modified(
                etag=etag, modified=modified, max_age=seconds, vary=API_VARY
            )
        key = self._key(request) if cacheable else ""
        if cacheable:
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
                self._public(response, etag=etag, modified=modified, seconds=seconds)
                return response
        budget = api_budget() if anonymous else None
        subject = rate_subject(client_ip(request))
        if budget is not None and budget.exceeded(subject):
            return self._too_many(budget)
        started = time.monotonic()
        response = self.get_response(request)
        if budget is not None and budget.limit > 0:
            if isinstance(response, StreamingHttpResponse):
                response.streaming_content = _charged(
                    response.streaming_content, budget, subject, started
                )
            else:
                _charge(budget, subject, time.monotonic() - started)
        if cacheable and response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
            response["X-Cache"] = "miss"
        if public and response.status_code == 200:
            self._public(response, etag=etag, modified=modified, seconds=seconds)
        elif not anonymous:
            http_cache.make_private(response)
        return response

    @staticmethod
    def _public(response: HttpResponseBase, *, etag: str, modified: int, seconds: int) -> None:
        """Validators from the data version and `public` caching (the view said nothing
        stricter), varying on what negotiation and signing in may change."""
        if "private" in response.get("Cache-Control", ""):
            return
        http_cache.public_headers(response, etag=etag, modified=modified, max_age=seconds)
        patch_vary_headers(response, API_VARY)

    @staticmethod
    def _drop_undeclared(request: HttpRequest) -> None:
        declared = declared_parameters(request.path)
        if declared is None or set(request.GET) <= declared:
            return
        kept = [(k, v) for k, values in request.GET.lists() if k in declared for v in values]
        query = urlencode(kept)
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query

    @staticmethod
    def _cacheable(request: HttpRequest) -> bool:
        return not request.path.startswith(EXCLUDED) and "Authorization" not in request.headers

    @staticmethod
    def _key(request: HttpRequest) -> str:
        query = urlencode(sorted(request.GET.lists()), doseq=True)
        raw = f"{data_version()}|{get_language()}|{request.path}|{query}"
        return "sdg87:api:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def _too_many(budget: Limit) -> HttpResponse:
        retry = budget.retry_after()
        message = _(
            "Too many expensive requests from your address: try again in %(seconds)s seconds, "
            "narrow the query (series, country, years) or sign in."
        ) % {"seconds": retry}
        response = JsonResponse(error_body(code="rate_limited", message=message), status=429)
        response["Retry-After"] = str(retry)
        return response


def _charge(budget: Limit, subject: str, elapsed: float) -> None:
    budget.hit(subject, amount=max(1, math.ceil(elapsed / BUDGET_UNIT)))


def _charged(
    content: Iterable[bytes], budget: Limit, subject: str, started: float
) -> Iterator[bytes]:
    """The streamed body, charging its serving time when it ends or the client goes away."""
    try:
        yield from content
    finally:
        _charge(budget, subject, time.monotonic() - started)
