"""Operational endpoints outside the language prefix: health, readiness, metrics."""

from django.urls import URLPattern, URLResolver, path

from sdg87.ops import views

app_name = "ops"

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
