from typing import Any

import pytest
from django.test import Client

from sdg87.catalog.models import AuditEntry, Dataset, Status

pytestmark = pytest.mark.django_db


def test_wagtail_admin_lists_directory_snippets(users: dict[str, Any], make_dataset: Any) -> None:
    """Datasets, organisations, memberships, audit log and versions are in the Wagtail admin."""
    make_dataset()
    client = Client()
    client.force_login(users["superuser"])
    for url in (
        "/admin/snippets/catalog/dataset/",
        "/admin/snippets/catalog/auditentry/",
        "/admin/snippets/catalog/datasetversion/",
        "/admin/snippets/orgs/organisation/",
        "/admin/snippets/orgs/membership/",
    ):
        assert client.get(url).status_code == 200, url


def test_audit_entries_are_read_only_in_wagtail(users: dict[str, Any], make_dataset: Any) -> None:
    entry = AuditEntry.objects.filter(dataset=make_dataset()).first()
    assert entry is not None
    client = Client()
    client.force_login(users["superuser"])
    assert client.get(f"/admin/snippets/catalog/auditentry/edit/{entry.pk}/").status_code in (
        302,
        403,
        404,
    )


def test_django_admin_publish_action_uses_the_service(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """The 'publish selected' admin action publishes approved datasets and audits it."""
    ds = make_dataset(state="approved")
    client = Client()
    client.force_login(users["superuser"])
    response = client.post(
        "/django-admin/catalog/dataset/",
        {"action": "publish", "_selected_action": [ds.pk]},
    )
    assert response.status_code == 302
    ds = Dataset.objects.get(pk=ds.pk)
    assert ds.live and ds.status == Status.PUBLISHED and ds.versions.count() == 1
    assert AuditEntry.objects.filter(
        dataset=ds, action="publish", actor=users["superuser"]
    ).exists()


REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'


def _superuser_client(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users["superuser"])
    return client


def test_django_admin_change_and_delete_are_refused(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """The Django admin is not a second editor: a superuser's POST to a dataset's change or
    delete view answers 403 and changes nothing (no description, no deletion, no audit
    entry); the add view and the delete_selected action are gone too."""
    ds = make_dataset()
    entries = AuditEntry.objects.count()
    client = _superuser_client(users)
    base = f"/django-admin/catalog/dataset/{ds.pk}"
    assert client.get(f"{base}/change/").status_code == 200  # still viewable
    changed = client.post(
        f"{base}/change/",
        {
            "title": "Hijacked",
            "slug": ds.slug,
            "description": REFRESH,
            "publisher": ds.publisher_id,
        },
    )
    assert changed.status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/django-admin/catalog/dataset/add/").status_code == 403
    client.post(
        "/django-admin/catalog/dataset/",
        {"action": "delete_selected", "_selected_action": [ds.pk], "post": "yes"},
    )
    after = Dataset.objects.get(pk=ds.pk)
    assert after.title == ds.title and "meta" not in after.description
    assert after.versions.count() == 1
    assert AuditEntry.objects.count() == entries


def test_django_admin_audit_entries_and_keywords_are_read_only(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """Audit entries and keywords (taggit tags) cannot be changed or deleted in the Django
    admin: renaming a tag would edit datasets without an audit entry."""
    ds = make_dataset(keywords=["zz-keyword"])
    tag = ds.keywords.get()
    entry = AuditEntry.objects.filter(dataset=ds).first()
    assert entry is not None
    client = _superuser_client(users)
    assert (
        client.post(
            f"/django-admin/taggit/tag/{tag.pk}/change/", {"name": "renamed", "slug": "renamed"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/django-admin/taggit/tag/{tag.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/django-admin/catalog/auditentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert sorted(Dataset.objects.get(pk=ds.pk).keywords.names()) == ["zz-keyword"]
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_django_admin_unpublish_action_uses_the_service(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """The 'unpublish selected' action still works, through the service (audited)."""
    ds = make_dataset()
    response = _superuser_client(users).post(
        "/django-admin/catalog/dataset/", {"action": "unpublish", "_selected_action": [ds.pk]}
    )
    assert response.status_code == 302
    assert not Dataset.objects.get(pk=ds.pk).live
    assert AuditEntry.objects.filter(dataset=ds, action="unpublish").exists()


def _wagtail_form(ds: Dataset, **changes: Any) -> dict[str, Any]:
    data = {
        "title": ds.title,
        "slug": ds.slug,
        "publisher": ds.publisher_id,
        "description": ds.description,
        "contact_name": ds.contact_name,
        "contact_email": ds.contact_email,
        "licence": ds.licence,
        "keywords": "",
        "frequency": ds.frequency,
        "language": ds.language,
        "identifier": ds.identifier,
        "temporal_start": "",
        "temporal_end": "",
        "related_publications": ds.related_publications,
        "visibility": ds.visibility,
        "publish_at": "",
        "embargo_until": "",
    }
    data.update(changes)
    return data


def test_wagtail_dataset_edit_sanitises_audits_and_refuses_digit_names(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """Editing a dataset in the Wagtail admin sanitises the description (no <meta> refresh)
    and writes an audit entry; a name made of digits only is refused."""
    ds = make_dataset()
    client = _superuser_client(users)
    url = f"/admin/snippets/catalog/dataset/edit/{ds.pk}/"
    refused = client.post(url, _wagtail_form(ds, slug="27"))
    assert refused.status_code == 200 and "at least one letter" in refused.content.decode()
    assert Dataset.objects.get(pk=ds.pk).slug == ds.slug
    saved = client.post(url, _wagtail_form(ds, description=f"<p>Fine</p>{REFRESH}"))
    assert saved.status_code == 302
    after = Dataset.objects.get(pk=ds.pk)
    assert after.description == "<p>Fine</p>"
    assert AuditEntry.objects.filter(dataset=ds, action="edit", message="description").exists()


def test_wagtail_admin_cannot_add_or_delete_datasets(
    users: dict[str, Any], make_dataset: Any
) -> None:
    """Datasets are created and withdrawn through the services only: the Wagtail add and
    delete views are refused and the dataset keeps its versions."""
    ds = make_dataset()
    client = _superuser_client(users)
    assert client.get("/admin/snippets/catalog/dataset/add/").status_code in (302, 403)
    deleted = client.post(f"/admin/snippets/catalog/dataset/delete/{ds.pk}/")
    assert deleted.status_code in (302, 403)
    assert Dataset.objects.get(pk=ds.pk).versions.count() == 1


def test_no_catalog_model_is_writable_in_the_django_admin(users: dict[str, Any]) -> None:
    """Every model of the data directory registered in the Django admin (and the keywords'
    tags) is read-only there, even for a superuser: writes go through the services."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/django-admin/")
    request.user = users["superuser"]
    registered = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"catalog", "taggit"}
    ]
    assert {m._meta.model_name for m, _a in registered} >= {"dataset", "auditentry", "tag"}
    for model, model_admin in registered:
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (model, inline)
            assert not inline.has_change_permission(request), (model, inline)
            assert not inline.has_delete_permission(request), (model, inline)
