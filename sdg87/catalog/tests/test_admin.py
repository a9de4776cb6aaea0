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
