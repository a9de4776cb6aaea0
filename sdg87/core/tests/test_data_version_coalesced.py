"""Bumps of the data version asked for inside `data_version_bumps_coalesced()` become one bump
at the commit; none when the block fails (its writes are rolled back)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from sdg87.core.cache import data_version, data_version_bump, data_version_bumps_coalesced

pytestmark = pytest.mark.django_db


def _bumps(callbacks: list[Any]) -> int:
    return sum(c.__qualname__ == "data_version_bump.<locals>.bump" for c in callbacks)


def test_many_bumps_in_the_block_are_one(django_capture_on_commit_callbacks: Any) -> None:
    before = data_version()
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, transaction.atomic(), data_version_bumps_coalesced():
        for _ in range(370):
            data_version_bump()
    assert _bumps(callbacks) == 1
    assert data_version() == before + 1


def test_a_block_without_a_bump_schedules_none(django_capture_on_commit_callbacks: Any) -> None:
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, transaction.atomic(), data_version_bumps_coalesced():
        pass
    assert _bumps(callbacks) == 0


def test_a_failed_block_schedules_none(django_capture_on_commit_callbacks: Any) -> None:
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic(), data_version_bumps_coalesced():
            data_version_bump()
            raise RuntimeError("a row failed")
        data_version_bump()  # outside the block: scheduled as usual
    assert _bumps(callbacks) == 1
    assert data_version() == before + 1
