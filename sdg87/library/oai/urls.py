"""/oai, outside the language prefix: config/urls.py includes this at `oai`."""

from django.urls import URLPattern, path

from sdg87.library.oai import views

urlpatterns: list[URLPattern] = [path("", views.endpoint, name="oai")]
