"""Operational endpoints outside the language prefix: health, readiness, metrics."""

from django.urls import URLPattern, URLResolver

app_name = "ops"

urlpatterns: list[URLPattern | URLResolver] = []
