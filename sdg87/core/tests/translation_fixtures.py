"""Rows to translate in the translation tests: two indicators and an organisation, made
directly (no bundled data)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User

from sdg87.indicators.models import Indicator
from sdg87.orgs.models import Organisation

NAME_8_7_1 = (
    "Proportion and number of children aged 5-17 years engaged in child labour, by sex and age"
)
NAME_FR = "Proportion et nombre d'enfants âgés de 5 à 17 ans qui travaillent, par sexe et âge"
CITATION = "A/RES/71/313, annex (French version)"


@pytest.fixture
def indicator(db: None) -> Indicator:
    return Indicator.objects.create(
        code="X8.7.1",
        name=NAME_8_7_1,
        definition="Children aged 5 to 17 in child labour.\n\nSecond paragraph.",
        methodology="",
    )


@pytest.fixture
def other_indicator(db: None) -> Indicator:
    return Indicator.objects.create(code="X16.2.2", name="Victims of human trafficking")


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(
        slug="zz-ilo-translations",
        name="International Labour Organization",
        description="<p>About</p>",
    )


def user_with(*codenames: str, username: str = "translator") -> User:
    user = User.objects.create_user(username=username, password="x" * 12)
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="core", codename=codename)
        )
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def translator(db: None) -> Any:
    return user_with("add_translation", "change_translation", "delete_translation")


@pytest.fixture
def empty_translations(db: None) -> None:
    """No translations nor audit entries, whatever another test module loaded in this
    worker's database (the bundled data brings its own): removed inside the test's
    transaction, so they come back after it."""
    from sdg87.core.models import Translation, TranslationAuditEntry

    TranslationAuditEntry.objects.all().delete()
    Translation.objects.all().delete()
