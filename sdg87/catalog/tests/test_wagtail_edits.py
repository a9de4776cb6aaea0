"""Dataset edits in the Wagtail admin go through catalog.services.datasets.dataset_update: they
are audited with the changed fields, sanitised, validated, and a refusal of the service is a
form error with nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sdg87.catalog.models import AuditAction, AuditEntry, Dataset
from sdg87.catalog.services import datasets
from sdg87.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, users: dict[str, Any]) -> Client:
    client.force_login(users["superuser"])
    return client


def _edit_url(dataset: Dataset) -> str:
    return reverse("wagtailsnippets_catalog_dataset:edit", args=[dataset.pk])


def _form(dataset: Dataset, **changes: Any) -> dict[str, Any]:
    """The POST body of the Wagtail dataset edit form as stored, with `changes` applied."""
    data: dict[str, Any] = {
        name: getattr(dataset, name)
        for name in (
            "title",
            "slug",
            "description",
            "contact_name",
            "contact_email",
            "licence",
            "frequency",
            "language",
            "identifier",
            "related_publications",
            "visibility",
            "temporal_start",
            "temporal_end",
            "publish_at",
            "embargo_until",
        )
    }
    data["publisher"] = dataset.publisher_id
    data["themes"] = list(dataset.themes.values_list("pk", flat=True))
    data["keywords"] = ", ".join(sorted(dataset.keywords.names()))
    data |= changes
    return {name: "" if value is None else value for name, value in data.items()}


def _edits(dataset: Dataset) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(dataset=dataset, action=AuditAction.EDIT))


def test_admin_edit_is_audited_with_the_changed_fields(
    admin_client: Client, users: dict[str, Any], make_dataset: Callable[..., Dataset]
) -> None:
    """A title, a keyword and the contact point changed in the admin are saved, and one audit
    entry by the admin names exactly those fields."""
    dataset = make_dataset(state="published", keywords=["child labour"])
    response = admin_client.post(
        _edit_url(dataset),
        _form(
            dataset,
            title="ZZ corrected title",
            keywords="child labour, forced labour",
            contact_name="Data desk",
        ),
    )
    assert response.status_code == 302, response.content
    dataset.refresh_from_db()
    assert dataset.title == "ZZ corrected title"
    assert set(dataset.keywords.names()) == {"child labour", "forced labour"}
    (entry,) = _edits(dataset)
    assert entry.actor == users["superuser"]
    assert set(entry.message.split(", ")) == {"title", "keywords", "contact_name"}


def test_admin_description_is_sanitised(
    admin_client: Client, make_dataset: Callable[..., Dataset]
) -> None:
    """A <script> typed into the description is removed by the service; the text stays."""
    dataset = make_dataset(state="published")
    description = "<p>Survey <b>2024</b></p><script>alert(1)</script>"
    response = admin_client.post(_edit_url(dataset), _form(dataset, description=description))
    assert response.status_code == 302, response.content
    dataset.refresh_from_db()
    assert "script" not in dataset.description
    assert "alert" not in dataset.description
    assert dataset.description == "<p>Survey <b>2024</b></p>"
    (entry,) = _edits(dataset)
    assert entry.message == "description"


def test_admin_publisher_change_of_a_dataset_with_files_is_refused(
    admin_client: Client,
    make_dataset: Callable[..., Dataset],
    org: Organisation,
    other_org: Organisation,
) -> None:
    """Moving a published dataset with a file to another organisation is a form error naming
    the reason; nothing of the submitted form is saved and nothing is audited."""
    dataset = make_dataset(state="published")
    response = admin_client.post(
        _edit_url(dataset), _form(dataset, publisher=other_org.pk, title="ZZ moved")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "publisher" in errors
    assert "files or links cannot be changed" in errors["publisher"][0]
    assert org.name in errors["publisher"][0]
    dataset.refresh_from_db()
    assert dataset.publisher == org
    assert dataset.title == "ZZ dataset"
    assert _edits(dataset) == []


def test_admin_publisher_change_of_an_empty_draft_is_allowed(
    admin_client: Client, users: dict[str, Any], org: Organisation, other_org: Organisation
) -> None:
    """A draft without files that was never published can move to the right organisation."""
    dataset = datasets.dataset_create(
        actor=users["contributor"], publisher=org, title="ZZ wrong publisher"
    )
    response = admin_client.post(_edit_url(dataset), _form(dataset, publisher=other_org.pk))
    assert response.status_code == 302, response.content
    dataset.refresh_from_db()
    assert dataset.publisher == other_org
    (entry,) = _edits(dataset)
    assert entry.message == "publisher"


def test_admin_slug_without_a_letter_is_refused(
    admin_client: Client, make_dataset: Callable[..., Dataset]
) -> None:
    """A name of digits only would read as an id in the CKAN API: a form error, not saved."""
    dataset = make_dataset(state="published")
    slug = dataset.slug
    response = admin_client.post(_edit_url(dataset), _form(dataset, slug="2024"))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    dataset.refresh_from_db()
    assert dataset.slug == slug
    assert _edits(dataset) == []


def test_admin_slug_change_is_saved_and_audited(
    admin_client: Client, make_dataset: Callable[..., Dataset]
) -> None:
    """A valid new slug is the dataset's new URL name."""
    dataset = make_dataset(state="published")
    response = admin_client.post(_edit_url(dataset), _form(dataset, slug="zz-renamed-2024"))
    assert response.status_code == 302, response.content
    dataset.refresh_from_db()
    assert dataset.slug == "zz-renamed-2024"
    (entry,) = _edits(dataset)
    assert entry.message == "slug"


def test_admin_language_is_picked_from_a_list(
    admin_client: Client, make_dataset: Callable[..., Dataset]
) -> None:
    """The admin's language field is a list of languages by name, like the site's form; a
    code that is not a language is refused with the services' message, and nothing changes."""
    dataset = make_dataset(state="published")
    page = admin_client.get(_edit_url(dataset)).content.decode()
    select = page.split('name="language"', 1)[1].split("</select>", 1)[0]
    assert '<option value="fr"' in select and "French (fr)" in select
    response = admin_client.post(_edit_url(dataset), _form(dataset, language="klingon"))
    assert response.status_code == 200
    dataset.refresh_from_db()
    assert dataset.language != "klingon"
    assert not _edits(dataset)
