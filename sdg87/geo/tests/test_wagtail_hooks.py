"""Geographies in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sdg87.geo.services import geography_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_wagtail(client: Client) -> Client:
    user = get_user_model().objects.create_superuser(
        username="geo-admin", email="geo-admin@example.org", password="x"
    )
    client.force_login(user)
    return client


def test_listing_is_searchable_and_filtered_by_kind(admin_client_wagtail: Client) -> None:
    """The snippet listing finds geographies by name in any language and filters by kind."""
    geography_upsert(code="ZZA", kind="country", name_en="Testland", name_fr="Testlande")
    geography_upsert(code="ZZ_GROUP", kind="other", name_en="Testland group")
    url = reverse("wagtailsnippets_geo_geography:list")

    response = admin_client_wagtail.get(url, {"q": "testlande"})
    assert response.status_code == 200
    assert b"Testland" in response.content
    assert b"Testland group" not in response.content

    response = admin_client_wagtail.get(url, {"q": "testland", "kind": "other"})
    assert response.status_code == 200
    assert b"Testland group" in response.content
    assert b"ZZA" not in response.content
