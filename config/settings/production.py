"""Production: everything security-related on; configuration must come from SDG87_* vars."""

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is hard to undo (browsers ship the list; removal takes months), so it is opt-in.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for preload; leaving it off is a decision, not an oversight.
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Notifications go out by SMTP unless SDG87_EMAIL_BACKEND names another production backend.
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        },
    }
}

# Multi-node layout (issue 15, docs/deployment.md). A persistent connection is checked before
# reuse, so a request after a PostgreSQL restart reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# --- uncached API speed (issue 15 item 2) ---
# SQLite keeps its connection for a minute too (base.py reopens it for every request): each
# reopening ran the init PRAGMAs and parsed the schema of some 300 tables again, half the CPU
# of an uncached API answer (gunicorn, 9-10 ms -> 4.5 ms per request).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
# --- end uncached API speed ---
# SDG87_REDIS_URL (e.g. redis://10.0.0.5:6379/0): Redis is the shared cache of every node and
# worker (data version, rate limits, cached pages), tolerant of Redis being down (the site then
# serves uncached; sdg87.core.rediscache). SDG87_SESSION_ENGINE: "cached_db" (default with
# Redis: sessions in Redis, kept in the database too, so a Redis restart signs no one out),
# "cache" (Redis only) or "db". Needs the `redis` package (docs/deployment.md).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "sdg87.core.rediscache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 3600,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "sdg87"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends." + env_str(
    "SESSION_ENGINE", "cached_db" if REDIS_URL else "db"
)

# Marks production settings (this module and any built on it) for the system checks
# sdg87.E013 (DEBUG), E014 (task backend), W015 (SQLite), W016 (per-process cache), and for the
# start-up gate in config/wsgi.py.
SDG87_PRODUCTION_SETTINGS = True
