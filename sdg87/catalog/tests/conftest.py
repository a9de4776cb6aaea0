"""Fixtures for the data directory: two test organisations, a user per role, dataset helpers.

Organisation slugs start with "zz-" so they cannot clash with the seeded real organisations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import datasets, distributions, review
from sdg87.orgs.models import Organisation, OrganisationType, Role
from sdg87.orgs.services import membership_set, organisation_upsert

ROLES = ("admin", "editor", "contributor", "member")

GOOD_CSV = b"geo,year,value,unit\nKEN,2019,12.5,PERCENT\nBGD,2019,6.8,PERCENT\n"


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(db: None) -> Organisation:
    return organisation_upsert(
        slug="zz-test-ngo", name="ZZ Test NGO", acronym="ZZT", type=OrganisationType.NGO
    )


@pytest.fixture
def other_org(db: None) -> Organisation:
    return organisation_upsert(
        slug="zz-other-agency", name="ZZ Other Agency", type=OrganisationType.UN_AGENCY
    )


def _user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-Zz-12345", **extra
    )


@pytest.fixture
def users(org: Organisation, other_org: Organisation) -> dict[str, Any]:
    """One user per role in `org`, plus `other` (editor elsewhere), `superuser`, `anonymous`."""
    from django.contrib.auth.models import AnonymousUser

    out: dict[str, Any] = {}
    for role in ROLES:
        out[role] = _user(f"zz_{role}")
        membership_set(user=out[role], organisation=org, role=role)
    out["other"] = _user("zz_other")
    membership_set(user=out["other"], organisation=other_org, role=Role.EDITOR)
    out["superuser"] = _user("zz_super", is_superuser=True, is_staff=True)
    out["anonymous"] = AnonymousUser()
    return out


def csv_file(content: bytes = GOOD_CSV, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[..., Distribution]:
    """upload(**kwargs of distributions.distribution_upload): the distribution once its validation
    task has run. The task is enqueued when the upload's transaction commits; a test's
    transaction never commits, so its on-commit callbacks are run here."""

    def run(**kwargs: Any) -> Distribution:
        with django_capture_on_commit_callbacks(execute=True):
            dist = distributions.distribution_upload(**kwargs)
        dist.refresh_from_db()
        return dist

    return run


@pytest.fixture
def make_dataset(
    users: dict[str, Any], org: Organisation, django_capture_on_commit_callbacks: Any
) -> Callable[..., Dataset]:
    """make_dataset(state="published", visibility="public", title=...) through the services.

    The upload is validated by its task, enqueued when the upload's transaction commits:
    the test transaction never commits, so the callbacks are run here."""

    def make(
        *,
        state: str = "published",
        visibility: str = "public",
        title: str = "ZZ dataset",
        **kw: Any,
    ) -> Dataset:
        dataset = datasets.dataset_create(
            actor=users["contributor"],
            publisher=org,
            title=title,
            visibility=visibility,
            frequency=kw.pop("frequency", "annual"),
            **kw,
        )
        with django_capture_on_commit_callbacks(execute=True):
            distributions.distribution_upload(
                actor=users["contributor"], dataset=dataset, file=csv_file()
            )
        if state == "draft":
            return Dataset.objects.get(pk=dataset.pk)
        review.dataset_submit(actor=users["contributor"], dataset=dataset)
        if state == "submitted":
            return Dataset.objects.get(pk=dataset.pk)
        review.dataset_approve(actor=users["editor"], dataset=dataset)
        if state == "approved":
            return Dataset.objects.get(pk=dataset.pk)
        review.dataset_publish(actor=users["editor"], dataset=dataset)
        return Dataset.objects.get(pk=dataset.pk)

    return make
