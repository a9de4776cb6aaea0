"""Reads for health, readiness and metrics: the state of the database, cache and task queue."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@dataclass(frozen=True)
class QueueStats:
    ready: int  # tasks a worker may start now
    oldest_ready_age_seconds: float  # 0 when none is waiting


def task_queue_stats() -> QueueStats:
    """Depth of django-tasks-db's queue (tasks ready to run now, scheduled ones not counted)
    and how long the oldest of them has waited, from the database at call time."""
    ready = DBTaskResult.objects.ready()
    summary = ready.aggregate(oldest=Min("enqueued_at"))
    oldest = summary["oldest"]
    if oldest is None:
        return QueueStats(ready=0, oldest_ready_age_seconds=0.0)
    age = max(0.0, (timezone.now() - oldest).total_seconds())
    return QueueStats(ready=ready.count(), oldest_ready_age_seconds=round(age, 3))


def database_check() -> None:
    """One round trip to the default database; raises if it cannot answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def cache_check() -> None:
    """Writes, reads back and deletes one key in the default cache; raises if it cannot."""
    key = f"sdg87:readyz:{uuid.uuid4().hex}"
    value = time.time()
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)
