"""Settings of the `manage.py db_worker` process that test_worker_e2e.py starts: the test
settings with the production task backend (django_tasks_db), the database named by
SDG87_DATABASE_URL and the media directory of the test."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MEDIA_ROOT = Path(os.environ["SDG87_TEST_MEDIA_ROOT"])
