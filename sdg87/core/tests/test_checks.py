import os
import runpy
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from sdg87.core.checks import (
    PRODUCTION_TAG,
    check_hsts_preload,
    check_production_cache,
    check_production_database,
    check_production_debug,
    check_production_tasks,
    check_proxy_count,
    check_rate_settings,
    check_secret_key,
)

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "var/x.sqlite3"}}
POSTGRES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "sdg87"}}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
FILE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "x"}
}
# Settings the production checks read, as config.settings.production sets them.
PRODUCTION_KEYS = ("SDG87_PRODUCTION_SETTINGS", "DEBUG", "TASKS", "DATABASES", "CACHES")


@contextmanager
def production(**overrides: Any) -> Iterator[None]:
    """Production settings with these overrides. The checks only read settings.DATABASES (no
    connection is made), so Django's warning about overriding DATABASES does not apply."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Overriding setting DATABASES", UserWarning)
        with override_settings(**{"SDG87_PRODUCTION_SETTINGS": True, **overrides}):
            yield


@pytest.fixture
def load_production(monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, Any]]:
    """Runs config.settings.production (and base, afresh) under these SDG87_* variables only."""

    def load(**env: str) -> dict[str, Any]:
        for name in list(os.environ):
            if name.startswith("SDG87_"):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delitem(sys.modules, "config.settings.base")
        return runpy.run_module("config.settings.production")

    return load


@override_settings(SECRET_KEY="insecure-dev")
def test_development_secret_key_fails_deploy_check():
    """The insecure development key is reported as sdg87.E001 in deploy checks."""
    assert [m.id for m in check_secret_key(None)] == ["sdg87.E001"]


@override_settings(SECRET_KEY="x" * 60)
def test_real_secret_key_passes():
    """A configured key raises no sdg87.E001."""
    assert check_secret_key(None) == []


@override_settings(SDG87_TRUSTED_PROXY_COUNT=-1, SDG87_ACCESS_REQUEST_IP_LIMIT=-5)
def test_negative_proxy_count_or_limit_is_an_error():
    """A negative proxy count or rate limit is reported as sdg87.E010, naming the setting."""
    messages = check_rate_settings(None)
    assert [m.id for m in messages] == ["sdg87.E010", "sdg87.E010"]
    assert "SDG87_TRUSTED_PROXY_COUNT" in messages[0].msg
    assert "SDG87_ACCESS_REQUEST_IP_LIMIT" in messages[1].msg


@override_settings(SECURE_HSTS_PRELOAD=True, SECURE_HSTS_SECONDS=3600)
def test_preload_without_a_year_of_hsts_warns():
    """Asking for HSTS preload with a max-age under a year is sdg87.W011 (the list refuses it)."""
    assert [m.id for m in check_hsts_preload(None)] == ["sdg87.W011"]


@override_settings(
    SECURE_HSTS_PRELOAD=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)
def test_preload_with_a_year_of_hsts_passes():
    """Preload with one year and includeSubDomains raises no sdg87.W011."""
    assert check_hsts_preload(None) == []


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SDG87_TRUSTED_PROXY_COUNT=0
)
def test_proxy_without_a_proxy_count_is_reported():
    """Behind a TLS proxy with SDG87_TRUSTED_PROXY_COUNT=0, the deploy check says (as info, not
    failing the gate) that every client would share the proxy's address."""
    assert [m.id for m in check_proxy_count(None)] == ["sdg87.I012"]
    with override_settings(SDG87_TRUSTED_PROXY_COUNT=1):
        assert check_proxy_count(None) == []


def test_debug_under_production_settings_is_an_error():
    """DEBUG on under production settings is sdg87.E013; off, or under other settings, passes."""
    with production(DEBUG=True):
        assert [m.id for m in check_production_debug(None)] == ["sdg87.E013"]
    with production(DEBUG=False):
        assert check_production_debug(None) == []
    with override_settings(DEBUG=True):
        assert check_production_debug(None) == []


@pytest.mark.parametrize("tasks", [IMMEDIATE, DUMMY_TASKS], ids=["immediate", "dummy"])
def test_per_request_task_backend_under_production_settings_is_an_error(tasks):
    """The immediate backend (tasks inside the request) and the dummy backend (tasks never run)
    under production settings are sdg87.E014, naming the backend; the test settings' immediate
    backend without the production marker is fine."""
    with production(TASKS=tasks):
        messages = check_production_tasks(None)
    assert [m.id for m in messages] == ["sdg87.E014"]
    assert tasks["default"]["BACKEND"] in messages[0].msg
    with production(TASKS=DB_TASKS):
        assert check_production_tasks(None) == []
    with override_settings(TASKS=IMMEDIATE):
        assert check_production_tasks(None) == []


def test_sqlite_under_production_settings_is_a_warning():
    """SQLite under production settings is sdg87.W015 (a warning: it fails the deploy gate but
    does not stop the server); PostgreSQL passes, and SQLite outside production is fine."""
    with production(DATABASES=SQLITE):
        messages = check_production_database(None)
    assert [(m.id, m.is_serious()) for m in messages] == [("sdg87.W015", False)]
    with production(DATABASES=POSTGRES):
        assert check_production_database(None) == []
    assert check_production_database(None) == []  # the test settings run SQLite


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY_CACHE], ids=["locmem", "dummy"])
def test_per_process_cache_under_production_settings_is_a_warning(caches):
    """A local-memory or dummy default cache under production settings is sdg87.W016 (the
    workers and the task worker cannot share rate-limit counters and the data version); the
    file-based cache passes, and the test settings' locmem cache is fine."""
    with production(CACHES=caches):
        assert [m.id for m in check_production_cache(None)] == ["sdg87.W016"]
    with production(CACHES=FILE_CACHE):
        assert check_production_cache(None) == []
    assert check_production_cache(None) == []


def test_production_settings_fail_the_deploy_gate_only_without_postgresql(load_production):
    """config.settings.production as CI checks it (secret key, site URL, hosts) passes every
    production check once SDG87_DATABASE_URL names PostgreSQL; without it, it falls back to
    SQLite and the only finding is sdg87.W015 — which fails `check --deploy --fail-level
    WARNING` on purpose."""
    env = {
        "SDG87_SECRET_KEY": "k" * 60,
        "SDG87_SITE_URL": "https://sdg87.example.org",
        "SDG87_ALLOWED_HOSTS": "sdg87.example.org",
    }
    default = load_production(**env)
    assert default["SDG87_PRODUCTION_SETTINGS"] is True
    with production(**{key: default[key] for key in PRODUCTION_KEYS}):
        found = run_checks(tags=[PRODUCTION_TAG], include_deployment_checks=True)
    assert [m.id for m in found] == ["sdg87.W015"]
    postgres = load_production(
        **env, SDG87_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
    )
    assert "django.contrib.postgres" in postgres["INSTALLED_APPS"]
    with production(**{key: postgres[key] for key in PRODUCTION_KEYS}):
        assert run_checks(tags=[PRODUCTION_TAG], include_deployment_checks=True) == []


def test_wsgi_defaults_to_production_settings(monkeypatch):
    """A WSGI server started without DJANGO_SETTINGS_MODULE gets production settings, not dev."""
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    runpy.run_module("config.wsgi")
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_wsgi_refuses_to_serve_unsafe_production_settings():
    """Under production settings config.wsgi raises ImproperlyConfigured on the development
    secret key (E001), DEBUG (E013) or a per-request task backend (E014), naming each; warnings
    (SQLite, a locmem cache) do not stop it."""
    with (
        production(SECRET_KEY="insecure-dev", DEBUG=True, TASKS=IMMEDIATE),
        pytest.raises(ImproperlyConfigured) as refused,
    ):
        runpy.run_module("config.wsgi")
    for check_id in ("sdg87.E001", "sdg87.E013", "sdg87.E014"):
        assert check_id in str(refused.value)
    with production(
        SECRET_KEY="k" * 60, DEBUG=False, TASKS=DB_TASKS, DATABASES=SQLITE, CACHES=LOCMEM
    ):
        assert callable(runpy.run_module("config.wsgi")["application"])
