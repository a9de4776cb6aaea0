"""Short-lived cache of anonymous GET answers of the REST API, keyed by the data version.

Statistics change only when data is loaded or a dataset is published, and both bump
sdg87.core.cache's data version, so a cached answer is never stale. Requests that carry a
session cookie or an Authorization header, CSV exports (streamed) and the interactive docs
are never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from sdg87.core.cache import data_version

PREFIX = "/api/v1/"
EXCLUDED = ("/api/v1/docs",)


class PublicApiCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = getattr(settings, "SDG87_API_CACHE_SECONDS", 0)
        if not seconds or not self._cacheable(request):
            return self.get_response(request)
        key = self._key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and request.path.startswith(PREFIX)
            and not request.path.startswith(EXCLUDED)
            and request.GET.get("format") != "csv"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "Authorization" not in request.headers
        )

    @staticmethod
    def _key(request: HttpRequest) -> str:
        raw = f"{data_version()}|{get_language()}|{request.get_full_path()}"
        return "sdg87:api:" + hashlib.sha256(raw.encode()).hexdigest()
