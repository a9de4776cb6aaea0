"""Country assessments in the Wagtail admin: read-only, filterable listings."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sdg87.assessments.models import CountryAssessment, GoodListing

pytestmark = pytest.mark.django_db

MODELS = ["countryassessment", "findingvalue", "suggestedaction", "goodlisting", "tierplacement"]


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("assessadmin", "a@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_listings_render(admin_client, bundled_data, model):
    """Every assessments listing renders for an administrator."""
    response = admin_client.get(reverse(f"wagtailsnippets_assessments_{model}:list"))
    assert response.status_code == 200


def test_filter_by_country_and_year(admin_client, bundled_data):
    """The assessments listing filters by country and report year."""
    row = CountryAssessment.objects.get(country__iso3="AFG", report_year=2016)
    url = reverse("wagtailsnippets_assessments_countryassessment:list")
    response = admin_client.get(url, {"country": row.country_id, "report_year": 2016})
    assert response.status_code == 200
    assert response.content.count(b"Moderate Advancement") >= 1


def test_filter_goods_by_edition(admin_client, bundled_data):
    """The goods listing filters by edition (release)."""
    listing = GoodListing.objects.filter(source_file="goods_2021.xml").first()
    assert listing is not None
    url = reverse("wagtailsnippets_assessments_goodlisting:list")
    response = admin_client.get(url, {"release": listing.release_id})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_records_are_read_only(admin_client, bundled_data, model):
    """Even a superuser cannot add records; inspecting is allowed."""
    add = admin_client.get(reverse(f"wagtailsnippets_assessments_{model}:add"))
    assert add.status_code in {302, 403}


def test_edit_refused_inspect_allowed(admin_client, bundled_data):
    """An assessment can be inspected but not edited."""
    pk = CountryAssessment.objects.values_list("pk", flat=True).first()
    edit = admin_client.get(
        reverse("wagtailsnippets_assessments_countryassessment:edit", args=[pk])
    )
    assert edit.status_code in {302, 403}
    inspect = admin_client.get(
        reverse("wagtailsnippets_assessments_countryassessment:inspect", args=[pk])
    )
    assert inspect.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_records_stay_out_of_the_reference_index(model):
    """Bulk-loaded records are not in Wagtail's reference index (no per-row signals)."""
    from django.apps import apps
    from wagtail.models import ReferenceIndex

    assert not ReferenceIndex.model_is_indexable(apps.get_model("assessments", model))
