"""Tasks a dead worker left behind.

django-tasks-db has no heartbeat: a task whose worker was killed (OOM, a lost machine, `kill
-9`) keeps the status RUNNING for ever, and no worker takes it again (docs/deployment.md,
"worker killed mid-import"). Every task of the platform takes ids and is idempotent, and the
long ones (imports, validation, harvests) land whole or not at all, so running such a task
again is safe: `stale_tasks_requeue` puts a task that has been RUNNING for longer than any task
may take back to READY, and the next worker runs it. The attempt stays on record in
`worker_ids`.

Where it runs: `manage.py tasks_requeue_stale` (`make run` calls it with `--older-than 0`
before it starts its only worker, when nothing can be running; production runs it from a timer
with the default age, SDG87_TASK_STALE_AFTER seconds, docs/operations.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)


def stale_tasks_requeue(*, older_than: timedelta, now: datetime | None = None) -> list[str]:
    """Put every task RUNNING since before `now - older_than` back to READY; their ids."""
    cutoff = (now or timezone.now()) - older_than
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.select_for_update()
            .filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
            .values_list("id", "task_path", "started_at", "worker_ids")
        )
        ids = [str(row[0]) for row in stale]
        DBTaskResult.objects.filter(id__in=ids).update(
            status=TaskResultStatus.READY, started_at=None
        )
    for task_id, path, started_at, workers in stale:
        log.warning(
            "requeued task %s (%s): running since %s on worker %s, which no longer reports",
            task_id,
            path,
            started_at.isoformat() if started_at else "?",
            workers[-1] if workers else "?",
        )
    return ids
