from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create the first administrator (reads SDG87_ADMIN_PASSWORD or prompts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username=options["username"]).exists():
            raise CommandError(f"User {options['username']!r} already exists.")
        password = os.environ.get("SDG87_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        if len(password) < 10:
            raise CommandError("Choose a password of at least 10 characters.")
        user_model.objects.create_superuser(
            username=options["username"], email=options["email"], password=password
        )
        self.stdout.write(self.style.SUCCESS(f"Administrator {options['username']!r} created."))
