"""A global data version: cached public responses are keyed by it, and every write that can
change what the public sees bumps it, so no cached answer outlives the data behind it."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

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
