"""Project-wide pytest fixtures.

`bundled_data` loads the real bundled data (every registered load step, see
sdg87.core.loading.LOADER_MODULES) into the test database once per test session, i.e. once per
pytest-xdist worker, since each worker has a test database of its own. Tests that use real
countries and series request it together with the db mark:

    @pytest.mark.django_db
    def test_kenya(bundled_data): ...

The data is committed outside the per-test transactions, so ordinary `db` tests see it and
cannot change it for others. Transactional tests (`transactional_db`, `live_server`,
`django_db(transaction=True)`) empty the tables when they finish; once the data has been
loaded in a session it is loaded again after such a test, so later tests still find it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

# Fixtures shared across apps, importable by any test module.
pytest_plugins = ["sdg87.api.tests.fixtures", "sdg87.catalog.tests.mini_catalog"]


class _BundledState:
    blocker: Any = None  # pytest-django's DjangoDbBlocker, once the data has been loaded


_state = _BundledState()


def _load_bundled_data() -> None:
    from sdg87.core.loading import load_all

    load_all()


@pytest.fixture(scope="session")
def bundled_data(django_db_setup: None, django_db_blocker: Any) -> None:
    """The bundled real data (data/), loaded once per session (per xdist worker)."""
    with django_db_blocker.unblock():
        _load_bundled_data()
    _state.blocker = django_db_blocker


def _flushes_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    return bool(transaction or marker.kwargs.get("reset_sequences"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    yield
    if _state.blocker is not None and _flushes_database(item):
        from sdg87.core.models import DataLoad

        with _state.blocker.unblock():
            # The flush removed the DataLoad records too, so every step loads again.
            if not DataLoad.objects.exists():
                _load_bundled_data()


@pytest.fixture(autouse=True)
def _english_by_default() -> Generator[None]:
    """Each test starts in English: a request in another language must not leak into the
    next test (Django keeps the active language per thread)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
