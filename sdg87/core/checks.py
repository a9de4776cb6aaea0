"""System checks: misconfiguration surfaces here with an id, never as a crash at request time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

INSECURE_KEY_PREFIX = "insecure-"


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.SECRET_KEY.startswith(INSECURE_KEY_PREFIX):
        return [
            Error(
                "SDG87_SECRET_KEY is not set; the development key is in use.",
                hint="Set SDG87_SECRET_KEY to a long random string in production.",
                id="sdg87.E001",
            )
        ]
    return []


@register(Tags.database)
def check_data_dir(app_configs: Any, **kwargs: Any) -> list[Warning]:
    data_dir = settings.SDG87_DATA_DIR
    if not (data_dir / "PROVENANCE.md").exists():
        return [
            Warning(
                f"Bundled data directory {data_dir} has no PROVENANCE.md.",
                hint="The bundled data must ship with its provenance.",
                id="sdg87.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "SDG87_SITE_URL is not an https:// URL.",
                hint="Absolute links in feeds, DCAT and e-mails use SDG87_SITE_URL.",
                id="sdg87.W003",
            )
        ]
    return []


RATE_SETTINGS = (
    "SDG87_TRUSTED_PROXY_COUNT",
    "SDG87_LOGIN_IP_FAILURE_LIMIT",
    "SDG87_ACCESS_REQUEST_IP_LIMIT",
    "SDG87_ACCESS_REQUEST_USER_LIMIT",
    "SDG87_ACCESS_REQUEST_EMAIL_LIMIT",
    "SDG87_ACCESS_REQUEST_DATASET_LIMIT",
)


@register(Tags.security)
def check_rate_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    return [
        Error(
            f"{name} is {getattr(settings, name)}; it must be 0 or more.",
            hint="Proxy count: 0 = no reverse proxy. Limits: 0 = no limit.",
            id="sdg87.E010",
        )
        for name in RATE_SETTINGS
        if getattr(settings, name) < 0
    ]


@register(Tags.security, deploy=True)
def check_hsts_preload(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.SECURE_HSTS_PRELOAD and (
        settings.SECURE_HSTS_SECONDS < 31_536_000 or not settings.SECURE_HSTS_INCLUDE_SUBDOMAINS
    ):
        return [
            Warning(
                "SDG87_HSTS_PRELOAD is on, but the preload list requires a max-age of at least "
                "one year (SDG87_HSTS_SECONDS >= 31536000) and includeSubDomains.",
                id="sdg87.W011",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_proxy_count(app_configs: Any, **kwargs: Any) -> list[Info]:
    if settings.SECURE_PROXY_SSL_HEADER and settings.SDG87_TRUSTED_PROXY_COUNT == 0:
        return [
            Info(
                "SDG87_TRUSTED_PROXY_COUNT is 0: X-Forwarded-For is ignored and the client "
                "address is REMOTE_ADDR.",
                hint=(
                    "Behind a reverse proxy, set it to the number of proxies; otherwise every "
                    "client shares the proxy's address for sign-in lockouts and rate limits."
                ),
                id="sdg87.I012",
            )
        ]
    return []


# Production settings (config.settings.production, and any settings module built on it) set
# this marker; the checks below hold only under them. Development and test settings legitimately
# run DEBUG, the immediate task backend, SQLite and a per-process cache.
PRODUCTION_MARKER = "SDG87_PRODUCTION_SETTINGS"
PRODUCTION_TAG = "production"


def is_production() -> bool:
    return bool(getattr(settings, PRODUCTION_MARKER, False))


@register(Tags.security, PRODUCTION_TAG)
def check_production_debug(app_configs: Any, **kwargs: Any) -> list[Error]:
    """DEBUG under production settings is an error: error pages show settings, SQL and source
    to anyone, and every query is kept in memory. config.settings.production forces it off, so
    only a settings module built on it can turn it back on."""
    if is_production() and settings.DEBUG:
        return [
            Error(
                "DEBUG is on under production settings.",
                hint="Production settings must keep DEBUG = False; use config.settings.dev "
                "for a local server with DEBUG.",
                id="sdg87.E013",
            )
        ]
    return []


PER_REQUEST_TASK_BACKENDS = (
    "django.tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.dummy.DummyBackend",
)


@register(PRODUCTION_TAG)
def check_production_tasks(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The immediate or dummy task backend under production settings is an error. Immediate
    runs every task inside the web request that enqueues it (upload validation of files up to
    25 MiB, the publish-time import, e-mail): slow requests, worker timeouts, and a failure in
    the task fails the user's change. Dummy never runs anything: e-mails and validations are
    lost without a trace. Production needs a queue and `manage.py db_worker`."""
    if not is_production():
        return []
    unsafe = tuple(import_string(path) for path in PER_REQUEST_TASK_BACKENDS)
    messages = []
    for alias, config in settings.TASKS.items():
        try:
            backend = import_string(config["BACKEND"])
        except ImportError:
            continue  # an unknown backend is reported by Django (InvalidTaskBackend)
        if isinstance(backend, type) and issubclass(backend, unsafe):
            messages.append(
                Error(
                    f"Task backend {alias!r} is {config['BACKEND']} under production settings.",
                    hint="Use django_tasks_db.DatabaseBackend and run manage.py db_worker "
                    "beside the web server.",
                    id="sdg87.E014",
                )
            )
    return messages


SQLITE_ENGINES = ("sqlite3", "spatialite")


@register(PRODUCTION_TAG)
def check_production_database(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """SQLite under production settings is a warning, not an error: production means PostgreSQL
    (DESIGN.md), and SQLite is what production settings fall back to when SDG87_DATABASE_URL is
    not set, which is usually a forgotten variable. But SQLite is a supported, CI-tested backend
    (WAL, busy timeout, IMMEDIATE transactions): a deliberate single-host deployment on it is
    correct, only slower (writes of every gunicorn worker and the task worker are serialised,
    search uses FTS5 instead of PostgreSQL's, backups copy a file). Nothing is unsafe or wrong, so
    it must not stop `migrate`, the task worker or gunicorn (the benchmark serves SQLite under
    production settings on purpose); as a warning it still fails the deployment gate
    `check --deploy --fail-level WARNING`, which a deliberate SQLite deployment passes by
    silencing sdg87.W015 in its settings module."""
    if not is_production():
        return []
    return [
        Warning(
            f"Database {alias!r} is SQLite under production settings.",
            hint="Set SDG87_DATABASE_URL=postgres://user:password@host:5432/name (PostgreSQL "
            "15). If SQLite is deliberate, add 'sdg87.W015' to SILENCED_SYSTEM_CHECKS.",
            id="sdg87.W015",
        )
        for alias, config in settings.DATABASES.items()
        if config.get("ENGINE", "").rsplit(".", 1)[-1] in SQLITE_ENGINES
    ]


PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, PRODUCTION_TAG)
def check_production_cache(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """A local-memory or dummy default cache under production settings is a warning. The default
    cache holds the rate-limit counters (sign-in, data access requests) and the data version
    that invalidates cached API answers and pages. Production always runs more than one
    process: gunicorn's workers and, since sdg87.E014 rules out the immediate backend, at least
    one task worker, which imports and publishes data. With LocMemCache each process counts
    limits alone (a limit of 5 becomes 5 per worker) and a version bump in the task worker never
    reaches the web workers (stale API answers until they expire); DummyCache stores nothing, so
    every rate limit is silently off. A warning, not an error: the site still serves correct
    pages, but it fails the deployment gate."""
    if not is_production():
        return []
    backend_path = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    try:
        backend = import_string(backend_path)
    except ImportError:
        return []
    unsafe = tuple(import_string(path) for path in PER_PROCESS_CACHES)
    if isinstance(backend, type) and issubclass(backend, unsafe):
        return [
            Warning(
                f"The default cache is {backend_path} under production settings: gunicorn's "
                "workers and the task worker cannot share rate-limit counters and the data "
                "version.",
                hint="Use a shared cache: the file-based default (one host), or Redis "
                "(django.core.cache.backends.redis.RedisCache) for several hosts.",
                id="sdg87.W016",
            )
        ]
    return []


STARTUP_CHECKS = (
    check_secret_key,
    check_production_debug,
    check_production_tasks,
    check_production_database,
    check_production_cache,
)


def refuse_unsafe_production() -> None:
    """Raise ImproperlyConfigured when production settings have an error-level problem
    (sdg87.E001 development secret key, E013 DEBUG, E014 per-request task backend).

    Called by config/wsgi.py: gunicorn never runs the system checks, so without this a
    production server would start and serve with a public secret key or with DEBUG on.
    Warnings (SQLite, a per-process cache) do not stop the server; `check --deploy
    --fail-level WARNING` is the gate for those."""
    if not is_production():
        return
    errors = [m for check in STARTUP_CHECKS for m in check(None) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to serve under production settings:\n" + "\n".join(map(str, errors))
        )
