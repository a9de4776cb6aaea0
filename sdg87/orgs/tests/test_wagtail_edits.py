"""Organisations added and edited in the Wagtail admin go through sdg87.orgs.services: the
description is sanitised, the slug of an existing organisation stays, and a rename invalidates
cached public answers that show the name."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sdg87.orgs.models import Organisation
from sdg87.orgs.services import organisation_update, organisation_upsert

pytestmark = pytest.mark.django_db

FIELDS = (
    "name",
    "acronym",
    "slug",
    "type",
    "website",
    "description",
    "alliance87_role",
    "alliance87_role_evidence",
    "source_url",
)


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("zz-org-admin", "o@example.org", "pw")
    client.force_login(user)
    return client


def _form(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    """The POST body of the Wagtail organisation form as stored, with `changes` applied."""
    data: dict[str, Any] = {name: getattr(organisation, name) for name in FIELDS}
    data["country"] = organisation.country_id or ""
    data["logo"] = organisation.logo_id or ""
    return data | changes


def test_admin_rename_changes_a_cached_api_answer(
    admin_client: Client,
    bundled_data: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """An anonymous /api/v1/datasets answer naming UNSD as publisher is cached; renaming UNSD
    in the admin bumps the data version, so the next answer has the new name."""
    settings.SDG87_API_CACHE_SECONDS = 300
    cache.clear()
    anonymous = Client()
    url = "/api/v1/datasets?organisation=unsd"

    def publisher_names() -> set[str]:
        response = anonymous.get(url)
        assert response.status_code == 200, response.content
        results = response.json()["results"]
        assert results
        return {r["publisher"]["name"] for r in results}

    unsd = Organisation.objects.get(slug="unsd")
    assert publisher_names() == {unsd.name}
    assert anonymous.get(url)["X-Cache"] == "hit"
    edit = reverse("wagtailsnippets_orgs_organisation:edit", args=[unsd.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit, _form(unsd, name="UN Statistics Division"))
    assert response.status_code == 302, response.content
    assert publisher_names() == {"UN Statistics Division"}


def test_admin_edit_sanitises_and_keeps_the_slug(admin_client: Client) -> None:
    """A <script> in the description is removed; a slug posted for an existing organisation
    is ignored (it is the loader's key and the URL)."""
    organisation = organisation_upsert(slug="zz-edit-ngo", name="ZZ NGO", type="ngo")
    edit = reverse("wagtailsnippets_orgs_organisation:edit", args=[organisation.pk])
    response = admin_client.post(
        edit,
        _form(
            organisation,
            slug="zz-renamed",
            description="<p>Works <em>locally</em></p><script>alert(1)</script>",
        ),
    )
    assert response.status_code == 302, response.content
    organisation.refresh_from_db()
    assert organisation.slug == "zz-edit-ngo"
    assert organisation.description == "<p>Works <em>locally</em></p>"


def test_admin_add_goes_through_the_service(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """An organisation added in the admin is sanitised too, and bumps the data version."""
    from sdg87.core.cache import data_version

    before = data_version()
    blank = Organisation(slug="zz-new-union", name="ZZ Union", type="workers_organisation")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailsnippets_orgs_organisation:add"),
            _form(blank, description="<p>Union</p><img src=x onerror=alert(1)>"),
        )
    assert response.status_code == 302, response.content
    created = Organisation.objects.get(slug="zz-new-union")
    assert "onerror" not in created.description
    assert created.description.startswith("<p>Union</p>")
    assert data_version() > before


def test_update_refuses_the_slug_and_changes_nothing_without_a_change(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """organisation_update refuses fields outside Organisation.EDITOR_FIELDS (the slug is the
    loader's key) and writes nothing, bumps nothing, when no value changes."""
    organisation = organisation_upsert(slug="zz-same", name="ZZ Same", type="ngo")
    with pytest.raises(ValueError, match="slug"):
        organisation_update(organisation=organisation, changes={"slug": "zz-other"})
    with django_capture_on_commit_callbacks() as callbacks:
        organisation_update(organisation=organisation, changes={"name": "ZZ Same"})
    assert callbacks == []


def test_a_reload_of_the_bundled_list_keeps_an_admin_correction(admin_client: Client) -> None:
    """A field corrected in the admin is remembered; the loader's next upsert of the same
    organisation keeps it and still writes the fields nobody edited."""
    organisation = organisation_upsert(
        slug="zz-reload", name="ZZ Old Name", type="ngo", website="https://old.example.org"
    )
    edit = reverse("wagtailsnippets_orgs_organisation:edit", args=[organisation.pk])
    response = admin_client.post(edit, _form(organisation, name="ZZ Corrected Name"))
    assert response.status_code == 302, response.content
    organisation.refresh_from_db()
    assert organisation.edited_fields == ["name"]

    organisation_upsert(
        slug="zz-reload", name="ZZ Old Name", type="ngo", website="https://new.example.org"
    )
    organisation.refresh_from_db()
    assert organisation.name == "ZZ Corrected Name"
    assert organisation.website == "https://new.example.org"


def test_organisations_cannot_be_deleted_in_the_admin(admin_client: Client) -> None:
    """A deletion would take the memberships with it, unaudited: refused even for a
    superuser; the organisation stays."""
    organisation = organisation_upsert(slug="zz-keep", name="ZZ Keep", type="ngo")
    delete = reverse("wagtailsnippets_orgs_organisation:delete", args=[organisation.pk])
    assert admin_client.get(delete).status_code in {302, 403}
    admin_client.post(delete)
    assert Organisation.objects.filter(slug="zz-keep").exists()
