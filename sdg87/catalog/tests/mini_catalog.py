"""A small, fully published catalog made through the real services, for the CKAN/DCAT tests.

Codes are chosen not to clash with the bundled organisations and datasets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import APIToken

from sdg87.catalog.models import Dataset, Visibility
from sdg87.catalog.services import datasets, distributions, review
from sdg87.geo.models import Geography, GeographyKind
from sdg87.orgs.models import Organisation, Role
from sdg87.orgs.services import membership_set, organisation_upsert


@dataclass
class MiniCatalog:
    org: Organisation
    other_org: Organisation
    editor: Any
    contributor: Any
    outsider: Any
    public: Dataset
    org_only: Dataset
    metadata_only: Dataset
    draft: Dataset
    editor_token: str
    contributor_token: str
    outsider_token: str


def publish(dataset: Dataset, *, contributor: Any, editor: Any) -> Dataset:
    review.dataset_submit(actor=contributor, dataset=dataset)
    review.dataset_approve(actor=editor, dataset=Dataset.objects.get(pk=dataset.pk))
    review.dataset_publish(actor=editor, dataset=Dataset.objects.get(pk=dataset.pk))
    return Dataset.objects.get(pk=dataset.pk)


def make_dataset(
    org: Organisation, contributor: Any, slug: str, visibility: str, **extra: Any
) -> Dataset:
    dataset = datasets.dataset_create(
        actor=contributor,
        publisher=org,
        title=f"Test dataset {slug}",
        slug=slug,
        description="<p>Child labour survey <script>alert(1)</script>results</p>",
        visibility=visibility,
        themes=["child_labour"],
        keywords=["zz-test-keyword", slug],
        contact_name="Data desk",
        contact_email="data@example.org",
        **extra,
    )
    distributions.distribution_add_link(
        actor=contributor,
        dataset=dataset,
        url=f"https://example.org/{slug}.csv",
        title=f"{slug} table",
        format="CSV",
        media_type="text/csv",
    )
    return dataset


@pytest.fixture
def mini_catalog(db: None) -> MiniCatalog:
    return build_mini_catalog()


@pytest.fixture
def live_catalog(transactional_db: None, live_server: Any) -> tuple[MiniCatalog, str]:
    """The mini catalog behind a real HTTP server: (catalog, base URL)."""
    return build_mini_catalog(), live_server.url


def build_mini_catalog() -> MiniCatalog:
    users = get_user_model().objects
    editor = users.create_user("zz-editor", "editor@example.org", "pw-editor-123")
    contributor = users.create_user("zz-contrib", "contrib@example.org", "pw-contrib-123")
    outsider = users.create_user("zz-outsider", "out@example.org", "pw-outsider-123")
    Geography.objects.create(code="ZZA", kind=GeographyKind.COUNTRY, name_en="Zedland")
    org = organisation_upsert(slug="zz-test-ministry", name="ZZ Test Ministry", type="government")
    other = organisation_upsert(slug="zz-other-ngo", name="ZZ Other NGO", type="ngo")
    membership_set(user=editor, organisation=org, role=Role.EDITOR)
    membership_set(user=contributor, organisation=org, role=Role.CONTRIBUTOR)
    membership_set(user=outsider, organisation=other, role=Role.ADMIN)
    made = {
        slug: publish(
            make_dataset(org, contributor, slug, vis), contributor=contributor, editor=editor
        )
        for slug, vis in [
            ("zz-public", Visibility.PUBLIC),
            ("zz-org-only", Visibility.ORGANISATION),
            ("zz-metadata-only", Visibility.METADATA_ONLY),
        ]
    }
    draft = make_dataset(org, contributor, "zz-draft", Visibility.PUBLIC)
    return MiniCatalog(
        org=org,
        other_org=other,
        editor=editor,
        contributor=contributor,
        outsider=outsider,
        public=made["zz-public"],
        org_only=made["zz-org-only"],
        metadata_only=made["zz-metadata-only"],
        draft=draft,
        editor_token=APIToken.create_token(user=editor, name="test")[1],
        contributor_token=APIToken.create_token(user=contributor, name="test")[1],
        outsider_token=APIToken.create_token(user=outsider, name="test")[1],
    )
