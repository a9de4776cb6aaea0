"""Fixtures shared by the search tests.

- `search_index`: `index_rebuild()` over whatever the test database holds (the bundled data
  when the test asks for `bundled_data`, plus the rows the test made), served at once.
- `search_rows` / `search_documents`: documents made directly (`DocumentData`, the shape a
  source builds) and indexed as one generation, for tests that need exactly known facets.
- `indexed_dataset`: a dataset moved through the catalog's own services (create, link,
  submit, approve, publish; or scheduled, withdrawn, ...) with every on-commit callback run,
  so the search index is refreshed the way production refreshes it.

The caches of sdg87.search.vocabulary (thesaurus with country names, region of a country,
title vocabulary per generation number) are emptied around every test: generation numbers
repeat from one test to the next (each test's writes are rolled back).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.catalog.models import Dataset
from sdg87.catalog.services import datasets, distributions, review
from sdg87.orgs.models import Organisation, OrganisationType, Role
from sdg87.orgs.services import membership_set, organisation_upsert
from sdg87.search import vocabulary
from sdg87.search.indexing import RebuildReport, index_rebuild
from sdg87.search.models import SearchDocument, SearchState
from sdg87.search.registry import DocumentData, Text


def empty_search_index() -> None:
    """Remove every generation and the index state (as before the first rebuild): what a module
    fixture that indexed the bundled data outside the test transactions leaves behind."""
    index_rebuild(documents=[])
    SearchState.objects.all().delete()
    vocabulary.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_search_caches() -> Iterator[None]:
    vocabulary.clear()
    yield
    vocabulary.clear()


@pytest.fixture
def search_index(db: None) -> Callable[[], RebuildReport]:
    """search_index(): rebuild the whole index from the registered sources, now (call it
    after making the rows the test needs); returns the rebuild's report."""

    def build() -> RebuildReport:
        vocabulary.clear()
        report = index_rebuild()
        vocabulary.clear()
        return report

    return build


_ids = itertools.count(100)


@pytest.fixture
def search_rows() -> Callable[..., DocumentData]:
    """search_rows(heading, **fields): a dataset-like document (fields of DocumentData;
    `body` adds body text, `facets` the facet values) with its heading as title text."""

    def make(
        heading: str,
        *,
        body: str = "",
        lang: str = "en",
        kind: str = "dataset",
        facets: dict[str, list[str]] | None = None,
        year: int | None = None,
        day: date | None = None,
        **fields: Any,
    ) -> DocumentData:
        number = next(_ids)
        # a dataset's id is its primary key (numbers far above any test dataset's)
        default_id = str(900_000 + number) if kind == "dataset" else f"t-{number}"
        texts = [Text(heading, lang, "title")] + ([Text(body, lang, "body")] if body else [])
        return DocumentData(
            kind=kind,
            object_id=str(fields.pop("object_id", default_id)),
            heading=heading,
            path=fields.pop("path", f"/en/datasets/t-search-{number}/"),
            summary=body[:600],
            language=lang,
            year=year,
            date=day,
            texts=texts,
            facets=facets or {},
            **fields,
        )

    return make


@pytest.fixture
def search_documents(db: None) -> Callable[[Sequence[DocumentData]], dict[str, SearchDocument]]:
    """search_documents(rows): index exactly these documents as the served generation (the
    registered sources are not read); returns {object_id: SearchDocument}."""

    def index(rows: Sequence[DocumentData]) -> dict[str, SearchDocument]:
        vocabulary.clear()
        report = index_rebuild(documents=list(rows))
        vocabulary.clear()
        docs = SearchDocument.objects.filter(generation=report.generation)
        return {d.object_id: d for d in docs}

    return index


# --- datasets through the catalog's services ----------


@pytest.fixture
def search_org(db: None) -> Organisation:
    return organisation_upsert(
        slug="zz-search-ngo", name="ZZ Search NGO", acronym="ZZS", type=OrganisationType.NGO
    )


@pytest.fixture
def search_other_org(db: None) -> Organisation:
    return organisation_upsert(
        slug="zz-search-other", name="ZZ Search Other Agency", type=OrganisationType.UN_AGENCY
    )


def _user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-Zz-12345", **extra
    )


@pytest.fixture
def search_users(search_org: Organisation, search_other_org: Organisation) -> dict[str, Any]:
    """The roles of the catalog's permission matrix (sdg87/catalog/tests/conftest.py) for the
    publisher `search_org`, plus a member and an editor of another organisation."""
    from django.contrib.auth.models import AnonymousUser

    out: dict[str, Any] = {}
    for role in (Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR, Role.MEMBER):
        out[str(role)] = _user(f"zz_search_{role}")
        membership_set(user=out[str(role)], organisation=search_org, role=role)
    out["other_member"] = _user("zz_search_other_member")
    membership_set(user=out["other_member"], organisation=search_other_org, role=Role.MEMBER)
    out["other_editor"] = _user("zz_search_other_editor")
    membership_set(user=out["other_editor"], organisation=search_other_org, role=Role.EDITOR)
    out["superuser"] = _user("zz_search_super", is_superuser=True, is_staff=True)
    out["anonymous"] = AnonymousUser()
    return out


STATES = ("draft", "submitted", "approved", "published")


@pytest.fixture
def indexed_dataset(
    search_users: dict[str, Any],
    search_org: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., Dataset]:
    """indexed_dataset(title=..., state="published", publish_at=None, csv=None, **kwargs of
    dataset_create): a dataset with one CSV link (or the uploaded `csv`), moved through the
    review services up to `state` (optionally scheduled with `publish_at`), each step's
    on-commit callbacks run (the search refresh among them)."""

    def make(
        *,
        title: str,
        state: str = "published",
        publish_at: datetime | None = None,
        csv: bytes | None = None,
        **kw: Any,
    ) -> Dataset:
        contributor, editor = search_users["contributor"], search_users["editor"]
        with django_capture_on_commit_callbacks(execute=True):
            dataset = datasets.dataset_create(
                actor=contributor,
                publisher=search_org,
                title=title,
                contact_name="Data desk",
                contact_email="data@example.org",
                frequency=kw.pop("frequency", "annual"),
                **kw,
            )
        with django_capture_on_commit_callbacks(execute=True):
            if csv is not None:  # validated by its task (column names, preview)
                distributions.distribution_upload(
                    actor=contributor,
                    dataset=dataset,
                    file=SimpleUploadedFile("table.csv", csv, content_type="text/csv"),
                )
            else:
                distributions.distribution_add_link(
                    actor=contributor,
                    dataset=dataset,
                    url=f"https://example.org/{dataset.slug}.csv",
                    title=f"{title} table",
                    format="CSV",
                    media_type="text/csv",
                )
        steps = [
            lambda d: review.dataset_submit(actor=contributor, dataset=d),
            lambda d: review.dataset_approve(actor=editor, dataset=d),
            lambda d: review.dataset_publish(actor=editor, dataset=d, publish_at=publish_at),
        ]
        for step in steps[: STATES.index(state)]:
            with django_capture_on_commit_callbacks(execute=True):
                step(Dataset.objects.get(pk=dataset.pk))
        return Dataset.objects.get(pk=dataset.pk)

    return make
