"""Editor pages for harvest sources and their runs, under the language prefix."""

from django.urls import URLPattern, URLResolver

app_name = "harvest"

urlpatterns: list[URLPattern | URLResolver] = []
