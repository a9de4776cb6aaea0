"""A URLconf with one failing view, for the error-report test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def boom(request: HttpRequest) -> HttpResponse:
    password = request.POST.get("password")  # a local variable that must not be reported
    raise RuntimeError(f"ops error-report probe ({len(password or '')} characters)")


urlpatterns = [path("boom/", boom)]
