"""Tasks of the core app, run by the task worker (`manage.py db_worker`). Ids in, one service
call."""

from __future__ import annotations

from django.tasks import task

from sdg87.core import mail
from sdg87.core.task_priority import NOTIFY


@task(priority=NOTIFY)
def mail_send(mail_id: int) -> str:
    """Try to send one queued notification (retries are re-enqueued by the service)."""
    return mail.mail_send(mail_id=mail_id)


@task()
def loaded_objects_index(references: list[list[str]], search: list[list[str]]) -> int:
    """Wagtail's reference index and the search index of the objects one load step saved
    (`sdg87.core.loading.index_updates_batched`): one task instead of one per save."""
    from sdg87.core.loading import loaded_objects_index_update

    return loaded_objects_index_update(references=references, search=search)
