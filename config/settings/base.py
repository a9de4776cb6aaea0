"""Settings shared by every environment. Values come from config.env (SDG87_* variables)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]
from django.utils.translation import gettext_lazy as _

from config.env import (
    BASE_DIR,
    default_database_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # project apps first so their templates and static files win
    "sdg87.core",
    "sdg87.geo",
    "sdg87.indicators",
    "sdg87.assessments",
    "sdg87.orgs",
    "sdg87.catalog",
    "sdg87.library",
    "sdg87.alliance",
    "sdg87.supplychains",
    "sdg87.packs",
    "sdg87.disclosure",
    "sdg87.vintages",
    "sdg87.sdmx",
    "sdg87.harvest",
    "sdg87.ops",
    "sdg87.search",
    "sdg87.api",
    "sdg87.site",
    # wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # wagtail.search *is* modelsearch's app (a subclass of its AppConfig): listing
    # "modelsearch" too made two index apps ("Multiple instances of the modelsearch app").
    "modelcluster",
    "taggit",
    # third party
    "ninja",
    "axes",
    "django_tasks_db",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "sdg87.ops.middleware.OpsMiddleware",  # first: request id and latency of everything below
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sdg87.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "sdg87.core.middleware.AdminCSPMiddleware",
    "sdg87.core.middleware.LoginRateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "sdg87.core.http_cache.HttpCacheMiddleware",
    "sdg87.api.middleware.PublicApiCacheMiddleware",
    # last, so it sees the view's answer first; does nothing unless DEBUG is on
    "sdg87.core.error_views.DebugErrorPagesMiddleware",
]
# With DEBUG on, error pages are the visitors' ones (DebugErrorPagesMiddleware, tracebacks go to
# the console); SDG87_DEBUG_ERRORS=1 shows Django's technical 404 and 500 pages instead.
SDG87_DEBUG_ERRORS = env_bool("DEBUG_ERRORS", False)
CSRF_FAILURE_VIEW = "sdg87.core.error_views.csrf_failure"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sdg87.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", default_database_url())
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during the load; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # modelsearch's and Wagtail's search index use PostgreSQL's search fields and GIN indexes:
    # without the app their model checks (postgres.E005) stop `manage.py migrate`.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Read replica (issue 15, docs/deployment.md): with SDG87_DATABASE_REPLICA_URL set, anonymous
# GET/HEAD requests read from it and everything else uses the primary (sdg87.core.dbrouter);
# unset, there is one database and no router. Tests mirror it onto the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sdg87.core.dbrouter.PrimaryReplicaRouter"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Lock one username from one address: failures for one account never lock out the others, even
# when everyone shares an address (a proxy, an office). The per-address limit across usernames is
# sdg87.core.middleware.LoginRateLimitMiddleware.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "sdg87.core.client_ip.client_ip"
# The 429 page, saying when the lock ends (Retry-After too) and offering a password reset.
AXES_LOCKOUT_CALLABLE = "sdg87.core.error_views.lockout"
# Reverse proxies in front of the application (0 = none: REMOTE_ADDR is the client; N: the client
# is the Nth address from the right of X-Forwarded-For). See sdg87.core.client_ip.
SDG87_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Failed sign-ins per client address (any username) per 15 minutes before a 429 (0 = off).
SDG87_LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 50)
# Data access requests (e-mails to publishers): per address per hour, per signed-in user per
# hour, per e-mail address and dataset per day, per dataset per day (0 = off).
SDG87_ACCESS_REQUEST_IP_LIMIT = env_int("ACCESS_REQUEST_IP_LIMIT", 5)
# Largest file a contributor may attach to a publication (PDF or office format).
SDG87_LIBRARY_MAX_UPLOAD_BYTES = env_int("LIBRARY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# OAI-PMH (/oai, docs/howto/oai-pmh.md): the repository identifier in every record identifier
# (default: the host of SITE_URL; set it once in production and never change it), records per
# list response, how long a resumption token stays valid, and the adminEmail of Identify.
SDG87_OAI_REPOSITORY_IDENTIFIER = env_str("OAI_REPOSITORY_IDENTIFIER", "")
SDG87_OAI_PAGE_SIZE = env_int("OAI_PAGE_SIZE", 50)
# Search (sdg87.search, ADR 0011): the modules that put content into the index (each defines
# SOURCES), and how long one facet's counts may take before the page says it was cut short.
SDG87_SEARCH_SOURCES = [
    "sdg87.search.sources.places",
    "sdg87.search.sources.indicators",
    "sdg87.search.sources.catalog",
    "sdg87.search.sources.library",
    "sdg87.search.sources.news",
    "sdg87.search.sources.orgs",
    "sdg87.search.sources.alliance",
    "sdg87.search.sources.goods",
]
SDG87_SEARCH_FACET_BUDGET_MS = env_int("SEARCH_FACET_BUDGET_MS", 400)
# CKAN's package_search answered from the search index (same relevance as /api/v1/search).
SDG87_CKAN_PACKAGE_SEARCH = "sdg87.search.ckan.package_search"
SDG87_OAI_TOKEN_MAX_AGE = env_int("OAI_TOKEN_MAX_AGE", 24 * 60 * 60)
SDG87_OAI_ADMIN_EMAIL = env_str("OAI_ADMIN_EMAIL", "")
SDG87_ACCESS_REQUEST_USER_LIMIT = env_int("ACCESS_REQUEST_USER_LIMIT", 20)
SDG87_ACCESS_REQUEST_EMAIL_LIMIT = env_int("ACCESS_REQUEST_EMAIL_LIMIT", 3)
SDG87_ACCESS_REQUEST_DATASET_LIMIT = env_int("ACCESS_REQUEST_DATASET_LIMIT", 50)
LOGIN_URL = "catalog:login"
# Password reset links (and the set-password link of an approved account request) last 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Password reset e-mails per client address per hour, and per e-mail address per day (0 = off).
SDG87_PASSWORD_RESET_IP_LIMIT = env_int("PASSWORD_RESET_IP_LIMIT", 10)
SDG87_PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3)
# Publisher account requests per client address per day (0 = off).
SDG87_ACCOUNT_REQUEST_IP_LIMIT = env_int("ACCOUNT_REQUEST_IP_LIMIT", 5)
# Sourcing-list screenings (each up to 100,000 rows screened by the task worker) started per
# client address per hour, on the pages and the API together (0 = off).
SDG87_SCREENING_IP_LIMIT = env_int("SCREENING_IP_LIMIT", 20)
# One password reset path, the site's (its mail goes through the outbox, it is rate-limited and
# says the same whether or not the address is known); Wagtail's own would mail directly.
WAGTAIL_PASSWORD_RESET_ENABLED = False
LOGIN_REDIRECT_URL = "catalog:my_datasets"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Several web nodes: a shared mount (NFS, CephFS...) here, the same path on every node and worker.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Files only a permission-checking view may read (the Action Groups' members-only workspaces):
# outside MEDIA_ROOT, so neither /media/ nor a web server serving MEDIA_ROOT can reach them.
SDG87_PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / "var" / "cache"),
        "TIMEOUT": 3600,
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "SDG 8.7 Knowledge Platform"
WAGTAILADMIN_BASE_URL = SITE_URL
# One full-text index (SQLite FTS5 or PostgreSQL tsvector) for Wagtail's admin search and the
# platform's search (sdg87.search): "simple" text search config on PostgreSQL, because the
# platform stems EN/FR/ES itself before indexing (ADR 0011).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "xlsx", "json", "zip", "txt"]

# Uploads: bounded, never executed (served as attachments from MEDIA_ROOT)
SDG87_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
# Rows of an uploaded table (header included), and the bytes an XLSX workbook may unpack to
# (zip bombs); both checked before or during validation in the task worker.
SDG87_UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 1_000_000)
SDG87_UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# Bundled data shipped with the repository (see data/PROVENANCE.md)
SDG87_DATA_DIR = BASE_DIR / "data"

# Security defaults: strict CSP on public pages; /admin/ is relaxed by AdminCSPMiddleware.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views set SAMEORIGIN for themselves
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@sdg87.localhost")

# --- operations (sdg87.ops, docs/operations.md) ---------------------------------------------
# Console log lines: "json" (one object per line with the request id) or "text"; empty: JSON
# unless DEBUG is on.
SDG87_LOG_FORMAT = env_str("LOG_FORMAT", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sdg87.ops.logs.RequestIdFilter"}},
    "formatters": {"console": {"()": "sdg87.ops.logs.formatter", "log_format": SDG87_LOG_FORMAT}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "console",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
# /readyz fails its task check when the oldest ready task has waited longer than this many
# seconds (0 = report the age, never fail on it: a slow worker should not take web nodes out).
SDG87_READY_MAX_TASK_AGE = env_int("READY_MAX_TASK_AGE", 0)
# A task RUNNING for longer than this many seconds was left by a dead worker: `manage.py
# tasks_requeue_stale` puts it back to READY (sdg87.ops.stale_tasks). Longer than any task takes.
SDG87_TASK_STALE_AFTER = env_int("TASK_STALE_AFTER", 7200)
# /metrics answers these networks (client address per sdg87.core.client_ip), or a request with
# "Authorization: Bearer <SDG87_METRICS_TOKEN>" when a token is set; anyone else gets a 404.
SDG87_METRICS_ALLOW = env_list("METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])
SDG87_METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# Error reports to a Sentry-compatible service (off when empty; no cookies, no request bodies).
SDG87_SENTRY_DSN = env_str("SENTRY_DSN", "")
SDG87_SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
# Load balancers probe over plain HTTP: no redirect to HTTPS for the probes and the scrape.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# --- end operations -----------------------------------------------------------------------

NINJA_PAGINATION_PER_PAGE = 100
# Anonymous REST API answers are cached this long (0 = off); writes invalidate them.
SDG87_API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 300)
# Serving time (seconds) that one client address may spend on anonymous, uncached API answers
# per window (0 = no limit); beyond it, 429 with Retry-After (sdg87.api.middleware).
SDG87_API_ANON_SECONDS = env_int("API_ANON_SECONDS", 60)
SDG87_API_ANON_WINDOW = env_int("API_ANON_WINDOW", 600)

# --- harvesting other catalogues (sdg87.harvest, docs/howto/harvesting.md) ---
# Connect/read timeout in seconds (a whole answer must arrive within twice this), largest
# answer in bytes, pages read per run and records kept per run.
SDG87_HARVEST_TIMEOUT = env_int("HARVEST_TIMEOUT", 30)
SDG87_HARVEST_MAX_BYTES = env_int("HARVEST_MAX_BYTES", 20 * 1024 * 1024)
SDG87_HARVEST_MAX_PAGES = env_int("HARVEST_MAX_PAGES", 100)
SDG87_HARVEST_MAX_RECORDS = env_int("HARVEST_MAX_RECORDS", 5000)
# Harvest loopback and private addresses too: for tests and development only (SSRF otherwise).
SDG87_HARVEST_ALLOW_PRIVATE = env_bool("HARVEST_ALLOW_PRIVATE", False)

# --- HTTP caching, page warm-up (issue 15 items 1, 4: core.http_cache, site.warmup) ---
# After each data change, render the most visited public pages in the background (a django.tasks
# task): Pathfinder countries, the indicator pages, and the SDG87_PAGE_WARMUP_TOP countries with
# the most data, in every language.
SDG87_PAGE_WARMUP = env_bool("PAGE_WARMUP", True)
SDG87_PAGE_WARMUP_TOP = env_int("PAGE_WARMUP_TOP", 20)
