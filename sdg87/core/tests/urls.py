"""Only the chart routes, so chart tests do not depend on every page of the site importing."""

from django.urls import include, path

urlpatterns = [path("charts/", include("sdg87.core.urls"))]
