"""`sdg87` command: friendly names for the project's management commands."""

from __future__ import annotations

import os
import sys

ALIASES = {"load-data": "load_data", "createadmin": "createadmin"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] or ["help"]
    args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["sdg87", *args])
