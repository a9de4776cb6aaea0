"""sdg87.core.ratelimit: fixed-window counters in the cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from sdg87.core.ratelimit import Limit, hit_all

T0 = 1_700_000_400.0  # the start of a 60-second window


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_a_limit_counts_per_subject_and_window() -> None:
    """Three events per minute: the third uses the allowance up for that subject only, and the
    next window starts from zero."""
    limit = Limit("zz", 3, 60)
    for n in range(1, 4):
        assert not limit.exceeded("a", now=T0 + n)
        assert limit.hit("a", now=T0 + n) == n
    assert limit.exceeded("a", now=T0 + 59)
    assert not limit.exceeded("b", now=T0 + 59)
    assert not limit.exceeded("a", now=T0 + 60)
    assert limit.retry_after(now=T0 + 45) == 15


def test_limit_zero_never_refuses() -> None:
    """A limit of 0 is switched off."""
    limit = Limit("zz", 0, 60)
    for _ in range(5):
        limit.hit("a", now=T0)
    assert not limit.exceeded("a", now=T0)


def test_hit_all_counts_nothing_when_one_limit_refuses() -> None:
    """hit_all counts an event against every limit, or, when one is used up, returns that
    limit and counts nothing (a refused request does not eat the other allowances)."""
    per_ip, per_email = Limit("zz-ip", 2, 3600, "ip"), Limit("zz-email", 1, 3600, "email")
    assert hit_all([(per_ip, "1.2.3.4"), (per_email, "a@example.org")]) is None
    assert hit_all([(per_ip, "1.2.3.4"), (per_email, "a@example.org")]) is per_email
    assert per_ip.count("1.2.3.4") == 1
    assert hit_all([(per_ip, "1.2.3.4"), (per_email, "b@example.org")]) is None
    assert hit_all([(per_ip, "1.2.3.4"), (per_email, "c@example.org")]) is per_ip
    assert per_email.count("c@example.org") == 0
