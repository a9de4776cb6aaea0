"""A URLconf whose views fail as a full disk does, for the 507 test."""

import errno

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
def other(request: HttpRequest) -> HttpResponse:
    raise OSError(errno.EACCES, "Permission denied")


urlpatterns = [
    path("en/full/", full),
    path("api/v1/full/", full),
    path("en/too-big/", too_big),
    path("en/other/", other),
]

handler500 = "sdg87.core.error_views.server_error"
