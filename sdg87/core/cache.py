"""A global data version: cached public responses are keyed by it, and every write that can
change what the public sees bumps it, so no cached answer outlives the data behind it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.views.decorators.cache import cache_page

DATA_VERSION_KEY = "sdg87:data-version"


def data_version() -> int:
    version = cache.get_or_set(DATA_VERSION_KEY, 1, timeout=None)
    return int(version) if version is not None else 1


def data_version_bump() -> None:
    """Invalidate cached public responses once the current transaction commits."""

    def bump() -> None:
        try:
            cache.incr(DATA_VERSION_KEY)
        except ValueError:  # not set yet (or evicted): any new value invalidates
            cache.set(DATA_VERSION_KEY, data_version() + 1, timeout=None)

    transaction.on_commit(bump)


def cache_public_page(timeout: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Django's `cache_page`, keyed by the data version: a page cached before a write that
    changes what the public sees (a publication, a withdrawal, an embargo ending) is never
    served after it, instead of for up to `timeout` seconds."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        by_version: dict[int, Callable[..., Any]] = {}

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            version = data_version()
            cached_view = by_version.get(version)
            if cached_view is None:
                by_version.clear()
                cached_view = cache_page(timeout, key_prefix=f"page.v{version}")(view)
                by_version[version] = cached_view
            return cached_view(request, *args, **kwargs)

        return wrapped

    return decorator
