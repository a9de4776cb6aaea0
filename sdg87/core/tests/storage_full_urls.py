"""A URLconf whose views fail as a full disk does, for the 507 test."""

import errno
import sqlite3

from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def full(request: HttpRequest) -> HttpResponse:
    raise OSError(errno.ENOSPC, "No space left on device")


@csrf_exempt
def too_big(request: HttpRequest) -> HttpResponse:
    raise OSError(errno.EFBIG, "File too large")


@csrf_exempt
def database_full(request: HttpRequest) -> HttpResponse:
    """A real SQLITE_FULL (a database capped at two pages), raised as Django raises it."""
    database = sqlite3.connect(":memory:")
    database.execute("PRAGMA max_page_count = 2")
    database.execute("CREATE TABLE t (x BLOB)")
    try:
        database.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as error:
        raise OperationalError(*error.args) from error
    raise AssertionError("the capped database took the row")


@csrf_exempt
def other(request: HttpRequest) -> HttpResponse:
    raise OSError(errno.EACCES, "Permission denied")


urlpatterns = [
    path("en/full/", full),
    path("api/v1/full/", full),
    path("en/too-big/", too_big),
    path("en/database-full/", database_full),
    path("en/other/", other),
]

handler500 = "sdg87.core.error_views.server_error"
