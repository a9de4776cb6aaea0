"""The data version is read from the shared cache once per request, and a bump in the request
is seen at once; outside requests every call reads the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from sdg87.core.cache import DATA_VERSION_KEY, data_version, data_version_bump


@pytest.fixture
def request_signals():
    """Request signals without closing the test's database connection (as the test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_read_once_per_request_bump_seen_and_nothing_kept_outside(
    django_capture_on_commit_callbacks, request_signals
) -> None:
    cache.set(DATA_VERSION_KEY, 5, timeout=None)
    assert data_version() == 5
    cache.set(DATA_VERSION_KEY, 6, timeout=None)
    assert data_version() == 6  # outside a request: read each time

    request_started.send(sender=None, environ={})
    try:
        assert data_version() == 6
        cache.set(DATA_VERSION_KEY, 40, timeout=None)  # another process bumps
        assert data_version() == 6  # this request keeps the version it started with
        with django_capture_on_commit_callbacks(execute=True):
            data_version_bump()
        assert data_version() == 41  # a bump in this request is seen at once
    finally:
        request_finished.send(sender=None)

    cache.set(DATA_VERSION_KEY, 50, timeout=None)
    assert data_version() == 50
    request_started.send(sender=None, environ={})
    try:
        assert data_version() == 50  # the next request reads again
    finally:
        request_finished.send(sender=None)
