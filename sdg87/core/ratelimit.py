"""Fixed-window rate limits counted in the shared cache, and the sign-in limit per address.

A ``Limit`` allows ``limit`` events per subject (an address, a user, an e-mail address ...) in
each window of ``window`` seconds; ``limit = 0`` switches it off. Counts live in the default
cache, so every worker sees them when the cache is shared (file-based on one machine, Redis
across several).

Sign-in: django-axes locks one username from one address after a few failures. That alone would
let one address try a few passwords against every username, so ``LoginRateLimitMiddleware``
(sdg87.core.middleware) also counts failed sign-ins per client address over all usernames and
answers 429 once ``SDG87_LOGIN_IP_FAILURE_LIMIT`` failures were seen in the window.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

logger = logging.getLogger("sdg87.security")

# Every view that checks a password: user sign-in (ours, Wagtail's admin and front-end, Django's
# admin) and Wagtail's shared passwords for private pages and documents. Language-prefixed
# copies resolve to the same names. A test walks the URL configuration to keep this complete.
LOGIN_VIEW_NAMES = frozenset(
    {
        "catalog:login",
        "wagtailadmin_login",
        "wagtailcore_login",
        "admin:login",
        "wagtailcore_authenticate_with_password",
        "wagtaildocs_authenticate_with_password",
    }
)
LOGIN_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int  # events per window and subject; 0 = no limit
    window: int  # seconds
    message: str | Promise = ""  # shown when the limit refuses

    def _bucket(self, now: float) -> int:
        return int(now // self.window)

    def _key(self, subject: str, now: float) -> str:
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"sdg87:rl:{self.scope}:{self.window}:{digest}:{self._bucket(now)}"

    def count(self, subject: str, *, now: float | None = None) -> int:
        now = time.time() if now is None else now
        return int(cache.get(self._key(subject, now), 0))

    def exceeded(self, subject: str, *, now: float | None = None) -> bool:
        """True when the subject has used up this window's allowance."""
        return self.limit > 0 and self.count(subject, now=now) >= self.limit

    def hit(self, subject: str, *, now: float | None = None, amount: int = 1) -> int:
        """Count one event (or `amount` units of a cost); returns the count in the current
        window."""
        now = time.time() if now is None else now
        key = self._key(subject, now)
        # a little longer than the window, so the bucket outlives its last second
        timeout = self.window + 60
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key, amount)
        except ValueError:  # evicted between add and incr
            cache.set(key, amount, timeout=timeout)
            return amount

    def retry_after(self, *, now: float | None = None) -> int:
        """Seconds until the current window ends."""
        now = time.time() if now is None else now
        return max(1, int((self._bucket(now) + 1) * self.window - now))


def hit_all(checks: Sequence[tuple[Limit, str]]) -> Limit | None:
    """Count one event against every (limit, subject) pair, unless one of them is used up:
    then nothing is counted and that limit is returned (its ``message`` says why)."""
    for limit, subject in checks:
        if limit.exceeded(subject):
            return limit
    for limit, subject in checks:
        if limit.limit > 0:
            limit.hit(subject)
    return None


def too_many_requests(
    request: HttpRequest, *, message: str | Promise = "", retry_after: int | None = None
) -> HttpResponse:
    """The 429 page: what happened and when to try again."""
    response = render(
        request,
        "429.html",
        {"message": message, "retry_minutes": -(-retry_after // 60) if retry_after else None},
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


# --- sign-in -----------------------------------------------------------------------------------


def login_limit() -> Limit:
    """Failed sign-ins per client address (any username) per window."""
    return Limit("login-failures", settings.SDG87_LOGIN_IP_FAILURE_LIMIT, LOGIN_WINDOW_SECONDS)


def login_failure_record(subject: str) -> None:
    limit = login_limit()
    if limit.limit <= 0:
        return
    if limit.hit(subject) == limit.limit:
        logger.warning(
            "Sign-in blocked for %s: %d failed attempts within %d s",
            subject,
            limit.limit,
            limit.window,
        )
