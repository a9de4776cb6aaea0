"""Translations in the Wagtail admin go through core.translations.services: validated,
audited, the refusals shown on the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from sdg87.core.models import Translation, TranslationAuditEntry
from sdg87.core.tests import translation_fixtures as fixtures
from sdg87.core.tests.translation_fixtures import CITATION, NAME_8_7_1, NAME_FR
from sdg87.indicators.models import Indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_translations")]

indicator = fixtures.indicator
empty_translations = fixtures.empty_translations

BASE = "/admin/snippets/core/translation/"


@pytest.fixture
def client() -> Client:
    staff = get_user_model().objects.create_user("zz_staff", is_superuser=True, is_staff=True)
    c = Client()
    c.force_login(staff)
    return c


def _form(indicator: Indicator, **values: Any) -> dict[str, Any]:
    data = {
        "content_type": ContentType.objects.get_for_model(Indicator).pk,
        "object_id": indicator.pk,
        "field": "name",
        "term": "",
        "language": "fr",
        "origin": "publisher",
        "citation": CITATION,
        "text": NAME_FR,
    }
    data.update(values)
    return data


def test_add_form_opens_filled_in(client: Client, indicator: Indicator) -> None:
    response = client.get(
        f"{BASE}add/?model=indicators.indicator&object_id={indicator.pk}&field=definition"
        "&language=es"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.instance.object_id, form.instance.field, form.instance.language) == (
        indicator.pk,
        "definition",
        "es",
    )
    assert [code for code, _name in form.fields["language"].choices] == ["fr", "es"]


def test_add_edit_delete_are_audited(client: Client, indicator: Indicator) -> None:
    response = client.post(f"{BASE}add/", _form(indicator))
    assert response.status_code == 302, response.content.decode()[:3000]
    row = Translation.objects.get()
    assert (row.text, row.source_text, getattr(row.reviewed_by, "username", None)) == (
        NAME_FR,
        NAME_8_7_1,
        "zz_staff",
    )
    # what is translated cannot change on an existing translation
    response = client.post(
        f"{BASE}edit/{row.pk}/",
        _form(indicator, field="definition", language="es", text="Autre", origin="editorial"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    row.refresh_from_db()
    assert (row.field, row.language, row.text, row.origin) == ("name", "fr", "Autre", "editorial")
    assert client.post(f"{BASE}delete/{row.pk}/").status_code == 302
    assert not Translation.objects.exists()
    assert list(
        TranslationAuditEntry.objects.order_by("id").values_list("action", "actor__username")
    ) == [("set", "zz_staff"), ("set", "zz_staff"), ("clear", "zz_staff")]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"field": "code"}, "field"),
        ({"citation": ""}, "citation"),
        ({"language": "en"}, "language"),
        ({"object_id": 999999}, "object_id"),
    ],
)
def test_refusals_are_form_errors(
    client: Client, indicator: Indicator, values: dict[str, Any], field: str
) -> None:
    response = client.post(f"{BASE}add/", _form(indicator, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors or response.context["form"].non_field_errors()
    assert not Translation.objects.exists() and not TranslationAuditEntry.objects.exists()


def test_audit_is_read_only(client: Client, indicator: Indicator) -> None:
    client.post(f"{BASE}add/", _form(indicator))
    entry = TranslationAuditEntry.objects.get()
    audit = "/admin/snippets/core/translationauditentry/"
    assert client.get(audit).status_code == 200
    for url in (f"{audit}add/", f"{audit}edit/{entry.pk}/", f"{audit}delete/{entry.pk}/"):
        assert client.get(url).status_code in (302, 403, 404), url
    assert client.get(BASE).status_code == 200
