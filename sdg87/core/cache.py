"""A global data version: cached public responses are keyed by it, and every write that can
change what the public sees bumps it, so no cached answer outlives the data behind it.

The version also gives public pages and API answers their HTTP validators
(sdg87.core.http_cache): `ETag` from the version, `Last-Modified` from the time it last
changed. After each bump, `data_version_changed` is sent (sdg87.site warms the most visited
pages in the background on it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_page

DATA_VERSION_KEY = "sdg87:data-version"
DATA_VERSION_AT_KEY = "sdg87:data-version-at"

# Sent (after the commit) each time the data version is bumped; keyword argument `version`.
data_version_changed = Signal()


# Within one request the version and its time are read from the shared cache once, then
# remembered (the API asks three or four times per answer: ETag, Last-Modified, response cache
# key, label cache; each a cache round trip). Set empty by request_started, dropped by
# request_finished and by a bump in this process; outside requests nothing is remembered.
_request_memo: ContextVar[dict[str, int] | None] = ContextVar(
    "sdg87_data_version_memo", default=None
)


def _memo_start(**_kwargs: Any) -> None:
    _request_memo.set({})


def _memo_end(**_kwargs: Any) -> None:
    _request_memo.set(None)


request_started.connect(_memo_start, dispatch_uid="sdg87.core.cache.memo_start")
request_finished.connect(_memo_end, dispatch_uid="sdg87.core.cache.memo_end")


def data_version() -> int:
    memo = _request_memo.get()
    if memo is not None and DATA_VERSION_KEY in memo:
        return memo[DATA_VERSION_KEY]
    version = cache.get_or_set(DATA_VERSION_KEY, 1, timeout=None)
    found = int(version) if version is not None else 1
    if memo is not None:
        memo[DATA_VERSION_KEY] = found
    return found


def data_version_changed_at() -> int:
    """Seconds since the epoch of the last bump (or of the first time anyone asked)."""
    memo = _request_memo.get()
    if memo is not None and DATA_VERSION_AT_KEY in memo:
        return memo[DATA_VERSION_AT_KEY]
    stamp = cache.get_or_set(DATA_VERSION_AT_KEY, lambda: int(time.time()), timeout=None)
    found = int(stamp) if stamp is not None else int(time.time())
    if memo is not None:
        memo[DATA_VERSION_AT_KEY] = found
    return found


# Inside data_version_bumps_coalesced(): the bumps asked for, scheduled as one when it ends.
_coalesced: ContextVar[list[bool] | None] = ContextVar("sdg87_bumps_coalesced", default=None)


@contextmanager
def data_version_bumps_coalesced() -> Iterator[None]:
    """Within this block `data_version_bump()` schedules nothing; leaving it normally schedules
    one bump for the commit if any was asked for. A bulk load saves thousands of rows through
    services that bump once each (the translations step: 370 cache increments and page warm-up
    signals, 2 s); one bump after the writes invalidates exactly as much. Leaving it with an
    exception schedules nothing: the transaction is rolled back."""
    asked: list[bool] = []
    token = _coalesced.set(asked)
    try:
        yield
    finally:
        _coalesced.reset(token)
    if asked:
        data_version_bump()


def data_version_bump() -> None:
    """Invalidate cached public responses once the current transaction commits."""
    asked = _coalesced.get()
    if asked is not None:
        asked.append(True)
        return

    def bump() -> None:
        if _request_memo.get() is not None:
            _request_memo.set({})
        try:
            version = cache.incr(DATA_VERSION_KEY)
        except ValueError:  # not set yet (or evicted): any new value invalidates
            version = data_version() + 1
            cache.set(DATA_VERSION_KEY, version, timeout=None)
        cache.set(DATA_VERSION_AT_KEY, int(time.time()), timeout=None)
        data_version_changed.send(sender=data_version_bump, version=int(version))

    transaction.on_commit(bump)


PAGE_VARY = ("Accept-Language", "Cookie")


def cache_public_page(timeout: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Django's `cache_page`, keyed by the data version, with HTTP caching done for it.

    A page cached before a write that changes what the public sees (a publication, a
    withdrawal, an embargo ending) is never served after it. For anonymous GETs the answer
    carries an ETag and Last-Modified derived from the data version (no body hashing), a
    matching `If-None-Match`/`If-Modified-Since` gets 304 without rendering, and
    `Cache-Control: public, max-age=<timeout>, stale-while-revalidate`. Signed-in users get
    the view itself, never cached (`private, no-store`); a render that put a CSRF token in the
    page is `private, no-store` and not kept in the page cache either."""
    from sdg87.core import http_cache

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        by_version: dict[int, Callable[..., Any]] = {}

        @wraps(view)
        def private_when_needed(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # Inside cache_page: Django's cache does not keep a `private` answer.
            response = view(request, *args, **kwargs)
            if http_cache.csrf_token_used(request):
                http_cache.make_private(response)
            return response

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method not in ("GET", "HEAD") or http_cache.is_signed_in(request):
                response = view(request, *args, **kwargs)
                http_cache.make_private(response)
                return response
            etag = http_cache.etag_for(request, scope="p")
            modified = http_cache.last_modified()
            if http_cache.is_fresh(request, etag=etag, modified=modified):
                return http_cache.not_modified(
                    etag=etag, modified=modified, max_age=timeout, vary=PAGE_VARY
                )
            version = data_version()
            cached_view = by_version.get(version)
            if cached_view is None:
                by_version.clear()
                cached_view = cache_page(timeout, key_prefix=f"page.v{version}")(
                    private_when_needed
                )
                by_version[version] = cached_view
            response = cached_view(request, *args, **kwargs)
            if response.status_code == 200 and "private" not in response.get("Cache-Control", ""):
                http_cache.public_headers(response, etag=etag, modified=modified, max_age=timeout)
                if "Expires" in response:
                    del response["Expires"]
                patch_vary_headers(response, PAGE_VARY)
            return response

        return wrapped

    return decorator
