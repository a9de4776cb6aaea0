from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdg87.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user (for the CKAN-compatible write actions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}")
        _token, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
