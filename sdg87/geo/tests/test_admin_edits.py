"""Geographies are code-owned reference data: the admin lists and inspects them, never edits."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sdg87.geo.models import Geography
from sdg87.geo.services import geography_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("geo-ro", "geo-ro@example.org", "x")
    client.force_login(user)
    return client


def test_geographies_refuse_add_edit_and_delete_even_for_a_superuser(
    superuser_client: Client,
) -> None:
    """Add, edit and delete are refused (no form, a POST changes nothing); list and inspect
    work."""
    geography = geography_upsert(code="ZZB", kind="country", name_en="Testland")
    edit = reverse("wagtailsnippets_geo_geography:edit", args=[geography.pk])
    delete = reverse("wagtailsnippets_geo_geography:delete", args=[geography.pk])
    add = reverse("wagtailsnippets_geo_geography:add")

    assert superuser_client.get(edit).status_code in {302, 403}
    superuser_client.post(edit, {"code": "ZZB", "kind": "country", "name_en": "Renamed"})
    assert superuser_client.get(add).status_code in {302, 403}
    superuser_client.post(add, {"code": "ZZC", "kind": "country", "name_en": "New"})
    superuser_client.post(delete)

    geography.refresh_from_db()
    assert geography.name_en == "Testland"
    assert not Geography.objects.filter(code="ZZC").exists()
    listing = superuser_client.get(reverse("wagtailsnippets_geo_geography:list"))
    assert listing.status_code == 200
    inspect = reverse("wagtailsnippets_geo_geography:inspect", args=[geography.pk])
    assert superuser_client.get(inspect).status_code == 200
