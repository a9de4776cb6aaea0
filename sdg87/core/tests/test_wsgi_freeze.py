"""config/wsgi.py freezes the loaded application out of the garbage collector under gunicorn
only (in a child process: freezing this test process would keep its garbage for good)."""

import os
import subprocess
import sys

from django.conf import settings

# How many objects loading config.wsgi adds to the permanent generation (the interpreter's
# start-up may have frozen a few hundred of its own already).
PROBE = (
    "import gc, runpy; before = gc.get_freeze_count(); runpy.run_module('config.wsgi'); "
    "print(gc.get_freeze_count() - before)"
)


def _frozen_after_loading(server_software: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "SERVER_SOFTWARE"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    if server_software is not None:
        env["SERVER_SOFTWARE"] = server_software
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def test_under_gunicorn_the_loaded_application_is_frozen():
    # Django, Wagtail and the project's modules: tens of thousands of objects.
    assert _frozen_after_loading("gunicorn/27.0.1") > 10_000


def test_elsewhere_nothing_is_frozen():
    assert _frozen_after_loading(None) == 0
    assert _frozen_after_loading("WSGIServer/0.2") == 0
