"""Statistics snippets in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sdg87.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("statsadmin", "s@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["indicator", "series", "source", "release", "observation"])
def test_listings_render(admin_client, bundled_data, model):
    """Every statistics listing renders for an administrator."""
    response = admin_client.get(reverse(f"wagtailsnippets_indicators_{model}:list"))
    assert response.status_code == 200


def test_metadata_is_editable(admin_client, bundled_data):
    """Indicators can be edited in the admin."""
    from sdg87.indicators.models import Indicator

    pk = Indicator.objects.get(code="8.7.1").pk
    response = admin_client.get(reverse("wagtailsnippets_indicators_indicator:edit", args=[pk]))
    assert response.status_code == 200


def test_observations_are_read_only_but_filterable(admin_client, bundled_data):
    """Even a superuser cannot add or edit observations; the listing filters by series."""
    obs = Observation.objects.filter(series__code="SL_TLF_CHLDEA").first()
    assert obs is not None
    url = reverse("wagtailsnippets_indicators_observation:list")
    response = admin_client.get(url, {"series": obs.series_id})
    assert response.status_code == 200
    edit = admin_client.get(reverse("wagtailsnippets_indicators_observation:edit", args=[obs.pk]))
    assert edit.status_code in {302, 403}
    add = admin_client.get(reverse("wagtailsnippets_indicators_observation:add"))
    assert add.status_code in {302, 403}
    inspect = admin_client.get(
        reverse("wagtailsnippets_indicators_observation:inspect", args=[obs.pk])
    )
    assert inspect.status_code == 200
