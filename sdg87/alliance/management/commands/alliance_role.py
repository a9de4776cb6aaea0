"""Grant, revoke and list Alliance roles from the command line (acting as the system):

    manage.py alliance_role grant --username amina --role focal_point --country UGA
    manage.py alliance_role grant --username sec1 --role secretariat
    manage.py alliance_role revoke --username amina --role focal_point --country UGA
    manage.py alliance_role list [--country UGA]

The user must exist (create one with `manage.py createsuperuser` or the admin's Users page).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdg87.alliance.models import RoleName
from sdg87.alliance.services import roles
from sdg87.geo.models import Geography, GeographyKind


class Command(BaseCommand):
    help = (
        "Grant, revoke or list Alliance 8.7 roles (focal_point per country, reviewer, secretariat)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["grant", "revoke", "list"])
        parser.add_argument("--username")
        parser.add_argument("--role", choices=RoleName.values)
        parser.add_argument("--country", help="ISO 3166-1 alpha-3 code, for focal points")

    def handle(self, *args: Any, **options: Any) -> None:
        country = self._country(options.get("country"))
        if options["operation"] == "list":
            for row in roles.alliance_role_list(country=country):
                where = f" {row.country.iso3}" if row.country else ""
                self.stdout.write(f"{row.user.get_username()}\t{row.role}{where}")
            return
        if not options.get("username") or not options.get("role"):
            raise CommandError("--username and --role are required to grant or revoke.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        role = options["role"]
        try:
            if options["operation"] == "grant":
                roles.alliance_role_grant(actor=None, user=user, role=role, country=country)
                self.stdout.write(f"granted: {user.get_username()} {role}{self._at(country)}")
            else:
                done = roles.alliance_role_revoke(actor=None, user=user, role=role, country=country)
                state = "revoked" if done else "not held"
                self.stdout.write(f"{state}: {user.get_username()} {role}{self._at(country)}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

    @staticmethod
    def _at(country: Geography | None) -> str:
        return f" {country.iso3}" if country is not None else ""

    @staticmethod
    def _country(code: str | None) -> Geography | None:
        if not code:
            return None
        country = Geography.objects.filter(
            iso3=code.strip().upper(), kind=GeographyKind.COUNTRY
        ).first()
        if country is None:
            raise CommandError(f"No country with the ISO3 code {code!r} (is the data loaded?).")
        return country
