"""The CKAN tests share one mini catalog per test module instead of building it per test.

Building it (three users, four datasets moved through the review services, three API tokens)
was most of each test's time (about 1 s of CPU; 31 + 39 tests in the two largest modules).
Here it is built once per module inside an outer transaction that is rolled back when the
module ends; each test runs in a savepoint inside it (pytest-django's `db` nests), so what a
test writes is still undone after it. The dataclass handed to a test holds fresh instances
read from the database, so a test that changes an instance in memory cannot leak it either.
Modules here that need a live server (`live_catalog`, transactional) do not use `mini_catalog`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from typing import Any

import pytest
from django.db import models, transaction

from sdg87.catalog.tests.mini_catalog import MiniCatalog, build_mini_catalog


@pytest.fixture(scope="module")
def _module_mini_catalog(
    django_db_setup: None, django_db_blocker: Any, bundled_data: None
) -> Iterator[MiniCatalog]:
    # bundled_data first: a test of this module may ask for it, and it must not be loaded
    # (committed) inside the outer transaction that is rolled back below.
    with django_db_blocker.unblock(), transaction.atomic():
        catalog = build_mini_catalog()
        yield catalog
        transaction.set_rollback(True)


@pytest.fixture
def mini_catalog(db: None, _module_mini_catalog: MiniCatalog) -> MiniCatalog:
    """The module's mini catalog, with every model instance read again for this test."""
    fresh: dict[str, Any] = {}
    for field in fields(MiniCatalog):
        value = getattr(_module_mini_catalog, field.name)
        if isinstance(value, models.Model):
            fresh[field.name] = type(value)._default_manager.get(pk=value.pk)
    return replace(_module_mini_catalog, **fresh)
