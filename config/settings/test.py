"""Test settings: fast hashing, immediate tasks, in-memory email and cache."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
SDG87_PRIVATE_ROOT = BASE_DIR / "var" / "test-private"
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True
# Rendered chart cache of the test run, apart from the development server's var/charts/.
SDG87_CHART_DIR = str(BASE_DIR / "var" / "test-charts")
# Pages draw their charts before they are sent (elsewhere a chart not yet in the store is shown
# as an image of /charts/<hash>.svg, drawn by that request); the deferral tests switch it on.
SDG87_CHART_DEFER = False
# Tests see every write at once; the cache test switches it on for itself.
SDG87_API_CACHE_SECONDS = 0
SDG87_API_ANON_SECONDS = 0
# The whole test run shares one client address and one cache: rate limits would carry over
# from test to test. The rate-limit tests switch them on for themselves.
SDG87_LOGIN_IP_FAILURE_LIMIT = 0
SDG87_ACCESS_REQUEST_IP_LIMIT = 0
SDG87_ACCESS_REQUEST_USER_LIMIT = 0
SDG87_ACCESS_REQUEST_EMAIL_LIMIT = 0
SDG87_ACCESS_REQUEST_DATASET_LIMIT = 0
SDG87_PASSWORD_RESET_IP_LIMIT = 0
SDG87_PASSWORD_RESET_EMAIL_LIMIT = 0
SDG87_ACCOUNT_REQUEST_IP_LIMIT = 0
SDG87_SCREENING_IP_LIMIT = 0
# No background page warm-up after data changes in tests (its own test switches it on).
SDG87_PAGE_WARMUP = False
