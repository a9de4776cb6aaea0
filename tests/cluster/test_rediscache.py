"""sdg87.core.rediscache.TolerantRedisCache against the real Redis (127.0.0.1:6379, the
cluster's database number) and against a port nothing listens on (Redis down).

Here, not in sdg87/core/tests: it needs the cluster run's Redis database (docs/deployment.md)."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.core.rediscache import TolerantRedisCache

from .conftest import REDIS_DB, REDIS_HOST, REDIS_PORT, free_port

pytestmark = pytest.mark.cluster

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def make(location: str) -> Any:
    return TolerantRedisCache(
        location, {"OPTIONS": OPTIONS, "KEY_PREFIX": "sdg87-rediscache-test", "TIMEOUT": 60}
    )


def test_with_redis_up_it_is_django_s_redis_cache() -> None:
    cache = make(f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}")
    cache.delete_many(["a", "n"])
    assert cache.add("a", {"x": 1}) is True
    assert cache.get("a") == {"x": 1}
    assert cache.get_or_set("n", 1, timeout=None) == 1
    assert cache.incr("n") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")  # Django's "key not found", as before
    cache.delete_many(["a", "n"])


def test_with_redis_down_every_call_answers_as_a_miss() -> None:
    """Nothing listens on the port: reads miss, writes are dropped, incr says "not found"
    (the callers' path for an evicted key), get_or_set gives the default; nothing raises."""
    cache = make(f"redis://127.0.0.1:{free_port()}/0")
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("a") is False
    assert cache.add("a", 1) is False
    cache.set("a", 1)
    cache.set_many({"a": 1, "b": 2})
    assert cache.touch("a") is False
    assert cache.delete("a") is False
    cache.delete_many(["a"])
    assert cache.get_or_set("version", 1, timeout=None) == 1
    with pytest.raises(ValueError):
        cache.incr("version")
    assert cache.clear() is False
