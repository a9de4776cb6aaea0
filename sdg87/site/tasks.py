"""Tasks of the public site, run by the task worker. Ids in, one service call."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from sdg87.core.task_priority import BACKGROUND
from sdg87.site.warmup import pages_warm


@task(priority=BACKGROUND)
def pages_warm_task(version: int) -> dict[str, Any]:
    """Render the most visited public pages for data version `version` (sdg87.site.warmup)."""
    return pages_warm(version=version)
