"""Reads of public data from a read replica; everything else from the primary (issue 15 item 5).

Installed only when ``SDG87_DATABASE_REPLICA_URL`` is set (config/settings/base.py adds the
``replica`` database and this router); without it there is one database and no router.

The rule is conservative, because a replica lags the primary by a little and an editor must
always see what they just wrote:

* a request may read from the replica only when it is an anonymous read: ``GET`` or ``HEAD``
  and no session cookie (a visitor who is signed in, or has a session at all, reads the
  primary, so the page after "publish" shows the publication);
* within such a request, reads go to the primary again as soon as the request writes anything
  (``db_for_write`` was asked) or while a transaction is open on the primary;
* outside requests (the task worker, management commands, the shell) everything uses the
  primary: a worker must see the task row that was just enqueued.

The per-request state lives in a context variable set by Django's ``request_started`` signal
(which carries the WSGI environ) and cleared by ``request_finished``. Migrations run on the
primary only; the replica is a physical copy (streaming replication) that follows it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import parse_cookie

REPLICA_DB_ALIAS = "replica"
READ_METHODS = frozenset({"GET", "HEAD"})

# True while the current request is an anonymous read that has not written anything yet.
_replica_allowed: ContextVar[bool] = ContextVar("sdg87_replica_allowed", default=False)


def is_public_read(*, method: str, cookie_header: str, session_cookie_name: str) -> bool:
    """Whether a request with this method and Cookie header may read from the replica: a GET
    or HEAD without a session cookie (anything else may depend on the visitor's own writes)."""
    if method.upper() not in READ_METHODS:
        return False
    return session_cookie_name not in parse_cookie(cookie_header or "")


def request_began(*, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """``request_started`` receiver: decide whether this request may use the replica."""
    environ = environ or {}
    _replica_allowed.set(
        is_public_read(
            method=str(environ.get("REQUEST_METHOD", "")),
            cookie_header=str(environ.get("HTTP_COOKIE", "")),
            session_cookie_name=settings.SESSION_COOKIE_NAME,
        )
    )


def request_ended(**kwargs: Any) -> None:
    """``request_finished`` receiver: back to the primary-only default."""
    _replica_allowed.set(False)


def pin_to_primary() -> None:
    """From now on until the request ends, every read of this request uses the primary."""
    _replica_allowed.set(False)


request_started.connect(request_began, dispatch_uid="sdg87.core.dbrouter.request_began")
request_finished.connect(request_ended, dispatch_uid="sdg87.core.dbrouter.request_ended")


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring for when a read uses the replica."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if not _replica_allowed.get():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # A read inside a transaction belongs to it (select_for_update, read-then-write).
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases are the same data (one is a copy of the other).
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
