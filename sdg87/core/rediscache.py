"""Django's Redis cache, tolerant of Redis being unreachable (issue 15 item 6, "Redis down").

Django's built-in ``RedisCache`` raises ``redis.ConnectionError`` from every call when Redis is
down, so every page that touches the cache (the data version is read on each public API answer
and cached page) would answer 500. Here a connection or timeout error counts as a cache miss:

* reads (``get``, ``get_many``, ``has_key``) answer "not cached";
* writes (``set``, ``add``, ``touch``, ``delete``...) do nothing and report failure;
* ``incr`` raises ``ValueError``, Django's "key not found", which its callers already handle
  (``sdg87.core.cache.data_version_bump``, ``sdg87.core.ratelimit.Limit.hit``).

So while Redis is down the site serves every page uncached, rate limits count nothing, and
failures are logged (logger ``sdg87.cache``, at most one warning per process every 10 s). Keep
the socket timeouts short in ``OPTIONS`` (production uses 0.5 s) so that an unreachable host
does not hold every request for the operating system's connect timeout. Any other Redis error
(a wrong password, a command error) still raises: those are configuration mistakes, not outages.

Caveat, documented in docs/deployment.md: a data version bump made while Redis was unreachable
is lost; if Redis comes back with its old contents (a network partition rather than a restart),
cached answers may be stale until they expire (``SDG87_API_CACHE_SECONDS``) or the next write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("sdg87.cache")

T = TypeVar("T")

# One warning per process per this many seconds: a request makes several cache calls, and an
# outage would otherwise write several log lines per request.
WARN_EVERY_SECONDS = 10.0
_last_warning = [0.0]


def _warn(message: str) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning(message)


class TolerantRedisCacheClient(RedisCacheClient):
    """RedisCacheClient whose calls survive Redis being unreachable (module docstring)."""

    def _outage_errors(self) -> tuple[type[BaseException], ...]:
        exceptions = self._lib.exceptions  # type: ignore[attr-defined]  # redis, set by the parent
        return (exceptions.ConnectionError, exceptions.TimeoutError)

    def _tolerant(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except self._outage_errors() as exc:
            _warn(f"Redis unreachable during {operation}, serving uncached: {exc}")
            return fallback

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._tolerant(
            "add", lambda: super(TolerantRedisCacheClient, self).add(key, value, timeout), False
        )

    def get(self, key: Any, default: Any) -> Any:
        return self._tolerant(
            "get", lambda: super(TolerantRedisCacheClient, self).get(key, default), default
        )

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._tolerant(
            "set", lambda: super(TolerantRedisCacheClient, self).set(key, value, timeout), None
        )

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._tolerant(
            "touch", lambda: super(TolerantRedisCacheClient, self).touch(key, timeout), False
        )

    def delete(self, key: Any) -> bool:
        return self._tolerant(
            "delete", lambda: super(TolerantRedisCacheClient, self).delete(key), False
        )

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._tolerant(
            "get_many", lambda: super(TolerantRedisCacheClient, self).get_many(keys), {}
        )

    def has_key(self, key: Any) -> bool:
        return self._tolerant(
            "has_key", lambda: super(TolerantRedisCacheClient, self).has_key(key), False
        )

    def incr(self, key: Any, delta: int) -> Any:
        try:
            return super().incr(key, delta)
        except self._outage_errors() as exc:
            _warn(f"Redis unreachable during incr, nothing counted: {exc}")
            raise ValueError(f"Key {key!r} not counted: Redis is unreachable.") from exc

    def set_many(self, data: Any, timeout: Any) -> None:
        self._tolerant(
            "set_many", lambda: super(TolerantRedisCacheClient, self).set_many(data, timeout), None
        )

    def delete_many(self, keys: Any) -> None:
        self._tolerant(
            "delete_many", lambda: super(TolerantRedisCacheClient, self).delete_many(keys), None
        )

    def clear(self) -> bool:
        return self._tolerant("clear", lambda: super(TolerantRedisCacheClient, self).clear(), False)


class TolerantRedisCache(RedisCache):
    """``CACHES`` backend: Django's RedisCache with TolerantRedisCacheClient underneath."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
